"""docket_reindex: rebuild the search index from the stored records (manual).

The archive's JSON records are the source of truth; the index can always be
thrown away and rebuilt from them.  Searches keep working during the rebuild.
"""

from __future__ import annotations

from airflow.sdk import dag, task
from docket_airflow import dag_defaults


@dag(
    dag_id="docket_reindex",
    schedule=None,
    doc_md=__doc__,
    **dag_defaults("index", "manual", retries=1),
)
def docket_reindex() -> None:
    @task
    def rebuild_index() -> int:
        """Replace the index with every stored record; the number indexed."""
        from docket_airflow import docket_errors, task_backends, task_settings

        from ingest.indexing import rebuild_index

        with docket_errors():
            settings = task_settings()
            with task_backends(settings) as backends:
                count = rebuild_index(backends)
        print(f"rebuilt the search index: {count} documents")
        return count

    rebuild_index()


docket_reindex()
