#!/usr/bin/env bash
# Creates the two databases the stack keeps in one PostgreSQL server, each with
# its own login role that owns it and can connect to nothing else:
#
#   AIRFLOW_DB_NAME  owned by AIRFLOW_DB_USER (password AIRFLOW_DB_PASSWORD):
#                    Airflow's metadata database and Celery result backend.
#   docket register  user, password and database parsed from DOCKET_REGISTER_URL,
#                    the URL Docket itself connects with, so the two cannot drift.
#
# The postgres image runs this once, on the first start with an empty data
# volume (docker-entrypoint-initdb.d).  Later password changes are made with
# ALTER ROLE by hand: see docs/stack.md.  Re-running it is harmless.
set -euo pipefail

: "${POSTGRES_USER:?}" "${AIRFLOW_DB_USER:?}" "${AIRFLOW_DB_PASSWORD:?}" "${AIRFLOW_DB_NAME:?}"
: "${DOCKET_REGISTER_URL:?DOCKET_REGISTER_URL must name the register database}"

# postgresql[+driver]://user:password@host[:port]/database[?options]
# Passwords must be URL-safe (letters, digits, - _ . ~): no percent-decoding here.
url_pattern='^postgresql(\+[A-Za-z0-9_]+)?://([^:/@]+):([^@/]+)@[^/]+/([^?/]+)(\?.*)?$'
if [[ ! ${DOCKET_REGISTER_URL} =~ ${url_pattern} ]]; then
    echo "DOCKET_REGISTER_URL is not postgresql+psycopg://USER:PASSWORD@postgres:5432/DB" >&2
    exit 1
fi
docket_user=${BASH_REMATCH[2]}
docket_password=${BASH_REMATCH[3]}
docket_db=${BASH_REMATCH[4]}

if [[ ${docket_db} == "${AIRFLOW_DB_NAME}" || ${docket_user} == "${AIRFLOW_DB_USER}" ]]; then
    echo "Docket's register and Airflow's metadata must use separate databases and users" >&2
    exit 1
fi

create_owned_database() {
    # format(%I, %L) quotes identifiers and literals; \gexec runs the generated
    # statement outside a transaction, which CREATE DATABASE requires.
    psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER}" --dbname postgres \
        -v role="$1" -v password="$2" -v db="$3" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'role', :'password')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L TEMPLATE template0', :'db', :'role', 'UTF8')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db') \gexec
SELECT format('GRANT ALL ON DATABASE %I TO %I', :'db', :'role') \gexec
SQL
}

create_owned_database "${AIRFLOW_DB_USER}" "${AIRFLOW_DB_PASSWORD}" "${AIRFLOW_DB_NAME}"
create_owned_database "${docket_user}" "${docket_password}" "${docket_db}"
echo "created database ${AIRFLOW_DB_NAME} (owner ${AIRFLOW_DB_USER}) and ${docket_db} (owner ${docket_user})"
