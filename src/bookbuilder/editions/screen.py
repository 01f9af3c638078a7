"""The screen PDF: the print edition's pages for reading on a screen.

It typesets the very same HTML with the same stylesheets, so its page numbers are the
print edition's; it differs only in what a screen needs: no bleed, RGB colour, original
images, and a tagged PDF (WeasyPrint's PDF/UA-1 variant: structure tags, /Lang, the
title shown in the window) with live links and bookmarks.
"""
from __future__ import annotations

from ..model import Book
from .print import PagedEdition


class ScreenEdition(PagedEdition):
    name = "screen"
    suffix = "-screen.pdf"
    stylesheet_folders = ("print", "screen")
    style_folders = ("print", "screen")
    note_template = "screen/note.html"

    def pdf_options(self, book: Book) -> dict:
        return {**super().pdf_options(book), "pdf_variant": "pdf/ua-1"}
