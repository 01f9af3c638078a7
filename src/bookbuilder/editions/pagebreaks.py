"""Put the print edition's page breaks into the EPUB documents, and list them for the nav's page-list.

Each `PageStart` from the print layout names an element (by `data-block` or `id`) and how
many of its letters and digits were printed before the page began. The marker goes at that
place in the element's text, or first inside the element when the page begins with it. A page whose element the EPUB
does not have (the half-title) gets its marker where the next page's marker goes.
"""
from __future__ import annotations

from dataclasses import dataclass

from lxml import etree, html as lxml_html

from ..engine.ebook import EPUB_NS
from .pagemap import LETTER, PageStart

CONTAINERS = ("ol", "ul", "dl", "table", "thead", "tbody", "tr")  # a <span> may not be their child


@dataclass(frozen=True)
class PageMarker:
    label: str
    file_name: str  # the EPUB document holding the marker

    @property
    def id(self) -> str:
        return f"page-{self.label}"

    @property
    def href(self) -> str:
        return f"{self.file_name}#{self.id}"


def marker_element(label: str) -> etree._Element:
    span = lxml_html.Element("span")
    span.set("epub:type", "pagebreak")
    span.set("role", "doc-pagebreak")
    span.set("id", f"page-{label}")
    span.set("aria-label", label)
    return span


def _is_noteref(el) -> bool:
    return el.tag == "a" and "noteref" in (el.get("class") or "").split()


def _text_slots(el):
    """(owner, attribute, parent) for every text run inside `el`, in reading order, note calls left out."""
    yield el, "text", None
    for child in el:
        if not isinstance(child.tag, str):
            yield child, "tail", el
            continue
        if not _is_noteref(child):
            yield from _text_slots(child)
        yield child, "tail", el


def marker_position(text: str, chars: int) -> int | None:
    """Index in `text` where the page begins: at its `chars`-th \\w character, moved to the start of a word.

    A page that begins inside a word (hyphenated across the break) gets its marker after
    that word; one that begins at a word keeps punctuation before it (an opening quote).
    """
    letters = [m.start() for m in LETTER.finditer(text)]
    if chars >= len(letters):
        return None
    pos = letters[chars]
    if pos > 0 and LETTER.match(text[pos - 1]):
        while pos < len(text) and LETTER.match(text[pos]):
            pos += 1
        while pos < len(text) and text[pos].isspace():
            pos += 1
        return pos if pos < len(text) else None
    while pos > 0 and not text[pos - 1].isspace() and not LETTER.match(text[pos - 1]):
        pos -= 1
    return pos


def insert_at_char(el, chars: int, spans: list) -> bool:
    """Insert `spans` where el's `chars`-th \\w character is (see marker_position); False if el is shorter."""
    slots = list(_text_slots(el))
    values = [getattr(owner, attr) or "" for owner, attr, _ in slots]
    pos = marker_position("".join(values), chars)
    if pos is None:
        return False
    for (owner, attr, parent), value in zip(slots, values):
        if pos > len(value) or (pos == len(value) and value):
            pos -= len(value)
            continue
        setattr(owner, attr, value[:pos])
        spans[-1].tail = value[pos:]
        if attr == "text":
            for i, span in enumerate(spans):
                owner.insert(i, span)
        else:
            at = parent.index(owner) + 1
            for i, span in enumerate(spans):
                parent.insert(at + i, span)
        return True
    return False


def insert_at_start(el, spans: list) -> None:
    if el.tag in CONTAINERS and el.getparent() is not None:
        parent = el.getparent()
        at = parent.index(el)
        for i, span in enumerate(spans):
            parent.insert(at + i, span)
        return
    spans[-1].tail = el.text
    el.text = None
    for i, span in enumerate(spans):
        el.insert(i, span)


def mark_pages(documents: dict[str, str], starts: list[PageStart],
               elsewhere: dict[str, str] | None = None) -> tuple[dict[str, str], list[PageMarker]]:
    """Insert page-break markers into XHTML documents (file name → `<html>` string).

    `elsewhere` maps keys of documents this function cannot edit (the nav, written by the
    package writer) to their file name: their markers are returned but not inserted.
    Returns the changed documents and every marker in page order.
    """
    trees = {name: lxml_html.document_fromstring(text) for name, text in documents.items()}
    markers = mark_trees(trees, starts, elsewhere)
    changed = {name: lxml_html.tostring(tree, encoding="unicode") for name, tree in trees.items()}
    return changed, markers


def mark_trees(trees: dict[str, etree._Element], starts: list[PageStart],
               elsewhere: dict[str, str] | None = None) -> list[PageMarker]:
    """`mark_pages` on documents already parsed (file name → lxml document), changed in place: an edition
    that goes on working on its documents (the web's html_body) parses each once."""
    elsewhere = elsewhere or {}
    index: dict[str, tuple[str, etree._Element]] = {}
    for name, tree in trees.items():
        for el in tree.iter():
            if not isinstance(el.tag, str):
                continue
            for key in (el.get("data-block"), el.get("id")):
                if key and key not in index:
                    index[key] = (name, el)
    markers: list[PageMarker] = []
    pending: list[str] = []
    for start in starts:
        pending.append(start.label)
        if start.key in elsewhere:
            markers.extend(PageMarker(label, elsewhere[start.key]) for label in pending)
            pending = []
            continue
        if start.key not in index:
            continue  # its marker goes with the next page's
        name, el = index[start.key]
        spans = [marker_element(label) for label in pending]
        if not (start.chars and insert_at_char(el, start.chars, spans)):
            insert_at_start(el, spans)
        markers.extend(PageMarker(label, name) for label in pending)
        pending = []
    return markers


def page_list_nav(markers: list[PageMarker], nav_dir: str = "", title: str = "Pages") -> etree._Element:
    """`<nav epub:type="page-list">` for the nav document (hrefs relative to the nav's folder)."""
    xhtml = "{http://www.w3.org/1999/xhtml}"
    nav = etree.Element(f"{xhtml}nav", {f"{{{EPUB_NS}}}type": "page-list", "role": "doc-pagelist",
                                         "id": "page-list", "aria-labelledby": "page-list-title", "hidden": "hidden"})
    heading = etree.SubElement(nav, f"{xhtml}h2", {"id": "page-list-title"})
    heading.text = title
    ol = etree.SubElement(nav, f"{xhtml}ol")
    for m in markers:
        li = etree.SubElement(ol, f"{xhtml}li")
        a = etree.SubElement(li, f"{xhtml}a", {"href": m.href[len(nav_dir):] if nav_dir and m.href.startswith(nav_dir)
                                               else m.href})
        a.text = m.label
    return nav
