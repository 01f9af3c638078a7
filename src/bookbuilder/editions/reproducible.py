"""What makes two builds of the same source byte-identical: one build time, no random ids.

The time is SOURCE_DATE_EPOCH when it is set (reproducible-builds.org), else midnight
UTC of the book's date, never the wall clock.
"""
from __future__ import annotations

import datetime as dt
import os
import uuid
from contextlib import contextmanager

from ..model import Book


def build_timestamp(book: Book) -> dt.datetime:
    """A naive UTC datetime: SOURCE_DATE_EPOCH, else the book's date, else 2000-01-01."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).replace(tzinfo=None)
    day = book.date or dt.date(2000, 1, 1)
    return dt.datetime(day.year, day.month, day.day)


def w3c_timestamp(book: Book) -> str:
    """The build time as WeasyPrint's dcterms.created/modified want it (W3C date-time, UTC)."""
    return build_timestamp(book).strftime("%Y-%m-%dT%H:%M:%SZ")


@contextmanager
def stable_pdf_ids(book: Book):
    """While writing a PDF, WeasyPrint's PDF/X-4 XMP DocumentID (a uuid4) is derived from the book instead.

    Replacing the id afterwards is not enough: the second half of the trailer /ID is a hash
    of the file, random id included. So the uuid4 that weasyprint.pdf.metadata calls is
    swapped for the length of the write (a test fails if WeasyPrint stops using it).
    """
    from weasyprint.pdf import metadata

    stable = uuid.uuid5(uuid.NAMESPACE_URL, book.identifier or book.slug)
    original = metadata.uuid4
    metadata.uuid4 = lambda: stable
    try:
        yield
    finally:
        metadata.uuid4 = original
