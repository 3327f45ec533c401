# syntax=docker/dockerfile:1
#
# Docket's Airflow image: the official Airflow image plus Tesseract and the
# Docket libraries (ingest/, search/).  Every Airflow service of
# docker-compose.yml and the search web service (`docket serve`) run from it.
#
#   docker compose build            # or: docker build -t docket-airflow:0.1.0 .
#
# Pinned: bump Airflow deliberately, together with the `apache-airflow>=3.1,<3.2`
# extra in pyproject.toml and the reference docker-compose.yaml it follows.
FROM apache/airflow:3.1.8-python3.11

USER root

# Tesseract with one language pack per entry of Settings.ocr_languages
# (vie eng fra rus ces nor), plus osd for page orientation detection.
# tests/stack/test_compose.py fails when a language is added to the settings
# but not here.  fonts-dejavu-core: a font with Vietnamese and Cyrillic glyphs
# for the PDFs and reports Docket renders.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        tesseract-ocr \
        tesseract-ocr-osd \
        tesseract-ocr-vie \
        tesseract-ocr-eng \
        tesseract-ocr-fra \
        tesseract-ocr-rus \
        tesseract-ocr-ces \
        tesseract-ocr-nor \
        fonts-dejavu-core \
    && apt-get autoremove -yqq --purge \
    && apt-get clean \
    && rm -rf /var/lib/apt/lists/*

# Mount points for the inbox (bind mount) and Docket's working data (named
# volume).  A fresh named volume copies this directory's ownership, and group 0
# with group write is how the Airflow image supports an arbitrary AIRFLOW_UID.
RUN mkdir -p /opt/docket/inbox /opt/docket/var \
    && chown -R airflow:0 /opt/docket \
    && chmod -R g+rwX /opt/docket

# Several Tesseract processes run side by side (one per file worker); letting
# each also spread over every core through OpenMP only makes them contend
# (OCRmyPDF sets the same limit).
ENV OMP_THREAD_LIMIT=1

USER airflow

# Airflow's practice (docs "Building the image"): install extra packages as the
# airflow user and name "apache-airflow==${AIRFLOW_VERSION}" in the same
# command so pip can never up- or downgrade Airflow itself.  We do NOT pass
# Airflow's full constraints file: it pins elasticsearch to the 8.x line the
# Airflow release was tested with, and Docket needs the 9.x client to talk to
# the Elasticsearch 9 server.  The image's elasticsearch provider is lifted to a
# release that accepts the 9.x client (>=6.5.2: elasticsearch<10), and
# `pip check` fails the build if anything else is left inconsistent.
#
# Docket goes in as a wheel built here from the same files, the way
# tests/stack/test_wheel.py builds, installs and runs it outside the source
# tree: a data file the wheel would leave out fails that test, not the image.
COPY --chown=airflow:0 pyproject.toml README* /tmp/docket-src/
COPY --chown=airflow:0 kernel /tmp/docket-src/kernel
COPY --chown=airflow:0 search /tmp/docket-src/search
COPY --chown=airflow:0 ingest /tmp/docket-src/ingest
COPY --chown=airflow:0 apps /tmp/docket-src/apps
RUN pip wheel --no-deps --no-cache-dir --wheel-dir /tmp/docket-wheel /tmp/docket-src \
    && docket_wheel=$(echo /tmp/docket-wheel/docket-*.whl) \
    && pip install --no-cache-dir \
        "apache-airflow==${AIRFLOW_VERSION}" \
        "apache-airflow-providers-elasticsearch>=6.5.2" \
        "${docket_wheel}[services,web]" \
    && pip check \
    && rm -rf /tmp/docket-src /tmp/docket-wheel
