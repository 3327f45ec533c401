"""Docket's kernel: what every part shares and nothing of Docket's own.

Settings (loaded once and passed in), errors that say whether to retry and
their exit codes, the messages in Vietnamese and English, the record of one
document, and Vietnamese text normalization.  The ``search`` and ``ingest``
libraries and the applications import it; it imports none of them.
"""
