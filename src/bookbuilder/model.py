"""The book as every edition sees it: plain dataclasses, filled by `sources`, refined by `transforms`.

Bodies are well-formed XHTML fragments in a neutral form. Figures and notes appear in
them only as placeholders (`<figure data-figure="ID"/>`, `<a data-note="ID"/>`) so
each edition renders them from the model with its own template.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Contributor:
    name: str
    bio_html: str = ""
    role: str = "aut"  # MARC relator: aut (author), edt (editor)

    @property
    def sort_name(self) -> str:
        """'Surname, Given' for metadata; good enough for Western names, overridable later."""
        parts = self.name.rsplit(" ", 1)
        return f"{parts[1]}, {parts[0]}" if len(parts) == 2 else self.name


@dataclass
class Epigraph:
    text_html: str  # one or more <p> elements
    attribution_html: str = ""  # the line after the dash, as written, the work in <cite> (structure.attribution_html)
    lang: str | None = None


@dataclass
class Figure:
    id: str
    src: Path  # absolute path of the image inside the book folder
    alt: str
    caption_html: str = ""
    credit_html: str = ""  # e.g. "Image: Socialist Revolution"
    line: int | None = None  # line in the essay source, for messages
    decorative: bool = False  # opted out of alt text ({: .decorative} on the image): shown with alt=""
    size: str = ""  # asked for on the image ({: .half-width}): full-page | full-width | half-width | inline
    dpi: float | None = None  # the image's own resolution (its metadata): print sets it at that size


@dataclass
class Note:
    id: str  # id of the note body
    ref_id: str  # id of the call in the text
    number: int
    html: str  # the note's blocks as XHTML: <p>, <blockquote>, lists, verse lines with <br/>


@dataclass
class OriginalPublication:
    name: str = ""
    date: dt.date | None = None
    url: str = ""


@dataclass
class Essay:
    """An essay, or any prose piece of front or back matter (preface, afterword)."""

    slug: str
    path: Path
    title: str
    title_html: str
    subtitle: str = ""
    running_title: str = ""
    authors: list[Contributor] = field(default_factory=list)
    standfirst_html: str = ""
    date: dt.date | None = None
    original: OriginalPublication | None = None
    lang: str = "en"
    epigraphs: list[Epigraph] = field(default_factory=list)
    body_html: str = ""
    figures: list[Figure] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    kind: str = "essay"  # essay | front | back

    @property
    def byline(self) -> str:
        names = [a.name for a in self.authors]
        if len(names) <= 2:
            return " and ".join(names)
        return ", ".join(names[:-1]) + " and " + names[-1]


@dataclass
class Part:
    id: str
    number: int
    title: str
    title_html: str
    epigraphs: list[Epigraph] = field(default_factory=list)
    essays: list[Essay] = field(default_factory=list)
    label: str = ""  # "Part One", set by transforms.numbering


@dataclass
class Edition:
    name: str  # print | epub | screen …
    isbn: str = ""
    options: dict = field(default_factory=dict)


@dataclass
class Trim:
    width_mm: float
    height_mm: float
    label: str

    @property
    def css_size(self) -> str:
        return f"{self.width_mm:.2f}mm {self.height_mm:.2f}mm"


@dataclass
class Cover:
    image: Path | None = None
    credit_html: str = ""
    back_text: str = ""
    background: str = "#8f1c20"
    pages_per_inch: float | None = None  # paper stock, as printers quote it (pages, not leaves, per inch)
    caliper_mm: float | None = None  # or the thickness of one leaf

    @property
    def leaf_mm(self) -> float:
        """Thickness of one leaf (two pages); 444 PPI (a common 50 lb white) when no stock is given."""
        if self.caliper_mm:
            return self.caliper_mm
        return 25.4 * 2 / (self.pages_per_inch or 444)


@dataclass
class Book:
    root: Path
    slug: str
    title: str
    subtitle: str = ""
    language: str = "en"
    editors: list[Contributor] = field(default_factory=list)
    publisher: str = ""
    date: dt.date | None = None
    rights: str = ""
    description: str = ""
    series: str = ""
    epigraphs: list[Epigraph] = field(default_factory=list)
    editions: dict[str, Edition] = field(default_factory=dict)
    trim: Trim | None = None
    cover: Cover = field(default_factory=Cover)
    front: list[Essay] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    back: list[Essay] = field(default_factory=list)
    identifier: str = ""  # stable urn for the EPUB
    version: str = "1.0"  # of the release: in its file names and release.json
    words: dict = field(default_factory=dict)  # the interface words in the book's language (words.py)
    running_title: str = ""  # the title in the back matter's running heads, fitted (transforms.running_heads)
    warnings: list[str] = field(default_factory=list)  # found while reading; the build reports them

    @property
    def essays(self) -> list[Essay]:
        return [e for p in self.parts for e in p.essays]

    @property
    def pieces(self) -> list[Essay]:
        """Every prose document in reading order."""
        return [*self.front, *self.essays, *self.back]

    @property
    def contributors(self) -> list[Contributor]:
        """Essay authors, each once, in order of first appearance."""
        seen: dict[str, Contributor] = {}
        for essay in self.essays:
            for a in essay.authors:
                if a.name not in seen or (a.bio_html and not seen[a.name].bio_html):
                    seen[a.name] = a
        return list(seen.values())

    @property
    def figures(self) -> list[tuple[Essay, Figure]]:
        return [(e, f) for e in self.pieces for f in e.figures]

    @property
    def credited_figures(self) -> list[tuple[Essay, Figure]]:
        """The figures the Image Credits list names (an ornament or a bar of music may credit no one)."""
        return [(e, f) for e, f in self.figures if f.credit_html]
