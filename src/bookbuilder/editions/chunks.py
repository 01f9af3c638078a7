"""The book in chunks that WeasyPrint can lay out one at a time: front matter, each part opener,
each essay and back piece, and the back matter's lists.

Every chunk opens on a recto (the house CSS breaks before each of them), so laid out on
its own it paginates exactly as it does in the whole book: only its folios depend on the
pages before it, and those are set after layout (engine/folios.py). An edit to one essay then
lays out one chunk, and chunks can be laid out side by side (layout_pool.py).

Two chunks name pages of others in their text: the contents, and the image credits and index. They
are laid out last, with those numbers written in (`page_refs`), and their links to other
chunks go through `bookref:` URLs that the merge turns into links inside the book
(assemble.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Book
from ..transforms.links import PAGE_REFERENCE, has_page_references

FRONT, BACK_LISTS = "front", "back-lists"


@dataclass(frozen=True)
class Chunk:
    key: str  # "front", a part id, an essay or piece slug, or "back-lists"
    matter: str  # "front", "main" or "back"
    carried: str = ""  # string-set for running-head strings set earlier in the book
    needs_pages: bool = False  # its text names other chunks' pages: laid out once they are counted
    names_pages: bool = False  # its text refers to pages ({: .page} links): laid out again once they are counted


def css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def plan(book: Book) -> list[Chunk]:
    """The chunks in reading order."""
    carried = f"book-title {css_string(book.running_title or book.title)}"  # set on the half-title; the back matter's versos show it
    chunks = [Chunk(FRONT, "front", needs_pages=True)]
    for part in book.parts:
        if part.title:
            chunks.append(Chunk(part.id, "main", carried))
        chunks += [Chunk(essay.slug, "main", carried, names_pages=has_page_references(essay)) for essay in part.essays]
    chunks += [Chunk(piece.slug, "back", carried, names_pages=has_page_references(piece)) for piece in book.back]
    if book.references or book.contributors_page or book.credited_figures or book.cover.credit_html or book.index:
        chunks.append(Chunk(BACK_LISTS, "back", carried, needs_pages=True))
    return chunks


IDS = re.compile(r'\bid="([^"]+)"')
LOCAL_HREF = re.compile(r'\bhref="#([^"]+)"')


PAGE_TAG = re.compile(rf'<(?:a|span)\b[^>]*\bclass="(?:[^"]*\s)?{PAGE_REFERENCE}[\s"][^>]*>')  # in the text or a note
PAGE_TARGET = re.compile(r'\b(?:href="#|data-target="#)([^"]+)"')


def link_across(html: str) -> str:
    """Links to anchors in other chunks as `bookref:` URLs (WeasyPrint drops links it cannot resolve).

    A page reference to another chunk whose page is not known yet reads "?" (data-page) until the
    chunk is laid out again with it (layout_pool.last_round): CSS target-counter cannot reach
    across chunks, and WeasyPrint would warn of an undefined anchor on every first layout.
    """
    here = set(IDS.findall(html))

    def pending(m: re.Match) -> str:
        tag = m.group(0)
        target = PAGE_TARGET.search(tag)
        if "data-page=" in tag or target is None or target.group(1) in here:
            return tag
        return tag[:-1] + ' data-page="?">'

    html = PAGE_TAG.sub(pending, html)
    return LOCAL_HREF.sub(lambda m: m.group(0) if m.group(1) in here else f'href="bookref:{m.group(1)}"', html)


def padded(pages: int) -> int:
    """Pages a chunk takes in the book: the next chunk opens on a recto, so an odd count gets a blank verso."""
    return pages + pages % 2


def link_documents(documents: dict[str, str]) -> dict[str, str]:
    """Documents by file name → the same, a link to `#id` in another one pointing at that file (`file#id`).

    The text's ids are unique book-wide (transforms/ids.py), so essays link to each other as in the
    one HTML the print edition sets; the EPUB and the web edition split it into files."""
    home = {ident: name for name, html in documents.items() for ident in IDS.findall(html)}
    linked = {}
    for name, html in documents.items():
        here = set(IDS.findall(html))

        def point(m, here=here):
            ident = m.group(1)
            return m.group(0) if ident in here or ident not in home else f'href="{home[ident]}#{ident}"'
        linked[name] = LOCAL_HREF.sub(point, html)
    return linked
