"""The back-of-book index, made from the essays' index marks ({^term}: sources/index_marks.py).

Entries are grouped by letter and sorted as a reader looks them up: accents and case set
aside, a name by its sort key when the mark gives one. Each entry keeps its locators in
reading order (so in page order); the editions turn them into pages (print, screen) or
links (EPUB), and `page_list` says how print writes them: one page once, a range as
"143–47".
"""
from __future__ import annotations

import re
import unicodedata

from ..model import Book, IndexEntry, IndexGroup, IndexLocator

NUMBER = re.compile(r"^\d+$")


def sort_key(text: str) -> str:
    """Accents and case set aside, leading quotation marks and signs skipped: "Über" files under U."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return re.sub(r"^[^a-z0-9]+", "", plain) or plain


def make_index(book: Book) -> None:
    entries: dict[str, IndexEntry] = {}
    for essay in book.pieces:
        for mark in essay.index_marks:
            entry = entries.get(mark.term)
            if entry is None:
                entry = entries[mark.term] = IndexEntry(mark.term, sort_key(mark.sort or mark.term))
            elif mark.sort and not mark.sub:
                entry.sort_key = sort_key(mark.sort)
            if mark.sub:
                sub = next((s for s in entry.subs if s.term == mark.sub), None)
                if sub is None:
                    sub = IndexEntry(mark.sub, sort_key(mark.sub))
                    entry.subs.append(sub)
                entry = sub
            if mark.see and mark.see not in entry.see:
                entry.see.append(mark.see)
            if mark.see_also and mark.see_also not in entry.see_also:
                entry.see_also.append(mark.see_also)
            if mark.anchor:
                entry.locators.append(IndexLocator(essay.slug, mark.anchor, mark.range_end))
    groups: dict[str, IndexGroup] = {}
    for entry in sorted(entries.values(), key=lambda e: (e.sort_key, e.term)):
        entry.subs.sort(key=lambda e: (e.sort_key, e.term))
        letter = entry.sort_key[:1].upper() if entry.sort_key[:1].isalpha() else ""
        groups.setdefault(letter, IndexGroup(letter)).entries.append(entry)
    book.index = [groups[k] for k in sorted(groups)]


def inclusive(first: str, last: str, style: str = "abbreviated") -> str:
    """A range of pages, by Chicago's rule for inclusive numbers (9.64): 3–10, 100–104, 101–8, 321–28, 498–532."""
    if last == first:
        return first
    if style != "abbreviated" or not (NUMBER.match(first) and NUMBER.match(last)):
        return f"{first}\u2013{last}"
    a, b = int(first), int(last)
    if a < 100 or a % 100 == 0 or b < a or len(first) != len(last):
        return f"{first}\u2013{last}"
    differ = next(i for i in range(len(first)) if first[i] != last[i])
    if a % 100 >= 10:
        differ = min(differ, len(last) - 2)  # at least two digits after 110, 210 …
    return f"{first}\u2013{last[differ:]}"


ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


def page_order(label: str) -> tuple[int, int]:
    """Where a printed page number stands in the book: the front matter's roman numbers first, then 1, 2, 3 …"""
    if NUMBER.match(label):
        return 1, int(label)
    values = [ROMAN.get(c, 0) for c in label.lower()]
    return 0, sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def page_list(entry: IndexEntry, folios: dict[str, str], style: str = "abbreviated") -> list[tuple[str, str]]:
    """(text, anchor) for each page of an entry, in order: a page named twice once, a page inside a range not again."""
    found = [(folios[loc.anchor], folios.get(loc.end, folios[loc.anchor]) if loc.end else None, loc.anchor)
             for loc in entry.locators if loc.anchor in folios]
    in_ranges: set[str] = set()
    for first, last, _ in found:
        if last is not None:
            in_ranges |= {first, last} | ({str(p) for p in range(int(first), int(last) + 1)}
                                           if NUMBER.match(first) and NUMBER.match(last) else set())
    out: list[tuple[str, str]] = []
    found.sort(key=lambda f: page_order(f[0]))  # a note's mark comes last in its essay's text, not on its page
    for first, last, anchor in found:
        if last is None and first in in_ranges:
            continue
        text = first if last is None else inclusive(first, last, style)
        if text not in (t for t, _ in out):
            out.append((text, anchor))
    return out
