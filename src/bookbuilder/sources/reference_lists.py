"""What a reference list's entries need beyond what citeproc-py gives: ids to link to, and the dash that stands
for an author named again.

The ids are made once per bibliography file from its keys (any key a BibTeX or CSL-JSON file
allows: "Marx:1867", "é1"), so that a citation can link to its entry before the list is
made (sources/citations.py).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..names import ascii_slug, unique_name

if TYPE_CHECKING:
    from .citations import Bibliography


def entry_names(source) -> dict[str, str]:
    """Each key of the file → a name for ids: ASCII, unique ("Marx:1867" and "marx-1867" differ)."""
    taken: set[str] = set()
    names = {}
    for key in sorted(source):
        names[key] = unique_name(ascii_slug(key)[:60].strip("-") or "work", taken)
        taken.add(names[key])
    return names


def substitute_authors(entries: list[str], keys: list[str], bibliography: "Bibliography") -> list[str]:
    """An entry by the same names as the one before it starts with the style's subsequent-author-substitute
    ("———." in Chicago's styles), which citeproc-py does not apply: the names as rendered are the two entries'
    common beginning up to a ". ", holding every family name."""
    substitute = bibliography.style.root.bibliography.get("subsequent-author-substitute") \
        if bibliography.style.root.bibliography is not None else None
    if not substitute:
        return entries
    out = list(entries)
    for n in range(1, min(len(entries), len(keys))):
        names = creators(bibliography.source[keys[n]])
        if not names or names != creators(bibliography.source[keys[n - 1]]):
            continue
        common = 0
        while common < min(len(entries[n]), len(entries[n - 1])) and entries[n][common] == entries[n - 1][common]:
            common += 1
        head = entries[n][:common]
        cut = head.rfind(". ")
        if cut > 0 and all(family and family in head[:cut] for family, _ in names):
            out[n] = substitute + entries[n][cut:]
    return out


def creators(item) -> list[tuple[str, str]]:
    """(family, given) of the work's authors, else its editors: the names an entry starts with."""
    names = item.get("author") or item.get("editor") or []
    return [(str(name.get("family", "") or name.get("literal", "") or ""), str(name.get("given", "") or ""))
            for name in names]
