"""Field extractors: one module per family of metadata fields.

Each extractor is a function ``(DescribeContext) -> dict[str, Found]``; the
registry in ``ingest.describe.registry`` runs them in order, and later ones
may read what earlier ones found through ``DescribeContext.found``.
"""
