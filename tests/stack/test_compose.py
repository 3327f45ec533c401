"""The deployment stack, checked without a Docker engine.

docker-compose.yml, .env.example and the Dockerfile are read as Compose and
Docker would read them and held against Docket's own Settings, so a setting or
an OCR language added to kernel/settings.py cannot be forgotten in the stack.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from kernel.settings import Settings
from tests.stack.stack_files import (
    COMPOSE_FILE,
    DOCKERFILE,
    ENV_EXAMPLE,
    ROOT,
    compose_variables,
    interpolate,
    load_compose,
    read_env_example,
    service_environment,
)

# Docket variables in .env.example that are the stack's, not Settings fields.
STACK_ONLY_DOCKET_VARS = {"DOCKET_INBOX_HOST_PATH", "DOCKET_IMAGE_TAG"}
# Settings whose .env.example value is the stack's, not the library default.
STACK_VALUES = {
    "data_dir": Path("/opt/docket/var"),
    "inbox": Path("/opt/docket/inbox"),
    "store": "s3",
    "index": "elasticsearch",
    "register": "postgresql",
    "register_url": "postgresql+psycopg://docket:change-me-docket-db@postgres:5432/docket",
    "s3_endpoint": "minio:9000",
    "s3_access_key": "docket",
    "s3_secret_key": "change-me-docket-s3",
    "es_url": "http://elasticsearch:9200",
    "es_username": "docket",
    "es_password": "change-me-docket-es",
    "web_host": "0.0.0.0",
    "web_secret_key": "change-me-web-secret",
}
AIRFLOW_SERVICES = {
    "airflow-init",
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
    "airflow-worker",
}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return load_compose()


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


@pytest.fixture(scope="module")
def env_example() -> dict[str, str]:
    return read_env_example()[0]


@pytest.fixture
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No DOCKET_* variable from the developer's shell leaks into Settings."""
    import os

    for name in list(os.environ):
        if name.startswith("DOCKET_"):
            monkeypatch.delenv(name)
    return monkeypatch


def is_one_shot(service: dict[str, Any]) -> bool:
    return str(service.get("restart", "")) == "no"


def test_compose_has_the_stack_services(services: dict[str, dict[str, Any]]) -> None:
    expected = AIRFLOW_SERVICES | {
        "postgres",
        "redis",
        "minio",
        "minio-init",
        "elasticsearch",
        "elasticsearch-init",
        "docket-web",
    }
    assert expected <= set(services)


def test_every_compose_variable_is_in_env_example(env_example: dict[str, str]) -> None:
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    used = compose_variables(text)
    assert used, "the compose file interpolates nothing?"
    missing = sorted({name for name, _ in used if name not in env_example})
    assert not missing, f"used in docker-compose.yml, not set in .env.example: {missing}"


def test_required_variables_make_compose_fail_without_env() -> None:
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    required = {name for name, op in compose_variables(text) if op in (":?", "?")}
    assert {"POSTGRES_PASSWORD", "ELASTIC_PASSWORD", "AIRFLOW_FERNET_KEY"} <= required
    with pytest.raises(KeyError):
        interpolate(text, {})


def test_compose_interpolates_with_env_example(env_example: dict[str, str]) -> None:
    # No required variable is missing, and the result is still valid YAML.
    rendered = yaml.safe_load(interpolate(COMPOSE_FILE.read_text(encoding="utf-8"), env_example))
    worker_env = rendered["services"]["airflow-worker"]["environment"]
    assert worker_env["DOCKET_S3_SECRET_KEY"] == env_example["DOCKET_S3_SECRET_KEY"]


def test_long_running_services_have_healthchecks(services: dict[str, dict[str, Any]]) -> None:
    for name, service in services.items():
        if is_one_shot(service):
            continue
        check = service.get("healthcheck")
        assert check and check.get("test"), f"{name} has no healthcheck"
        assert not check.get("disable"), f"{name} disables its healthcheck"


def test_one_shot_jobs_are_awaited_until_they_succeed(
    services: dict[str, dict[str, Any]],
) -> None:
    one_shots = {name for name, service in services.items() if is_one_shot(service)}
    assert {"airflow-init", "minio-init", "elasticsearch-init"} <= one_shots
    awaited: set[str] = set()
    for name, service in services.items():
        for target, rule in (service.get("depends_on") or {}).items():
            assert target in services, f"{name} depends on unknown {target}"
            condition = rule.get("condition")
            if target in one_shots:
                assert condition == "service_completed_successfully", (name, target)
                awaited.add(target)
            else:
                assert condition == "service_healthy", (name, target)
    assert awaited == one_shots, f"nothing waits for {one_shots - awaited}"


def _resolved_images(services: dict[str, dict[str, Any]], env: dict[str, str]) -> dict[str, str]:
    return {name: interpolate(s["image"], env) for name, s in services.items() if "image" in s}


def test_every_image_is_pinned(
    services: dict[str, dict[str, Any]], env_example: dict[str, str]
) -> None:
    images = _resolved_images(services, env_example)
    assert set(images) == set(services), "every service names its image"
    for name, image in images.items():
        repository, _, tag = image.rpartition(":")
        assert repository and "/" not in tag, f"{name}: {image} has no tag"
        assert tag != "latest" and re.search(r"\d", tag), f"{name}: {image} is not pinned"
    # The fallback inside the file is pinned too, for a .env without the tag.
    assert _resolved_images(services, {})["airflow-worker"] == "docket-airflow:0.1.0"


def test_dockerfile_base_image_is_pinned() -> None:
    bases = re.findall(r"^FROM\s+(\S+)", DOCKERFILE.read_text(encoding="utf-8"), re.M)
    assert bases == ["apache/airflow:3.1.8-python3.11"]


def test_airflow_services_run_the_built_image(services: dict[str, dict[str, Any]]) -> None:
    for name in AIRFLOW_SERVICES | {"docket-web"}:
        assert services[name]["build"]["dockerfile"] == "Dockerfile", name
        assert services[name]["image"] == services["airflow-worker"]["image"], name


# source:target[:mode], where target may be a ${VAR:-/default} holding a colon-free path.
_SHORT_VOLUME = re.compile(r"^(?P<source>[^:]+):(?P<target>\$\{[^}]*\}|[^:]+)(?::(?P<mode>.+))?$")


def _volume_entries(service: dict[str, Any]) -> list[dict[str, Any]]:
    """Volume entries in long form, whichever syntax the file uses."""
    entries = []
    for volume in service.get("volumes") or []:
        if isinstance(volume, dict):
            entries.append(volume)
            continue
        match = _SHORT_VOLUME.match(volume)
        assert match, f"cannot read volume {volume!r}"
        source, target = match.group("source"), match.group("target")
        is_path = source.startswith((".", "/", "~", "$"))
        entries.append(
            {"type": "bind" if is_path else "volume", "source": source, "target": target}
        )
    return entries


def test_named_volumes_are_declared_and_used(
    compose: dict[str, Any], services: dict[str, dict[str, Any]]
) -> None:
    declared = set(compose.get("volumes") or {})
    used = {
        entry["source"]
        for service in services.values()
        for entry in _volume_entries(service)
        if entry["type"] == "volume"
    }
    assert used <= declared, f"undeclared volumes: {used - declared}"
    assert declared <= used, f"declared, never mounted: {declared - used}"
    assert {"postgres-data", "minio-data", "elasticsearch-data"} <= declared


def test_inbox_is_a_bind_mount_from_env(
    services: dict[str, dict[str, Any]], env_example: dict[str, str]
) -> None:
    # docket-web too: its uploads land in the inbox, which the workers must see.
    for name in AIRFLOW_SERVICES | {"docket-web"}:
        inbox = [
            e
            for e in _volume_entries(services[name])
            if interpolate(str(e["target"]), env_example) == env_example["DOCKET_INBOX"]
        ]
        assert len(inbox) == 1, f"{name} does not mount the inbox"
        assert inbox[0]["type"] == "bind"
        assert "DOCKET_INBOX_HOST_PATH" in inbox[0]["source"]


def test_repository_is_mounted_as_airflow_home(services: dict[str, dict[str, Any]]) -> None:
    for name in AIRFLOW_SERVICES:
        mounts = {(e["source"], e["target"]) for e in _volume_entries(services[name])}
        for folder in ("dags", "plugins", "config"):
            assert (f"./{folder}", f"/opt/airflow/{folder}") in mounts, (name, folder)


def test_worker_can_be_scaled(services: dict[str, dict[str, Any]]) -> None:
    worker = services["airflow-worker"]
    assert "container_name" not in worker
    assert not worker.get("ports"), "a published port would collide between replicas"
    assert "celery worker" in worker["command"]
    assert not [n for n, s in services.items() if "container_name" in s]


def test_worker_waits_for_its_backends(services: dict[str, dict[str, Any]]) -> None:
    waits_for = set(services["airflow-worker"]["depends_on"])
    assert {"postgres", "redis", "airflow-init", "minio-init", "elasticsearch-init"} <= waits_for


def test_postgres_runs_the_database_init_script(services: dict[str, dict[str, Any]]) -> None:
    mounts = {(e["source"], e["target"]) for e in _volume_entries(services["postgres"])}
    assert ("./docker/postgres/initdb", "/docker-entrypoint-initdb.d") in mounts
    assert (ROOT / "docker/postgres/initdb/10-create-databases.sh").is_file()


def test_elasticsearch_security_is_on(services: dict[str, dict[str, Any]]) -> None:
    env = services["elasticsearch"]["environment"]
    assert env["xpack.security.enabled"] == "true"
    assert "ELASTIC_PASSWORD" in env["ELASTIC_PASSWORD"]
    assert services["elasticsearch"]["image"].split(":")[-1].startswith("9.")


def test_stack_environment_is_valid_docket_settings(
    services: dict[str, dict[str, Any]], env_example: dict[str, str], clean_environ: Any
) -> None:
    for name in ("airflow-worker", "docket-web"):
        environment = service_environment(services[name], env_example)
        docket = {k: v for k, v in environment.items() if k.startswith("DOCKET_")}
        docket.pop("DOCKET_CONFIG")
        for key, value in docket.items():
            clean_environ.setenv(key, value)
        settings = Settings()
        assert settings.store == "s3" and settings.index == "elasticsearch", name
        assert settings.register == "postgresql", name
        assert settings.register_location.startswith("postgresql+psycopg://"), name
        assert settings.ocr_languages == Settings.model_fields["ocr_languages"].default


def test_compose_passes_every_setting(compose: dict[str, Any]) -> None:
    passed = set(compose["x-docket-env"])
    wanted = {f"DOCKET_{field.upper()}" for field in Settings.model_fields} - {"DOCKET_ROOT"}
    assert wanted <= passed, f"not passed to the containers: {sorted(wanted - passed)}"
    assert passed - wanted == {"DOCKET_CONFIG"}


def test_env_example_names_every_setting() -> None:
    _, mentioned = read_env_example()
    fields = {f"DOCKET_{field.upper()}" for field in Settings.model_fields}
    assert fields <= mentioned, f"missing from .env.example: {sorted(fields - mentioned)}"
    docket_names = {name for name in mentioned if name.startswith("DOCKET_")}
    unknown = docket_names - fields - STACK_ONLY_DOCKET_VARS
    assert not unknown, f"not Settings fields: {sorted(unknown)}"


def test_env_example_every_line_has_a_comment() -> None:
    previous = ""
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if re.match(r"^#?[A-Z][A-Z0-9_]*=", line):
            assert previous.startswith("#"), f"no comment above {line!r}"
        previous = line


def test_env_example_values_are_defaults_or_stack_values(
    env_example: dict[str, str], clean_environ: Any
) -> None:
    # The library's defaults with the stack's values on top (paths derived from
    # data_dir follow it, as they do in the containers).
    expected = Settings(**STACK_VALUES)
    for key, value in env_example.items():
        if key.startswith("DOCKET_") and key not in STACK_ONLY_DOCKET_VARS:
            clean_environ.setenv(key, value)
    documented = Settings()
    for field in Settings.model_fields:
        assert getattr(documented, field) == getattr(expected, field), field


def test_dockerfile_installs_a_language_pack_per_ocr_language() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    installed = set(re.findall(r"\btesseract-ocr-([a-z0-9-]+)", text))
    languages = Settings().ocr_languages
    assert languages, "Settings has no OCR languages?"
    for language in languages:
        # Debian names the packs after Tesseract's codes: chi_sim -> tesseract-ocr-chi-sim.
        assert language.lower().replace("_", "-") in installed, language
    assert "osd" in installed
    assert "fonts-dejavu-core" in text
    assert re.search(r"^\s+tesseract-ocr \\$", text, re.M), "the engine itself"


def test_dockerfile_copies_every_package_pip_installs() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    copied = set(re.findall(r"^COPY\s+(?:--\S+\s+)*(\S+)\s", DOCKERFILE.read_text(), re.M))
    for pattern in patterns:
        assert pattern.rstrip("*") in copied, pattern
    assert "pyproject.toml" in copied
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert not {"pyproject.toml", "ingest", "search"} & set(ignored)


def test_dockerfile_installs_docket_extras_and_keeps_airflow() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert '"apache-airflow==${AIRFLOW_VERSION}"' in text
    assert "[services,web]" in text
    assert "pip check" in text
    assert re.search(r"^USER airflow$", text, re.M)


@pytest.mark.parametrize(
    "script",
    sorted((ROOT / "docker").rglob("*.sh")),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_init_scripts_parse(script: Path) -> None:
    shell = "sh" if script.read_text().startswith("#!/bin/sh") else "bash"
    result = subprocess.run([shell, "-n", str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    mounted = script.relative_to(ROOT).as_posix()
    assert mounted.split("/")[1] in COMPOSE_FILE.read_text(), f"{mounted} is not used"


def _compose_command() -> list[str] | None:
    """``docker compose`` (v2 plugin) or a standalone v2 ``docker-compose``."""
    for command in (["docker", "compose"], ["docker-compose"]):
        if not shutil.which(command[0]):
            continue
        probe = subprocess.run([*command, "version", "--short"], capture_output=True, text=True)
        if probe.returncode == 0 and probe.stdout.strip().lstrip("v").startswith("2"):
            return command
    return None


def test_docker_compose_config_validates() -> None:
    """Compose itself validates the file; `config` needs no engine, only the client."""
    command = _compose_command()
    if command is None:
        pytest.skip("no Docker Compose v2 client here (docker has no compose plugin)")
    result = subprocess.run(
        [*command, "--env-file", str(ENV_EXAMPLE), "-f", str(COMPOSE_FILE), "config", "-q"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
