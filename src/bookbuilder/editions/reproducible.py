"""What makes two builds of the same source byte-identical: one build time, no random ids.

The time is SOURCE_DATE_EPOCH when it is set (reproducible-builds.org), else midnight
UTC of the book's date, never the wall clock.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import uuid

from ..model import Book

XMP_DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


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


def stable_pdf_ids(pdf: bytes, book: Book) -> bytes:
    """Replace WeasyPrint's random PDF/X-4 XMP DocumentID (uuid4) by one derived from the book.

    The id has the same length, so no byte offset in the file moves; the XMP stream of
    PDF/X-4 is written uncompressed, so the id is there to find.
    """
    stable = "xmp.did:" + str(uuid.uuid5(uuid.NAMESPACE_URL, book.identifier or book.slug))
    return XMP_DOCUMENT_ID.sub(stable.encode(), pdf)
