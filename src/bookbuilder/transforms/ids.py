"""Ids unique across the whole book (the print edition is one HTML document), headings nested under the essay title."""
from __future__ import annotations

from ..model import Book, Essay
from ..sources.essay import slugify
from ..sources.structure import outer_html, parse_fragment

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _fix_essay(essay: Essay) -> None:
    root = parse_fragment(essay.body_html)
    heads = [el for el in root.iter(*HEADINGS)]
    shift = 1 if any(h.tag == "h1" for h in heads) else 0
    renamed: dict[str, str] = {}
    used: set[str] = set()
    for h in heads:
        level = min(int(h.tag[1]) + shift, 6)
        h.tag = f"h{level}"
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        old = el.get("id")
        if old is None and el.tag in HEADINGS:
            old = slugify("".join(el.itertext()))[:60]
        if old is None:
            continue
        new = f"{essay.slug}-{old}"
        while new in used:
            new += "-x"
        used.add(new)
        renamed.setdefault(old, new)
        el.set("id", new)
    for a in root.iter("a"):
        href = a.get("href") or ""
        if href.startswith("#") and href[1:] in renamed:
            a.set("href", "#" + renamed[href[1:]])
    essay.body_html = (root.text or "") + outer_html(root)


def assign_ids(book: Book) -> None:
    for essay in book.pieces:
        _fix_essay(essay)
