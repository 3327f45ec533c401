"""Document tracking: working days, deadlines, units, assignments, reply links.

Pure functions and small models, with no storage: the register, the web app,
the command line and the ``docket_deadlines`` DAG build on them.  Imports only
``kernel`` and ``ingest.describe`` (for the number/symbol parser).
"""
