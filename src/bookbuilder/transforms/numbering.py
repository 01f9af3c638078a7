"""Part labels ('Part One', 'Première partie', 'Erster Teil'), used by the contents, the part openings and the
EPUB's nav: the ordinal words and the pattern come from the book's words (words.py)."""
from __future__ import annotations

from ..model import Book
from ..words import Words


def number_parts(book: Book) -> None:
    words = Words.of(book)
    for part in book.parts:
        part.label = words.part_label(part.number) if part.number else ""
