"""What the checks and the other editions need to know of a laid-out chunk, read from WeasyPrint's boxes.

The page each essay, note call, note and figure landed on, where each page begins (for
the EPUB's page list), and, when a note still fell after its call's page, which block
to relax so the next layout brings it back (engine-notes §1.4).
"""
from __future__ import annotations

from ..engine.boxes import html_box, is_footnote_area, is_replaced, page_box
from ..model import Book
from .facts import FigureImage, NotePages, PagedFacts
from .pagemap import page_starts


def page_facts(document, book: Book, labels: list[str]) -> PagedFacts:
    """Physical page (1-based) of every essay opening and of each note call and body.

    `essay_spans` is the first and last page each piece's own text is on (a release cuts
    its offprints there: no part opener or blank verso after it); `folios` the printed
    number of every page.
    """
    starts: dict[str, int] = {}
    for number, page in enumerate(document.pages, 1):
        for anchor in page.anchors:
            starts.setdefault(anchor, number)
    essays = {e.slug: starts.get(e.slug) for e in book.pieces}
    return PagedFacts(anchors=starts, essay_pages=essays, footnotes=footnote_pages(document),
                      page_starts=page_starts(document, labels), images=figure_images(document, book),
                      essay_spans=piece_spans(document, book), folios=labels)


def piece_spans(document, book: Book) -> dict[str, tuple[int, int]]:
    """(first, last) physical page on which each piece's article or section is laid out."""
    slugs = {e.slug for e in book.pieces}
    spans: dict[str, tuple[int, int]] = {}
    for number, page in enumerate(document.pages, 1):
        html = html_box(page)
        for body in getattr(html, "children", None) or []:
            for matter in getattr(body, "children", None) or []:  # .frontmatter, .mainmatter, .backmatter
                for box in getattr(matter, "children", None) or []:
                    slug = box.element.get("id") if getattr(box, "element", None) is not None else None
                    if slug in slugs:
                        spans[slug] = (spans.get(slug, (number,))[0], number)
    return spans


def walk_boxes(box):
    yield box
    for child in getattr(box, "children", None) or []:
        yield from walk_boxes(child)


def figure_images(document, book: Book) -> list[FigureImage]:
    """Where each figure's image was laid out, so preflight can name the image it measures in the PDF."""
    from PIL import Image

    figures = {f.id: (essay, f) for essay, f in book.figures}
    found = []

    def images_in(box, figure_id=None):
        element = getattr(box, "element", None)
        if element is not None and getattr(box, "element_tag", None) == "figure" and element.get("id") in figures:
            figure_id = element.get("id")
        if is_replaced(box) and figure_id:
            yield figure_id
        for child in getattr(box, "children", None) or []:
            yield from images_in(child, figure_id)

    for number, page in enumerate(document.pages, 1):
        for key in images_in(page_box(page)):
            essay, figure = figures[key]
            if figure.src.suffix.lower() == ".svg":
                continue  # vector: no pixels to count
            with Image.open(figure.src) as im:
                pixels = im.size
            found.append(FigureImage(number, key, essay.slug, pixels, str(figure.src.relative_to(book.root))))
    return found


def relaxed_blocks_css(keys: set[str]) -> str | None:
    """A stylesheet allowing one-line orphans and widows in these blocks (None: no block to relax).

    WeasyPrint keeps widows and orphans by pushing a page's notes to the next page when
    one more line of the page's last paragraph is needed to avoid them (layout/block.py).
    A note away from its call is the worse fault, so that paragraph may leave one line.
    It is given to WeasyPrint's render(stylesheets=…), a user stylesheet: `!important`
    makes it win over the house's and the book's rules, the document's HTML is left as it is.
    """
    if not keys:
        return None
    return "".join(f'[data-block="{k}"] {{ orphans: 1 !important; widows: 1 !important; }}' for k in sorted(keys))


def last_block_on_page(document, number: int) -> str | None:
    """The data-block key of the last text block laid out on page NUMBER (1-based)."""
    last = None
    for box in walk_boxes(page_box(document.pages[number - 1])):
        element = getattr(box, "element", None)
        if element is not None and isinstance(element.tag, str) and element.get("data-block") \
                and not str(getattr(box, "element_tag", "")).endswith(("::footnote-call", "::footnote-marker")):
            if "footnote" not in (element.get("class") or ""):
                last = element.get("data-block")
    return last


def footnote_pages(document) -> list[NotePages]:
    """(note id, page of its call, page of its body), read from WeasyPrint's boxes (engine-notes §1.4)."""
    calls: dict[int, int] = {}
    bodies: dict[int, tuple[str, int]] = {}
    for number, page in enumerate(document.pages, 1):
        for box in walk_boxes(page_box(page)):
            tag = str(getattr(box, "element_tag", ""))
            if tag.endswith("::footnote-call"):
                calls.setdefault(id(box.element), number)
            if is_footnote_area(box):
                for fn in box.children:
                    bodies.setdefault(id(fn.element), (fn.element.get("id") or "", number))
    return [NotePages(nid, calls.get(key), page) for key, (nid, page) in bodies.items()]
