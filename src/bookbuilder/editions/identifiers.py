"""Each PDF names its own ISBN and its sibling editions' in XMP (WeasyPrint writes no identifiers).

dc:identifier holds this edition's ISBN as a URN, dc:relation the others' ("isFormatOf"
in the sense of ONIX related products), and the xmpMM ids are derived from them instead
of WeasyPrint's random uuid4, so two builds of the same book say the same thing.
"""
from __future__ import annotations

import uuid
from pathlib import Path

import pikepdf

from ..config import isbn_urn
from ..model import Book

LABELS = {"print": "paperback", "screen": "PDF", "epub": "EPUB"}


def stamp_identifiers(pdf_path: Path, book: Book, edition: str) -> None:
    with pikepdf.open(pdf_path, allow_overwriting_input=True) as pdf:
        stamp(pdf, book, edition)
        pdf.save(pdf_path, deterministic_id=True)  # qpdf would otherwise add a random /ID: keep builds reproducible


def stamp(pdf: pikepdf.Pdf, book: Book, edition: str) -> None:
    """The identifiers in an open PDF's XMP (the merge stamps the book before its one save)."""
    own = book.editions.get(edition)
    others = [(name, ed.isbn) for name, ed in book.editions.items() if name != edition and ed.isbn]
    document_id = "uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{book.identifier}#{edition}"))
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        if own and own.isbn:
            xmp["dc:identifier"] = isbn_urn(own.isbn)
            xmp["prism:isbn"] = own.isbn
        if others:
            xmp["dc:relation"] = [f"{isbn_urn(isbn)} ({LABELS.get(name, name)})" for name, isbn in others]
        xmp["xmpMM:DocumentID"] = document_id
        xmp["xmpMM:InstanceID"] = document_id
