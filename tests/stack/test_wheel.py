"""The installed package, not the source tree: the wheel the Dockerfile installs, at work.

The editable install the other tests use reads every file from the source
tree, so a file the wheel leaves out (as the Elasticsearch index template once
was) is never noticed there.  This module builds the wheel from the same files
the Dockerfile copies (pyproject.toml, README.md, kernel/, search/, ingest/, apps/), installs it
with its ``web`` extra into a fresh virtualenv outside the source tree (uv,
with its cache: seconds when the dependencies are cached), and runs the
``docket`` command from an empty working directory: ``--version``, ``samples``,
an ingest of four files on the embedded default, a search, the monthly report
and the web service's pages and static files, then loads every data file the
code reads at run time.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kernel.settings import Settings
from tests.stack.stack_files import DOCKERFILE, ROOT

pytestmark = pytest.mark.slow
PACKAGES = ("kernel", "search", "ingest", "apps")
SOURCE_FILES = ("pyproject.toml", "README.md")
# Files in the packages that are not read at run time and need not ship.
NOT_PACKAGE_DATA = {".py", ".pyc", ".md"}


def _uv() -> str:
    found = Path(sys.executable).with_name("uv")
    if found.is_file():
        return str(found)
    which = shutil.which("uv")
    if which is None:
        pytest.skip("uv is not installed (./run install puts it in .venv)")
    return which


def _run(command: list[str], cwd: Path, env: dict[str, str],
         timeout: float = 180) -> subprocess.CompletedProcess[str]:  # fmt: skip
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=timeout, check=False)
    assert result.returncode == 0, (command, result.stdout[-2000:], result.stderr[-2000:])
    return result


def _clean_environ(venv: Path) -> dict[str, str]:
    """The caller's environment without Docket settings or a path back into the source tree."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DOCKET_", "PYTHON", "VIRTUAL_ENV", "UV_PROJECT"))}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(venv)
    env["DOCKET_QUIET_SECONDS"] = "0"
    env["COLUMNS"] = "200"  # rich wraps long lines at 80 otherwise
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """``(venv, workdir, env)``: the wheel installed in a fresh venv, an empty working folder."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "src"
    source.mkdir()
    for name in SOURCE_FILES:
        shutil.copy2(ROOT / name, source / name)
    for package in PACKAGES:
        shutil.copytree(ROOT / package, source / package,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    uv = _uv()
    env = {**os.environ}
    _run([uv, "build", "--wheel", "--out-dir", str(base / "dist"), str(source)], base, env)
    (wheel,) = (base / "dist").glob("docket-*.whl")
    venv = base / "venv"
    _run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)], base, env)
    _run([uv, "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"),
          f"{wheel}[web]"], base, env, timeout=600)
    workdir = base / "work"
    workdir.mkdir()
    return venv, workdir, _clean_environ(venv)


def test_the_dockerfile_installs_the_same_wheel() -> None:
    """The image builds a wheel from the files this module builds from, and installs it."""
    text = DOCKERFILE.read_text(encoding="utf-8")
    copied = {
        name
        for line in re.findall(r"^COPY\s+(?:--\S+\s+)*(.+)$", text, re.M)
        for name in line.split()[:-1]
    }
    assert {"pyproject.toml", "README*", *PACKAGES} <= copied
    assert "pip wheel --no-deps" in text
    assert '"${docket_wheel}[services,web]"' in text


def test_imports_come_from_the_installed_wheel(installed) -> None:
    venv, workdir, env = installed
    result = _run([str(venv / "bin" / "python"), "-c",
                   "import kernel, search, ingest, apps\n"
                   "for m in (kernel, search, ingest, apps): print(m.__file__)"],
                  workdir, env)
    for line in result.stdout.split():
        assert Path(line).is_relative_to(venv), line


def test_every_package_data_file_is_in_the_wheel(installed) -> None:
    venv, workdir, env = installed
    result = _run([str(venv / "bin" / "python"), "-c",
                   "import sysconfig; print(sysconfig.get_paths()['purelib'])"], workdir, env)
    site = Path(result.stdout.strip())
    wanted = [
        path.relative_to(ROOT)
        for package in PACKAGES
        for path in (ROOT / package).rglob("*")
        if path.is_file() and path.suffix not in NOT_PACKAGE_DATA
        and "__pycache__" not in path.parts
    ]
    assert any(p.name == "es_index_template.json" for p in wanted)
    missing = [str(p) for p in wanted if not (site / p).is_file()]
    assert not missing, f"not in the wheel: {missing}"


def test_the_installed_command_works_from_anywhere(installed) -> None:
    """--version, samples, ingest, search and the monthly report, as an archivist runs them."""
    venv, workdir, env = installed
    docket = str(venv / "bin" / "docket")
    assert _run([docket, "--version"], workdir, env).stdout.strip() == "docket 0.1.0"
    _run([docket, "--lang", "en", "samples", "samples", "--profile", "bench",
          "--born-digital", "4", "--scanned-pages", "0", "--to-inbox"], workdir, env)
    ingested = json.loads(_run([docket, "--lang", "en", "ingest", "--json"], workdir, env).stdout)
    assert len(ingested["files"]) == 4
    found = _run([docket, "--lang", "en", "search", "ủy ban"], workdir, env).stdout
    assert re.search(r"\b[1-4] results\b", found), found
    zone = ZoneInfo(Settings.model_fields["timezone"].default)  # the office's month
    month = datetime.now(zone).strftime("%Y-%m")
    _run([docket, "--lang", "en", "report", month], workdir, env)
    written = sorted(p.suffix for p in (workdir / "var" / "reports" / month).iterdir()
                     if p.stat().st_size)
    # One CSV, HTML and XLSX per clearance level: general, MẬT, TỐI MẬT, TUYỆT MẬT.
    assert written == [".csv"] * 4 + [".html"] * 4 + [".xlsx"] * 4, written
    assert not (workdir / "config").exists()  # nothing read from a source tree


def test_every_runtime_data_file_loads(installed) -> None:
    """The index template, the web templates and static files, the fonts of the samples."""
    venv, workdir, env = installed
    check = """
import json
from search import es_queries
from apps.web.app import HERE, _templates
from ingest.samples.layout import font_path
template = es_queries.index_template("docket")
environment = _templates().env
names = environment.list_templates()
for name in names:
    environment.get_template(name)
print(json.dumps({
    "fields": sorted(template["template"]["mappings"]["properties"]),
    "templates": sorted(names),
    "static": sorted(p.name for p in (HERE / "static").iterdir()),
    "fonts": [font_path(style).stat().st_size for style in ("", "B", "I", "BI")],
}))
"""
    loaded = json.loads(_run([str(venv / "bin" / "python"), "-c", check], workdir, env).stdout)
    assert {"body", "subject", "secrecy"} <= set(loaded["fields"])
    web = ROOT / "apps" / "web"
    assert loaded["templates"] == sorted(p.name for p in (web / "templates").glob("*.html"))
    assert loaded["static"] == sorted(p.name for p in (web / "static").iterdir())
    assert all(loaded["fonts"])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_installed_web_service_serves_pages_and_static_files(installed) -> None:
    venv, workdir, env = installed
    port = _free_port()
    serve = subprocess.Popen(
        [str(venv / "bin" / "docket"), "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/login", timeout=5) as page:
                    login = page.read().decode()
                break
            except OSError:
                if serve.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        assert "<form" in login
        with urllib.request.urlopen(f"{base}/static/style.css", timeout=5) as css:
            assert css.status == 200 and css.read()
    finally:
        serve.terminate()
        serve.wait(timeout=30)
