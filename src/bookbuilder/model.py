"""The book as every edition sees it: plain dataclasses, filled by `sources`, refined by `transforms`.

Bodies are well-formed XHTML fragments in a neutral form; an essay's is held as one lxml tree
from the Markdown to the editions (`Essay.body`). Figures and notes appear in
them only as placeholders (`<figure data-figure="ID"/>`, `<a data-note="ID"/>`) so
each edition renders them from the model with its own template.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml import etree

# Every edition, in the order a build makes them (editions.EDITIONS renders each); named here so
# the command line can offer them without loading the layout engines.
EDITION_NAMES = ("print", "screen", "cover", "epub", "web")


class Year(dt.date):
    """A date known only to its year (`date = 1883`): January 1 for arithmetic, printed as the year alone."""

    def __new__(cls, year: int):
        return super().__new__(cls, year, 1, 1)

    def __reduce__(self):  # pickled for the layout processes: rebuilt from the year
        return (Year, (self.year,))

    def isoformat(self) -> str:  # "1883" is a valid W3CDTF date for dc:date
        return f"{self.year:04d}"

    def strftime(self, fmt: str) -> str:  # every printed form of a year-only date is the year
        return str(self.year)

    __str__ = isoformat


@dataclass
class Contributor:
    name: str
    bio_html: str = ""
    role: str = "aut"  # MARC relator: aut (author), edt (editor), trl (translator), aui (introduction)

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
    number: str = ""  # "3.2" or "7" when the book numbers its figures ([figures] numbering); set by transforms.numbering
    label: str = ""  # "Figure 3.2" in the book's words, opening the caption in every edition ("" when unnumbered)


@dataclass
class Note:
    id: str  # id of the note body
    ref_id: str  # id of the call in the text
    number: int
    html: str  # the note's blocks as XHTML: <p>, <blockquote>, lists, verse lines with <br/>


@dataclass
class IndexMark:
    """A spot the index points to ({^term} in the text: sources/index_marks.py)."""

    term: str  # "Marx, Karl"
    sub: str = ""  # a sub-entry under the term: "and Engels"
    sort: str = ""  # sorted by this instead of the term
    see: str = ""  # no page: "See …" (the mark leaves no anchor)
    see_also: str = ""  # "See also …", after the pages
    range: str = ""  # "begin" or "end" as written; the end is folded into its begin's range_end
    anchor: str = ""  # the id of the empty span it left in the text (book-wide after transforms/ids.py)
    range_end: str = ""  # the anchor where a range of pages ends


@dataclass
class IndexLocator:
    essay: str  # the slug of the piece it is in (the EPUB links to that document)
    anchor: str
    end: str = ""  # a range's last anchor


@dataclass
class IndexEntry:
    term: str
    sort_key: str
    locators: list[IndexLocator] = field(default_factory=list)
    see: list[str] = field(default_factory=list)
    see_also: list[str] = field(default_factory=list)
    subs: list["IndexEntry"] = field(default_factory=list)


@dataclass
class IndexGroup:
    letter: str  # "" for terms that begin with a digit or a sign
    entries: list[IndexEntry] = field(default_factory=list)


@dataclass
class OriginalPublication:
    name: str = ""
    date: dt.date | None = None
    url: str = ""


@dataclass(frozen=True)
class AutoTerm:
    """A term the index finds by itself in every essay (`[index] terms` in book.toml; sources/index_marks.py)."""

    entry: str  # the index entry ("Marx, Karl")
    phrase: str  # what is looked for, as whole words ("Marx")
    exclude: tuple[str, ...] = ()  # longer phrases holding it where it does not count ("Marx Brothers")
    case: str = ""  # "exact", "any", or "" by the phrase: exact when it holds a capital, else any case


@dataclass(frozen=True)
class Reference:
    """One work in a reference list, as the book's CSL style formats it; citations link to its id."""

    id: str
    html: str  # safe inline HTML


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
    body: etree._Element = field(default_factory=lambda: _parse_body(""))  # see body_html
    figures: list[Figure] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    kind: str = "essay"  # essay | front | back
    source: str = ""  # the file's text as it was read: what the build checks its editions against (it may change)
    resolved_source: str = ""  # that text with its citations and index marks resolved, when it has any
    references: list[Reference] = field(default_factory=list)  # the works it cites ([bibliography] list = "essay")
    cited: list[str] = field(default_factory=list)  # the keys of the works it cites, in the order first cited
    index_marks: list[IndexMark] = field(default_factory=list)  # in reading order
    form: str = ""  # "dedication", "epigraph" or "frontispiece": a page with no printed heading (front matter `kind:`)
    heading: bool = True  # the title is printed (it stays in the EPUB's nav either way)
    number: str = ""  # "IV", as the front matter gives it
    label: str | None = None  # "Chapter IV" as printed; None until transforms.numbering derives it ("" for none)
    ordinal: int | None = None  # that number as a count (4 for "Chapter IV"): the 4 of its figures' 4.2
    byline_shown: bool = True  # False when the book's own authors wrote it (transforms.authorship)
    signed: bool = False  # the text signs itself (a `/// signature` block, or its author's name closing it)

    @property
    def body_html(self) -> str:
        """The body as XHTML, for templates, checks and tests. `body` is the body itself: the tree sources
        parse once and every transform changes in place; an edition that alters it for its own output
        works on a copy (copy.deepcopy), so no step parses the body's HTML again."""
        from .sources.structure import serialise
        return serialise(self.body)

    @body_html.setter
    def body_html(self, html: str) -> None:  # a body written as HTML (tests, importers' comparisons)
        self.body = _parse_body(html)


def _parse_body(html: str) -> etree._Element:
    from .sources.structure import parse_fragment  # sources build on the model: imported when first used
    return parse_fragment(html)


@dataclass
class Part:
    id: str
    number: int
    title: str
    title_html: str
    epigraphs: list[Epigraph] = field(default_factory=list)
    essays: list[Essay] = field(default_factory=list)
    label: str | None = None  # the book's own ("Book I", "" for none), else "Part One" from transforms.numbering


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
    authors: list[Contributor] = field(default_factory=list)  # the book's own, each with its role
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
    numbering: str = "none"  # none | roman | arabic: numbers for essays that give none
    chapter_label: str = "{n}"  # how an essay's number is printed: "Chapter {n}"
    running_heads_numbered: bool = False
    epigraphs_after: str = "copyright"  # copyright | dedication
    essay_dates: str = "none"  # none | opening | end: where an essay's year is printed
    index: list[IndexGroup] = field(default_factory=list)  # made from the essays' marks by transforms/index.py
    figure_numbering: str = "none"  # none | book ("7") | chapter ("3.2"): figures' numbers ([figures] numbering)
    references: list[Reference] = field(default_factory=list)  # every work cited, once ([bibliography] list = "book")
    references_word: str = "references"  # its heading's word: "bibliography" under a note style, as Chicago has it
    index_ranges: str = "abbreviated"  # "143–47" (Chicago's inclusive numbers) or "full": "143–147"
    web_base_url: str = ""  # where the web edition is published ([web] base_url): its canonical URLs

    @property
    def epigraphs_follow(self) -> Essay | None:
        """The dedication the book's epigraphs stand after, when the book asks; None: after the copyright page."""
        if self.epigraphs_after == "dedication":
            return next((p for p in self.front if p.form == "dedication"), None)
        return None

    @property
    def writers(self) -> list[Contributor]:
        """The book's authors proper (role aut): their essays need no byline."""
        return [a for a in self.authors if a.role == "aut"]

    def others(self, role: str) -> list[Contributor]:
        """The book's other named hands in one role (edt, trl, aui), editors from `editors` included."""
        return [a for a in [*self.authors, *self.editors] if a.role == role]

    @property
    def opening(self) -> list[Essay]:
        """Leading dedication, epigraph and frontispiece pages: set before the contents, as in a printed book."""
        out = []
        for piece in self.front:
            if not piece.form:
                break
            out.append(piece)
        return out

    @property
    def front_after_contents(self) -> list[Essay]:
        return self.front[len(self.opening):]

    @property
    def essays(self) -> list[Essay]:
        return [e for p in self.parts for e in p.essays]

    @property
    def pieces(self) -> list[Essay]:
        """Every prose document in reading order."""
        return [*self.front, *self.essays, *self.back]

    @property
    def contributors(self) -> list[Contributor]:
        """Essay authors, each once, in order of first appearance; none when the book's own authors wrote it all."""
        seen: dict[str, Contributor] = {}
        for essay in self.essays:
            if not essay.byline_shown:
                continue
            for a in essay.authors:
                if a.name not in seen or (a.bio_html and not seen[a.name].bio_html):
                    seen[a.name] = a
        return list(seen.values())

    @property
    def contributors_page(self) -> list[Contributor]:
        """Who the Contributors page lists; empty when it would say nothing (one author, no biographies)."""
        people: dict[str, Contributor] = {}
        for person in [*self.authors, *self.editors, *self.contributors]:
            kept = people.setdefault(person.name, person)
            if person.bio_html and not kept.bio_html:  # an editor who also wrote: the role, and the essay's bio
                people[person.name] = replace(kept, bio_html=person.bio_html)
        if self.contributors or any(p.bio_html for p in people.values()):
            return list(people.values())
        return []

    @property
    def figures(self) -> list[tuple[Essay, Figure]]:
        return [(e, f) for e in self.pieces for f in e.figures]

    @property
    def credited_figures(self) -> list[tuple[Essay, Figure]]:
        """The figures the Image Credits list names (an ornament or a bar of music may credit no one)."""
        return [(e, f) for e, f in self.figures if f.credit_html]
