"""Docket's whole stack on one machine, natively: what docker-compose.yml runs, minus Docker.

``NativeStack(base).start()`` starts, on loopback ports, with every data folder
under ``base``:

* PostgreSQL (``tests/ingest/register/postgres_server.py``, on a Unix socket),
  with Airflow's metadata database and Docket's register made by the stack's
  own init script (``docker/postgres/initdb/10-create-databases.sh``);
* Redis, the Celery broker (``redis-server`` from apt);
* SeaweedFS's S3 gateway standing in for MinIO (``tests/servers/seaweedfs.py``);
* Airflow 3.1 on the CeleryExecutor: ``api-server`` (UI, REST API and the
  execution API the workers call), ``scheduler``, ``dag-processor`` and
  ``workers`` Celery workers, each with one process slot and its own name
  (the task instances' ``hostname``), all sharing one Airflow home;
* Docket's settings as ``DOCKET_*`` variables: register on PostgreSQL, store on
  S3, the inbox and work area in ``base/inbox``, the search index an SQLite
  file in ``base/docket`` (no Elasticsearch here).

The test (``tests/stack/test_celery_stack.py``) and ``bin/docket-stack`` (for a
person) use it.  Every process is started in its own session and stopped by
its own process group: nothing else on the machine is touched.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import httpx

from tests.ingest.register.postgres_server import PostgresServer, postgres_bin, running_postgres
from tests.servers.seaweedfs import SeaweedServer, free_ports

REPO = Path(__file__).resolve().parents[2]
AIRFLOW = Path(sys.executable).with_name("airflow")
INIT_SCRIPT = REPO / "docker" / "postgres" / "initdb" / "10-create-databases.sh"
ADMIN = "admin"
STARTUP_SECONDS = 240.0
DOCKET_DAGS = ("docket_ingest", "docket_index", "docket_monthly_report")
# Celery workers: no start-up sync or gossip with the other workers, and no log
# server (every process here writes its task logs under one Airflow home); as
# docker-compose.yml's airflow-worker (docs/stack.md, "The servers' CPU").
QUIET_WORKER_FLAGS = ("--without-mingle", "--without-gossip", "--skip-serve-logs")


class StackError(RuntimeError):
    """A server of the stack did not start; the message names its log."""


def missing_programs() -> list[str]:
    """What the stack needs that this machine lacks (apt: postgresql, redis-server)."""
    missing = [name for name in ("redis-server",) if shutil.which(name) is None]
    for name in ("initdb", "pg_ctl", "psql"):
        try:
            postgres_bin(name)
        except RuntimeError:
            missing.append(name)
    if not AIRFLOW.is_file():
        missing.append("airflow (the 'airflow' extra)")
    try:  # by its metadata: importing Airflow would configure this process's logging
        version("apache-airflow-providers-celery")
    except PackageNotFoundError:
        missing.append("apache-airflow-providers-celery (the 'airflow' extra)")
    return missing


@dataclass
class Service:
    """One long-running process of the stack, in its own process group."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL the process and everything it started (a machine that dies)."""
        if self.alive():
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self, grace: float = 20.0) -> None:
        """SIGTERM the group, SIGKILL whatever is still there after ``grace`` seconds."""
        if self.alive():
            os.killpg(self.process.pid, signal.SIGTERM)
            with suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=grace)
        with suppress(ProcessLookupError):  # children may outlive a leader that exited
            os.killpg(self.process.pid, signal.SIGKILL)
        if self.alive():
            self.process.wait(timeout=30)

    def tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""


@dataclass
class NativeStack:
    """The stack's servers under ``base``; ``start`` brings them up, ``stop`` ends them."""

    base: Path
    workers: int = 2
    api_port: int | None = None
    docket_env: Mapping[str, str] = field(default_factory=dict)
    quiet: bool = True  # QUIET_WORKER_FLAGS (False: Airflow's defaults, for bench/stack_cpu.py)
    services: dict[str, Service] = field(default_factory=dict, init=False)
    password: str = field(default_factory=lambda: secrets.token_urlsafe(12), init=False)
    _exit: ExitStack = field(default_factory=ExitStack, init=False)
    _env: dict[str, str] = field(default_factory=dict, init=False)
    _token: str | None = field(default=None, init=False)

    # Where things are.
    @property
    def airflow_home(self) -> Path:
        return self.base / "airflow"

    @property
    def inbox(self) -> Path:
        return self.base / "inbox"

    @property
    def data_dir(self) -> Path:
        return self.base / "docket"

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def env(self) -> dict[str, str]:
        """The environment of every Airflow process (and of ``docket`` against this stack)."""
        return dict(self._env)

    def start(self) -> None:
        """Start every server and wait until the DAGs are parsed and the workers ready."""
        self.base.mkdir(parents=True, exist_ok=True)
        try:
            postgres = self._exit.enter_context(running_postgres(self.base / "postgres"))
            airflow_db, register_url = self._create_databases(postgres)
            redis_port = self._start_redis()
            s3 = SeaweedServer(self.base / "s3")
            s3.start()
            self._exit.callback(s3.stop)
            self._env = self._environment(airflow_db, register_url, redis_port, s3)
            self._migrate()
            self._start_airflow()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop the Airflow processes (workers first), then the servers."""
        for name in sorted(self.services, key=lambda n: not n.startswith("worker")):
            self.services[name].stop()
        self._exit.close()

    def __enter__(self) -> NativeStack:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- servers -----------------------------------------------------------

    def _create_databases(self, postgres: PostgresServer) -> tuple[str, str]:
        """Run the compose file's init script: two databases, two owners."""
        socket_query = f"host={postgres.socket_dir}&port={postgres.port}"
        # The cluster's superuser is named "docket" (postgres_server.SUPERUSER): the
        # register gets a role of its own, as in the compose file.
        register_url = ("postgresql+psycopg://docket_register:docket-pw@localhost/"
                        f"docket_register?{socket_query}")
        env = {
            "PATH": f"{Path(postgres_bin('psql')).parent}{os.pathsep}{os.environ['PATH']}",
            "PGHOST": str(postgres.socket_dir), "PGPORT": str(postgres.port),
            "POSTGRES_USER": "docket",
            "AIRFLOW_DB_USER": "airflow", "AIRFLOW_DB_PASSWORD": "airflow-pw",
            "AIRFLOW_DB_NAME": "airflow", "DOCKET_REGISTER_URL": register_url,
        }  # fmt: skip
        done = subprocess.run(["bash", str(INIT_SCRIPT)], env=env, capture_output=True,
                              text=True, timeout=120, check=False)
        if done.returncode != 0:
            raise StackError(f"database init script failed:\n{done.stdout}\n{done.stderr}")
        airflow_db = f"postgresql+psycopg://airflow:airflow-pw@localhost/airflow?{socket_query}"
        return airflow_db, register_url

    def _start_redis(self) -> int:
        (port,) = free_ports(1)
        folder = self.base / "redis"
        folder.mkdir(exist_ok=True)
        service = self._spawn("redis", [
            "redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder),
            "--save", "", "--appendonly", "no", "--protected-mode", "yes",
        ], env=dict(os.environ))  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            ping = subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True,
                                  text=True, check=False)
            if ping.stdout.strip() == "PONG":
                return port
            if not service.alive():
                break
            time.sleep(0.2)
        raise StackError(f"redis did not start; see {service.log}:\n{service.tail()}")

    def _environment(self, airflow_db: str, register_url: str, redis_port: int,
                     s3: SeaweedServer) -> dict[str, str]:
        if self.api_port is None:
            (self.api_port,) = free_ports(1)
        home = self.airflow_home
        home.mkdir(parents=True, exist_ok=True)
        passwords = home / "simple_auth_manager_passwords.json"
        passwords.write_text(json.dumps({ADMIN: self.password}))
        from cryptography.fernet import Fernet

        env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "DOCKET_"))}
        env.update({
            "PATH": f"{AIRFLOW.parent}{os.pathsep}{os.environ.get('PATH', '')}",
            # The worker-name callable (tests/servers/worker_name.py) is imported from here.
            "PYTHONPATH": str(REPO),
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
            "AIRFLOW__CORE__PLUGINS_FOLDER": str(REPO / "plugins"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
            "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
            "AIRFLOW__CORE__FERNET_KEY": Fernet.generate_key().decode(),
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{self.api_url}/execution/",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{ADMIN}:admin",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
            "AIRFLOW__CORE__HOSTNAME_CALLABLE": "tests.servers.worker_name.worker_name",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": airflow_db,
            # psycopg 3 has an async driver too; the default would need asyncpg.
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC": airflow_db,
            "AIRFLOW__CELERY__BROKER_URL": f"redis://127.0.0.1:{redis_port}/0",
            "AIRFLOW__CELERY__RESULT_BACKEND": f"db+{airflow_db}",
            "AIRFLOW__CELERY__WORKER_CONCURRENCY": "1",
            "AIRFLOW__API__HOST": "127.0.0.1",
            "AIRFLOW__API__PORT": str(self.api_port),
            "AIRFLOW__API__WORKERS": "1",
            "AIRFLOW__API__SECRET_KEY": secrets.token_hex(16),
            "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_hex(32),
            "AIRFLOW__SCHEDULER__SCHEDULER_IDLE_SLEEP_TIME": "0.2",
            "AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL": "300",  # as docker-compose.yml
            "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
            "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(home / "logs"),
            # Docket (kernel/settings.py), as the compose file's x-docket-env sets it.
            "DOCKET_CONFIG": str(REPO / "config" / "docket.toml"),
            "DOCKET_DATA_DIR": str(self.data_dir),
            "DOCKET_INBOX": str(self.inbox),
            "DOCKET_STORE": "s3",
            "DOCKET_S3_ENDPOINT": s3.endpoint,
            "DOCKET_S3_ACCESS_KEY": "docket-test",
            "DOCKET_S3_SECRET_KEY": "docket-test-secret-key",
            "DOCKET_S3_BUCKET": "docket",
            "DOCKET_REGISTER": "postgresql",
            "DOCKET_REGISTER_URL": register_url,
            "DOCKET_INDEX": "sqlite",
        })  # fmt: skip
        env.update(self.docket_env)
        return env

    def _migrate(self) -> None:
        log = self.base / "logs" / "airflow-db-migrate.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("wb") as out:
            done = subprocess.run([str(AIRFLOW), "db", "migrate"], env=self._env,
                                  cwd=self.airflow_home, stdout=out, stderr=subprocess.STDOUT,
                                  timeout=600, check=False)
        if done.returncode != 0:
            raise StackError(f"airflow db migrate failed; see {log}:\n"
                             + log.read_text(errors="replace")[-3000:])

    def _start_airflow(self) -> None:
        self._spawn("api-server", [str(AIRFLOW), "api-server"])
        self._spawn("scheduler", [str(AIRFLOW), "scheduler"])
        self._spawn("dag-processor", [str(AIRFLOW), "dag-processor"])
        log_ports = free_ports(self.workers)
        for number in range(1, self.workers + 1):
            self.start_worker(number, log_ports[number - 1])
        self._wait_for_api()
        self._wait_for_dags()
        for number in range(1, self.workers + 1):
            self._wait_for_worker(self.services[f"worker-{number}"])

    def start_worker(self, number: int, log_port: int | None = None) -> Service:
        """Celery worker ``worker-<number>``: one process slot, its own name and log server."""
        name = f"worker-{number}"
        if log_port is None:
            (log_port,) = free_ports(1)
        env = {**self._env, "STACK_WORKER_NAME": name,
               "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(log_port)}
        flags = QUIET_WORKER_FLAGS if self.quiet else ()
        return self._spawn(name, [str(AIRFLOW), "celery", "worker", "--concurrency", "1",
                                  "--celery-hostname", f"{name}@%h", *flags], env=env)

    def _spawn(self, name: str, args: list[str], env: dict[str, str] | None = None) -> Service:
        log = self.base / "logs" / f"{name}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("ab") as out:
            process = subprocess.Popen(
                args, env=self._env if env is None else env, cwd=self.base,
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group: stopped or killed as one
            )
        service = Service(name, process, log)
        self.services[name] = service
        return service

    def _wait(self, what: str, ready: Any, service: Service) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            for other in self.services.values():
                if not other.alive():
                    raise StackError(f"{other.name} exited ({other.process.returncode}) while "
                                     f"waiting for {what}; see {other.log}:\n{other.tail()}")
            try:
                if ready():
                    return
            except httpx.HTTPError:
                pass  # not listening yet (refused, reset, timed out): asked again below
            time.sleep(1.0)
        raise StackError(f"{what} not ready after {STARTUP_SECONDS:.0f}s; see {service.log}:\n"
                         f"{service.tail()}")

    def _wait_for_api(self) -> None:
        def ready() -> bool:
            return httpx.get(f"{self.api_url}/api/v2/version", timeout=5).status_code == 200
        self._wait("the API server", ready, self.services["api-server"])

    def _wait_for_dags(self) -> None:
        def ready() -> bool:
            found = self.api("GET", "/dags", params={"limit": 100})["dags"]
            dags = {dag["dag_id"] for dag in found}
            return set(DOCKET_DAGS) <= dags
        self._wait("Docket's DAGs", ready, self.services["dag-processor"])

    def _wait_for_worker(self, worker: Service) -> None:
        self._wait(worker.name, lambda: " ready." in worker.tail(100_000), worker)

    # -- the REST API --------------------------------------------------------

    def token(self) -> str:
        """A JWT from the simple auth manager (``POST /auth/token``)."""
        if self._token is None:
            answer = httpx.post(f"{self.api_url}/auth/token", timeout=30,
                                json={"username": ADMIN, "password": self.password})
            answer.raise_for_status()
            self._token = str(answer.json()["access_token"])
        return self._token

    def api(self, method: str, path: str, **kwargs: Any) -> Any:
        """Call ``/api/v2<path>``; the decoded JSON answer (raises on an HTTP error)."""
        answer = httpx.request(method, f"{self.api_url}/api/v2{path}", timeout=60,
                               headers={"Authorization": f"Bearer {self.token()}"}, **kwargs)
        answer.raise_for_status()
        return answer.json() if answer.content else None

    def unpause(self, dag_id: str) -> None:
        self.api("PATCH", f"/dags/{dag_id}", json={"is_paused": False})

    def trigger(self, dag_id: str, **body: Any) -> str:
        """Trigger a run now; its run id."""
        body.setdefault("logical_date", None)
        return str(self.api("POST", f"/dags/{dag_id}/dagRuns", json=body)["dag_run_id"])

    def run_state(self, dag_id: str, run_id: str) -> str:
        return str(self.api("GET", f"/dags/{dag_id}/dagRuns/{run_id}")["state"])

    def wait_for_run(self, dag_id: str, run_id: str, timeout: float) -> str:
        """Wait until the run has finished; its final state."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            state = self.run_state(dag_id, run_id)
            if state in ("success", "failed"):
                return state
            time.sleep(2.0)
        raise TimeoutError(f"{dag_id} run {run_id} still {state} after {timeout:.0f}s")

    def active_runs(self, dag_id: str) -> list[dict[str, Any]]:
        runs = self.api("GET", f"/dags/{dag_id}/dagRuns",
                        params=[("state", "queued"), ("state", "running")])
        return list(runs["dag_runs"])

    def task_instances(self, dag_id: str, run_id: str) -> list[dict[str, Any]]:
        """Every task instance of the run, mapped ones included."""
        found = self.api("GET", f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances",
                         params={"limit": 1000})
        return list(found["task_instances"])

    def xcom(self, dag_id: str, run_id: str, task_id: str) -> Any:
        entry = self.api("GET", f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}"
                                "/xcomEntries/return_value", params={"deserialize": "true"})
        return entry["value"]


@contextmanager
def native_stack(base: Path, **kwargs: Any) -> Iterator[NativeStack]:
    """The stack, started under ``base`` and stopped on exit."""
    stack = NativeStack(base, **kwargs)
    with stack:
        yield stack
