"""Reading a laid-out WeasyPrint document: the page boxes and what kind each box is.

The facts a build reports (where essays, note calls, notes, figures and pages begin:
editions/layout_facts.py, editions/pagemap.py) are read from WeasyPrint's box tree after
layout. WeasyPrint documents `Document.pages` and `Page.anchors`, `Page.bookmarks`, but not
the boxes; every access to them goes through here.

Relies on (WeasyPrint 70.0; tests/test_engine_contracts.py checks each):
- `Page._page_box` (private): the root box of a laid-out page; its first child is the
  `html` box, the page's margin boxes follow;
- `PageBox.page_type.blank`: the page was added blank (a left/right break);
- the box classes of `weasyprint.formatting_structure.boxes`: `BlockLevelBox`,
  `TableCellBox`, `TextBox` (with `.text`), `ReplacedBox`, `FootnoteAreaBox` (its children
  are the page's notes); a box's `.children`, `.element` (the lxml-like element it was made
  from, ids and attributes intact) and `.element_tag` (`"p"`, `"span::footnote-call"`…);
- `is_header` / `is_footer` on table row groups repeated on every page of a table.
What would remove it upstream: a public, documented read-only box tree on `Page` (asked for
in WeasyPrint's issues as an API for "what ended up on which page").
"""
from __future__ import annotations


def page_box(page):
    """The root box of a laid-out page (WeasyPrint's private `Page._page_box`)."""
    return page._page_box


def html_box(page):
    """The box of the page's `html` element (the body flow, not the margins)."""
    return page._page_box.children[0]


def is_blank(page) -> bool:
    """A page WeasyPrint added empty (to start on a right or left page)."""
    return bool(page._page_box.page_type.blank)


def children(box) -> list:
    return getattr(box, "children", None) or []


def walk(box, skip=lambda box: False):
    """The box and its descendants, in tree order (a box before its children); `skip` prunes."""
    if skip(box):
        return
    yield box
    for child in children(box):
        yield from walk(child, skip)


def element_of(box):
    return getattr(box, "element", None)


def tag_of(box) -> str:
    """`p`, `figure`, `span::footnote-call`…: the element's tag and the pseudo-element, if any."""
    return str(getattr(box, "element_tag", ""))


def _kinds():
    from weasyprint.formatting_structure import boxes
    return boxes


def is_replaced(box) -> bool:
    """An image (raster or SVG) or another replaced element."""
    return isinstance(box, _kinds().ReplacedBox)


def is_footnote_area(box) -> bool:
    return isinstance(box, _kinds().FootnoteAreaBox)


def is_block_or_cell(box) -> bool:
    kinds = _kinds()
    return isinstance(box, (kinds.BlockLevelBox, kinds.TableCellBox))


def is_text(box) -> bool:
    return isinstance(box, _kinds().TextBox)


def is_repeated_group(box) -> bool:
    """A table's header or footer row group (WeasyPrint repeats them on each page of the table)."""
    return bool(getattr(box, "is_header", False) or getattr(box, "is_footer", False))
