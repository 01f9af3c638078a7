"""The screen PDF: the print edition's pages for reading on a screen.

It is written from the very same layout as print (engine/paint.py), so its page numbers are the
print edition's; it differs only in what a screen needs: no bleed, RGB colour, original
images, and a tagged PDF (WeasyPrint's PDF/UA-1 variant: structure tags, /Lang, the
title shown in the window) with live links and bookmarks.
"""
from __future__ import annotations

from pathlib import Path

from .print import PdfEdition


class ScreenEdition(PdfEdition):
    name = "screen"
    suffix = "-screen.pdf"

    def chunk_pdf(self, chunk) -> Path:
        return chunk.screen_pdf
