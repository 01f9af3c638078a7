"""Give every text block of a body a stable key (`data-block`), so editions can name the same paragraph.

The print edition reports which block each printed page begins in; the EPUB puts its
page-break markers at the same blocks. Keys are `<slug>-b<n>`, in document order.
"""
from __future__ import annotations

from ..model import Book, Essay

BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "blockquote", "pre", "table", "td", "th", "aside")


def key_essay(essay: Essay) -> None:
    for n, el in enumerate(essay.body.iter(*BLOCKS), 1):
        el.set("data-block", f"{essay.slug}-b{n}")


def key_blocks(book: Book) -> None:
    for essay in book.pieces:
        key_essay(essay)
