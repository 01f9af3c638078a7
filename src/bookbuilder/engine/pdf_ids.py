"""WeasyPrint's PDF/X-4 document id, derived from the book instead of drawn at random.

Relies on (WeasyPrint 70.0; tests/test_engine_contracts.py checks it): the XMP metadata of a
PDF/X-4 (`weasyprint.pdf.metadata.DocumentMetadata.generate_rdf_metadata`) takes its `xmpMM:DocumentID` from
`uuid4()` looked up as a global of `weasyprint.pdf.metadata`; it is swapped for the length of
a write. Replacing the id afterwards is not enough: the second half of the trailer /ID is a
hash of the file, random id included.
What would remove it upstream: a `write_pdf` option for the XMP document id (as
`pdf_identifier` is for the trailer /ID), or an id derived from `pdf_identifier`.
"""
from __future__ import annotations

import uuid
from contextlib import contextmanager


@contextmanager
def stable_pdf_ids(book):
    """While writing a PDF, the XMP DocumentID is a uuid5 of the book's identifier (or slug)."""
    from weasyprint.pdf import metadata

    stable = uuid.uuid5(uuid.NAMESPACE_URL, book.identifier or book.slug)
    original = metadata.uuid4
    metadata.uuid4 = lambda: stable
    try:
        yield
    finally:
        metadata.uuid4 = original
