"""What one paged HTML document holds: the whole book, or one chunk of it (chunks.py).

The code chooses what a document lays out; `print/book.html` shows what it is given. A
template override therefore cannot break the chunking (docs/templates.md).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..model import Book, Essay, Part
from .chunks import BACK_LISTS, FRONT, Chunk


@dataclass(frozen=True)
class Opening:
    """A part opener or an essay of the main matter, in reading order."""
    part: Part | None = None
    essay: Essay | None = None
    starts_mainmatter: bool = False  # the first opening of the main matter (page 1)


@dataclass(frozen=True)
class PagedDocument:
    front: bool  # the front matter: half-title, title page, copyright, front pieces, contents
    main: list[Opening] | None  # the main matter's openings; None: this document has no main matter
    back: list[Essay] | None  # the back pieces; None: this document has no back matter
    back_lists: bool  # the book's reference list, the contributors, the image credits and the index
    carried: str = ""  # running-head strings set earlier in the book (CSS string-set on <body>)
    unparted: bool = False  # no titled parts: the essays are the book's top-level bookmarks

    @property
    def pieces(self) -> list[Essay]:
        """The pieces whose text this document sets (their bodies are woven for it)."""
        return [o.essay for o in self.main or [] if o.essay] + list(self.back or [])


def document_of(book: Book, chunk: Chunk | None = None) -> PagedDocument:
    """The whole book (chunk None) or the chunk's share of it."""
    def wanted(key: str) -> bool:
        return chunk is None or chunk.key == key

    main = [*_openings(book, wanted)] if chunk is None or chunk.matter == "main" else None
    back = [p for p in book.back if wanted(p.slug)] if chunk is None or chunk.matter == "back" else None
    front = chunk is None or chunk.key == FRONT
    return PagedDocument(front=front, main=main, back=back, back_lists=chunk is None or chunk.key == BACK_LISTS,
                         carried=chunk.carried if chunk else "",
                         unparted=not any(part.title for part in book.parts))


def sources_of(book: Book, chunk: Chunk) -> str:
    """The source files of the pieces a chunk sets, as read. Part of the chunk's key beside its HTML: an
    edit a template leaves out of the HTML (a new front-matter field it does not show) still makes the
    chunk new, so its pages are read again by the checks and the missing words found (checks/pages.py)."""
    document = document_of(book, chunk)
    return "\0".join(p.resolved_source or p.source for p in [*(book.front if document.front else []),
                                                              *document.pieces])


def _openings(book: Book, wanted):
    for i, part in enumerate(book.parts):
        if part.title and wanted(part.id):
            yield Opening(part=part, starts_mainmatter=i == 0)
        for j, essay in enumerate(part.essays):
            if wanted(essay.slug):
                yield Opening(essay=essay, starts_mainmatter=i == 0 and j == 0 and not part.title)


@dataclass(frozen=True)
class Stylesheet:
    """A stylesheet of a paged document's head (common/paged-head.html): linked, or inlined when `css` is given."""
    href: str
    css: str | None = None
