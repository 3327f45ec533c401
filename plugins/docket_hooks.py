"""Airflow hooks that turn connection ids into Docket's store and index clients.

Credentials live in Airflow connections (or ``AIRFLOW_CONN_*`` variables), never
in DAG code.  Each hook reads its connection, lays it over the typed Docket
settings and asks the library's own factory for the client, so a task talks to
MinIO/S3 or Elasticsearch exactly as ``docket`` on the command line does.  When
no connection with that id exists, the hook falls back to what the settings
name: the embedded default (a local folder and a SQLite index) out of the box.

Connections:

* ``docket_store`` (type ``aws`` or ``generic``): host, port, login (access
  key), password (secret key); extra ``{"bucket": "docket", "secure": false,
  "region": null}``.
* ``docket_index`` (type ``elasticsearch`` or ``http``): host, port, schema
  (``http``/``https``), login, password; extra ``{"index": "docket",
  "verify_certs": true, "ca_certs": "/path/ca.pem"}``.

Nothing heavy is imported at module level: the scheduler imports plugins often.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from airflow.exceptions import AirflowNotFoundException
from airflow.sdk.bases.hook import BaseHook

if TYPE_CHECKING:
    from ingest.store import ObjectStore
    from kernel.settings import Settings
    from search.index import SearchIndex

STORE_CONN_ID = "docket_store"
INDEX_CONN_ID = "docket_index"


def _true(value: Any) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on")


class _DocketHook(BaseHook):
    """A hook whose connection is optional: no connection means "use the settings"."""

    conn_name_attr = "conn_id"

    def __init__(self, settings: Settings, conn_id: str | None) -> None:
        super().__init__()
        self.settings = settings
        self.conn_id = conn_id

    def connection_settings(self) -> Settings:
        """The settings with this hook's connection laid over them (if it exists)."""
        if not self.conn_id:
            return self.settings
        try:
            connection = self.get_connection(self.conn_id)
        except AirflowNotFoundException:
            return self.settings
        return self.settings.model_copy(update=self.overrides(connection))

    def overrides(self, connection: Any) -> dict[str, Any]:
        """The settings fields ``connection`` sets; each hook names its own."""
        del connection
        return {}


class DocketStoreHook(_DocketHook):
    """``docket_store`` -> ``S3Store`` (MinIO, SeaweedFS, AWS), else the settings' store."""

    default_conn_name = STORE_CONN_ID
    conn_type = "aws"
    hook_name = "Docket object store"

    def __init__(self, settings: Settings, conn_id: str | None = STORE_CONN_ID) -> None:
        super().__init__(settings, conn_id)

    def overrides(self, connection: Any) -> dict[str, Any]:
        extra = connection.extra_dejson
        endpoint = connection.host or ""
        if connection.port:
            endpoint = f"{endpoint}:{connection.port}"
        values: dict[str, Any] = {"store": "s3", "s3_endpoint": endpoint}
        if connection.login:
            values["s3_access_key"] = connection.login
        if connection.password:
            values["s3_secret_key"] = connection.password
        if extra.get("bucket"):
            values["s3_bucket"] = extra["bucket"]
        if "secure" in extra:
            values["s3_secure"] = _true(extra["secure"])
        if extra.get("region"):
            values["s3_region"] = extra["region"]
        return values

    def get_conn(self) -> ObjectStore:
        from ingest.store import open_store

        return open_store(self.connection_settings())


class DocketIndexHook(_DocketHook):
    """``docket_index`` -> ``ElasticsearchIndex``, else the settings' index (SQLite)."""

    default_conn_name = INDEX_CONN_ID
    conn_type = "elasticsearch"
    hook_name = "Docket search index"

    def __init__(self, settings: Settings, conn_id: str | None = INDEX_CONN_ID) -> None:
        super().__init__(settings, conn_id)

    def overrides(self, connection: Any) -> dict[str, Any]:
        extra = connection.extra_dejson
        scheme = connection.schema if connection.schema in ("http", "https") else "http"
        url = f"{scheme}://{connection.host}"
        if connection.port:
            url = f"{url}:{connection.port}"
        values: dict[str, Any] = {"index": "elasticsearch", "es_url": url}
        if connection.login:
            values["es_username"] = connection.login
            values["es_password"] = connection.password or ""
        if extra.get("index"):
            values["es_index"] = extra["index"]
        if "verify_certs" in extra:
            values["es_verify_certs"] = _true(extra["verify_certs"])
        if extra.get("ca_certs"):
            values["es_ca_certs"] = extra["ca_certs"]
        return values

    def get_conn(self) -> SearchIndex:
        from search.index import open_index

        return open_index(self.connection_settings())
