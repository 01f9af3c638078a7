"""Bylines only where they tell the reader something: an essay by the book's own author(s), or one
that names no author, carries none (on its opening, in the contents, in the running heads)."""
from __future__ import annotations

from ..model import Book


def mark_bylines(book: Book) -> None:
    own = {a.name for a in book.writers}
    for essay in book.pieces:
        names = {a.name for a in essay.authors}
        essay.byline_shown = bool(names) and names != own
