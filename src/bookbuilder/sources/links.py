"""Links into the book (a path or a #fragment, not a web address), marked with their source line.

transforms/links.py resolves them once every essay and id is known, and names this line
when one goes nowhere.
"""
from __future__ import annotations

import re

from .sanitize import line_of

LINE = "data-source-line"  # removed again by transforms/links.py
SCHEME = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)
NOTE_LINKS = {"footnote-ref", "footnote-backref"}  # Python-Markdown's own, replaced by sources/structure.py
CITATION_LINK = "citation-link"  # a citation's link to its entry (sources/citations.py): made, not written


def is_local(href: str) -> bool:
    """A link into the book (a file path or #fragment), not a web address or mail link."""
    return bool(href) and not SCHEME.match(href)


def mark_link_lines(tree, lines: list[str], first_line: int) -> None:
    for a in tree.iter("a"):
        href = a.get("href")
        if href and is_local(href) and not (NOTE_LINKS | {CITATION_LINK}) & set((a.get("class") or "").split()):
            a.set(LINE, str(link_line(href, lines, first_line)))


def link_line(href: str, lines: list[str], first_line: int) -> int:
    """The line that links to `href`: one written as a link (`](href`) before one that only names it (`{: #id }`)."""
    for needle in (f"]({href}", f"](<{href}", f"]: {href}"):
        if any(needle.lower() in line.lower() for line in lines):
            return line_of(needle, lines, first_line)
    return line_of(href, lines, first_line)
