"""Docket search: the search-index interface, its backends and query model.

This package never imports Airflow.
"""
