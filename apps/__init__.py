"""Docket's applications: the ``docket`` command line and the web app.

They sit on top of the libraries (``kernel``, ``search``, ``ingest``) and
import them; nothing imports the applications.
"""
