"""Where each page of the print edition begins, read from WeasyPrint's own layout.

A page start is told as a key the EPUB can find (an element's `data-block` or `id`) and
how many letters and digits (`\\w` characters) of that element were printed on earlier
pages, so the EPUB edition can put a page-break marker at the same place. Counting only
`\\w` makes the count blind to what layout adds or changes: collapsed spaces, the
hyphens of hyphenation, line breaks. Generated content (note calls, list markers) is
left out, as the EPUB leaves out its note references.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..engine.boxes import html_box, is_blank, is_block_or_cell, is_repeated_group, is_text
from ..transforms.numbering import roman_folio as roman  # the one numeral rule; folios are lower case

LETTER = re.compile(r"\w")
GENERATED = ("::before", "::after", "::marker", "::footnote-call", "::footnote-marker")


@dataclass(frozen=True)
class PageStart:
    label: str  # the printed page number: "ix", "12"
    key: str  # data-block or id of the element the page begins in
    chars: int  # \w characters of that element printed on earlier pages (0: the page begins with it)


def element_key(element) -> str | None:
    if element is None or not isinstance(element.tag, str):
        return None
    return element.get("data-block") or element.get("id")


def _walk(box, skip=lambda box: False):
    if skip(box):
        return
    yield box
    for child in getattr(box, "children", None) or []:
        yield from _walk(child, skip)


def _repeated(groups_seen: set):
    """A table's header or footer row group met again: WeasyPrint repeats it on each page of the table."""
    def skip(box) -> bool:
        if not is_repeated_group(box):
            return False
        if id(box.element) in groups_seen:
            return True
        groups_seen.add(id(box.element))
        return False
    return skip


def _ancestors(element, parents: dict):
    while element in parents:
        element = parents[element]
        yield element


def _page_flow(page, parents: dict, groups_seen: set):
    """(keyed block elements in tree order, \\w characters per key) for the body flow of one page (no margins, no notes)."""
    root = html_box(page)
    blocks: list = []
    seen: set = set()
    text: dict[str, int] = {}
    for box in _walk(root, _repeated(groups_seen)):
        if is_block_or_cell(box) and element_key(box.element) \
                and id(box.element) not in seen:
            seen.add(id(box.element))
            blocks.append(box.element)
        if is_text(box) and not str(getattr(box, "element_tag", "")).endswith(GENERATED):
            count = len(LETTER.findall(box.text))
            for el in [box.element, *_ancestors(box.element, parents)]:
                key = element_key(el)
                if key:
                    text[key] = text.get(key, 0) + count
    return blocks, text


def page_starts(document, labels: list[str]) -> list[PageStart]:
    """One PageStart per page that has body text or an opening; blank pages are left out.

    `labels` are the printed page numbers of the document's pages (typeset.folio_labels).
    """
    if not document.pages:
        return []
    html = html_box(document.pages[0]).element  # WeasyPrint's ElementTree has no parent links
    parents = {child: parent for parent in html.iter() for child in parent}
    printed: dict[str, int] = {}  # \w characters of each key on the pages so far
    groups_seen: set = set()
    starts: list[PageStart] = []
    for page, label in zip(document.pages, labels):
        if is_blank(page):
            continue
        blocks, text = _page_flow(page, parents, groups_seen)
        start = _first_block(blocks, printed, parents)
        if start is not None:
            key = element_key(start)
            starts.append(PageStart(label, key, printed.get(key, 0)))
        for key, count in text.items():
            printed[key] = printed.get(key, 0) + count
        for el in blocks:
            printed.setdefault(element_key(el), 0)
    return starts


def _first_block(blocks: list, printed: dict[str, int], parents: dict):
    """The innermost keyed element the page begins in: descend while the page continues an element."""
    if not blocks:
        return None
    current = blocks[0]
    for nxt in blocks[1:]:
        if element_key(current) not in printed:
            return current  # begins on this page
        if any(a is current for a in _ancestors(nxt, parents)):
            current = nxt
        else:
            break
    return current
