"""Docket ingest: watched folders to a registered, archived, indexed document.

This package never imports Airflow; DAGs in ``dags/`` call into it.
"""
