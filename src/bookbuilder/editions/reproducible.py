"""What makes two builds of the same source byte-identical: one build time, no random ids.

The time is SOURCE_DATE_EPOCH when it is set (reproducible-builds.org), else midnight
UTC of the book's date, never the wall clock. WeasyPrint's random PDF/X document id is
made stable in engine/pdf_ids.py.
"""
from __future__ import annotations

import datetime as dt
import os

from ..model import Book


# What every output format can carry: ZIP's DOS timestamps start in 1980 and end in 2107.
EARLIEST, LATEST = dt.datetime(1980, 1, 1), dt.datetime(2099, 12, 31, 23, 59, 59)


def source_date_epoch_problem() -> str | None:
    """Why $SOURCE_DATE_EPOCH cannot be a build time, or None (unset is fine)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return None
    if not epoch.isdigit():
        return f"is {epoch[:30]!r}; it must be a whole number of seconds since 1970-01-01 UTC"
    latest = int(LATEST.replace(tzinfo=dt.timezone.utc).timestamp())
    if int(epoch) > latest:
        return f"is {epoch[:30]}, after {LATEST:%Y-%m-%d}; it must be at most {latest}"
    return None


def build_timestamp(book: Book) -> dt.datetime:
    """A naive UTC datetime: SOURCE_DATE_EPOCH, else the book's date, else 2000-01-01.

    Kept within 1980–2099, the range every output can record: a book first published in
    1883 is built now, and its files say so with the earliest time they can hold.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit() and source_date_epoch_problem() is None:
        stamp = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).replace(tzinfo=None)
    else:
        day = book.date or dt.date(2000, 1, 1)
        stamp = dt.datetime(day.year, day.month, day.day)
    return min(max(stamp, EARLIEST), LATEST)


def w3c_timestamp(book: Book) -> str:
    """The build time as WeasyPrint's dcterms.created/modified want it (W3C date-time, UTC)."""
    return build_timestamp(book).strftime("%Y-%m-%dT%H:%M:%SZ")
