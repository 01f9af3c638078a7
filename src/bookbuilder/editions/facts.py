"""What an edition reports about what it made, one declared type per kind of edition.

The paged layout's facts cross processes (a layout worker pickles them to the pool), are
kept in the chunk cache as JSON (layout_pool.py) and are read by the checks, the EPUB
(page starts), offprints and release. The cover reports its geometry, the EPUB its
documents and page markers. Each has exactly one definition here; nobody reads them by
string key.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

from .pagebreaks import PageMarker
from .pagemap import PageStart


class NotePages(NamedTuple):
    """Where a footnote landed: its id, the page of its call and of its body (None: not laid out)."""
    note: str
    call: int | None
    body: int | None


@dataclass(frozen=True)
class FigureImage:
    """A figure's image as laid out, so preflight can name the image it measures in the PDF."""
    page: int
    figure: str  # the figure's id
    essay: str  # slug of the piece it is in
    pixels: tuple[int, int]
    source: str  # the image file, relative to the book folder


@dataclass(frozen=True)
class ChunkFile:
    """One chunk's PDF as an edition merged it (an offprint is cut from it)."""
    pdf: Path
    levels: list[int]  # bookmark level of each outline item, in order


@dataclass
class PagedFacts:
    """The paged layout's facts, in physical page numbers (1-based) of a chunk or of the whole book."""
    anchors: dict[str, int] = field(default_factory=dict)  # page of every id laid out
    essay_pages: dict[str, int | None] = field(default_factory=dict)  # page each piece opens on
    footnotes: list[NotePages] = field(default_factory=list)
    page_starts: list[PageStart] = field(default_factory=list)  # where each page begins (the EPUB's page list)
    images: list[FigureImage] = field(default_factory=list)
    essay_spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # first and last page of each piece's text
    folios: list[str] = field(default_factory=list)  # the printed number of every page
    relaxed_blocks: list[str] = field(default_factory=list)  # blocks allowed one-line orphans to keep notes home
    chunks: dict[str, ChunkFile] = field(default_factory=dict)  # chunk key → its PDF in this edition (offprints)
    # the cache entry of each chunk's layout → its first and last page, the blank verso after it included
    # (a build checks again only the pages of layouts the last build's checks did not pass: checks/pages.py)
    chunk_spans: dict[str, tuple[int, int]] = field(default_factory=dict)

    def shifted(self, start: int) -> "PagedFacts":
        """The same facts with every page moved by `start` (a chunk's first page in the book, less one)."""
        return PagedFacts(
            anchors={k: v + start for k, v in self.anchors.items()},
            essay_pages={k: v + start for k, v in self.essay_pages.items() if v},
            footnotes=[NotePages(n.note, n.call and n.call + start, n.body and n.body + start)
                       for n in self.footnotes],
            page_starts=list(self.page_starts),
            images=[replace(i, page=i.page + start) for i in self.images],
            essay_spans={k: (a + start, b + start) for k, (a, b) in self.essay_spans.items()},
            folios=list(self.folios), relaxed_blocks=list(self.relaxed_blocks), chunks=dict(self.chunks),
            chunk_spans={k: (a + start, b + start) for k, (a, b) in self.chunk_spans.items()})

    def extend(self, other: "PagedFacts") -> None:
        """Add a later chunk's facts (already shifted) to these."""
        self.anchors.update(other.anchors)
        self.essay_pages.update(other.essay_pages)
        self.footnotes += other.footnotes
        self.page_starts += other.page_starts
        self.images += other.images
        self.essay_spans.update(other.essay_spans)
        self.folios += other.folios
        self.relaxed_blocks += other.relaxed_blocks
        self.chunks.update(other.chunks)
        self.chunk_spans.update(other.chunk_spans)

    # -- the chunk cache (layout_pool.ChunkCache): JSON both ways, strict on the way in --

    def to_json(self) -> dict:
        return {"anchors": self.anchors, "essay_pages": self.essay_pages,
                "footnotes": [list(n) for n in self.footnotes],
                "page_starts": [asdict(s) for s in self.page_starts],
                "images": [{**asdict(i), "pixels": list(i.pixels)} for i in self.images],
                "essay_spans": {k: list(v) for k, v in self.essay_spans.items()},
                "folios": self.folios, "relaxed_blocks": self.relaxed_blocks,
                "chunks": {k: {"pdf": str(c.pdf), "levels": c.levels} for k, c in self.chunks.items()},
                "chunk_spans": {k: list(v) for k, v in self.chunk_spans.items()}}

    @classmethod
    def from_json(cls, data: dict) -> "PagedFacts":
        """The facts a cache entry holds; ValueError, KeyError or TypeError when it is not what `to_json` wrote."""
        if not isinstance(data, dict):
            raise TypeError("facts are not a JSON object")
        unknown = set(data) - {f for f in cls.__dataclass_fields__}
        if unknown:
            raise KeyError(f"unknown facts {sorted(unknown)}")
        return cls(
            anchors={_text(k): _int(v) for k, v in data["anchors"].items()},
            essay_pages={_text(k): None if v is None else _int(v) for k, v in data["essay_pages"].items()},
            footnotes=[NotePages(_text(n), _page(c), _page(b)) for n, c, b in data["footnotes"]],
            page_starts=[PageStart(_text(s["label"]), _text(s["key"]), _int(s["chars"])) for s in data["page_starts"]],
            images=[FigureImage(_int(i["page"]), _text(i["figure"]), _text(i["essay"]),
                                (lambda w, h: (_int(w), _int(h)))(*i["pixels"]), _text(i["source"]))
                    for i in data["images"]],
            essay_spans={_text(k): (_int(a), _int(b)) for k, (a, b) in data["essay_spans"].items()},
            folios=[_text(f) for f in data["folios"]],
            relaxed_blocks=[_text(k) for k in data.get("relaxed_blocks", [])],
            chunks={_text(k): ChunkFile(Path(_text(c["pdf"])), [_int(n) for n in c["levels"]])
                    for k, c in data.get("chunks", {}).items()},
            chunk_spans={_text(k): (_int(a), _int(b)) for k, (a, b) in data.get("chunk_spans", {}).items()})


def _int(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{value!r} is not a whole number")
    return value


def _page(value) -> int | None:
    return None if value is None else _int(value)


def _text(value) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not text")
    return value


@dataclass(frozen=True)
class CoverFacts:
    """The cover wrap's geometry, from the print edition's page count (release draws the front panel from it)."""
    interior_pages: int
    spine_mm: float
    front_image: Path  # the front as an image: the book's cover image, or the cover PDF's front panel
    width_mm: float
    sheet_width_mm: float
    sheet_height_mm: float
    spine_text: bool  # whether the spine is wide enough to carry its text


@dataclass(frozen=True)
class EpubFacts:
    documents: list[str]  # file names of the text documents, in reading order
    page_markers: list[PageMarker]  # where the print edition's pages begin


@dataclass
class WebFacts:
    pages: list[str]  # the site's pages, by file name in its root, in reading order


EditionFacts = PagedFacts | CoverFacts | EpubFacts | WebFacts
