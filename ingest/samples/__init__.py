"""Realistic sample documents with their true metadata, for tests, demo and benchmarks.

``generate_samples`` writes Vietnamese state and Party documents (and a few in
other languages) as text PDFs, scanned PDFs, TIFF/JPEG/PNG scans, DOCX and
plain text, each with ``<name>.truth.json`` beside it.
"""

from __future__ import annotations

from ingest.samples.generate import generate_samples, load_truth, stage_into_inbox

__all__ = ["generate_samples", "load_truth", "stage_into_inbox"]
