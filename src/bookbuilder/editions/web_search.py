"""The web edition's search index, made in Python at build time: the site needs no search service.

Each entry is a block of text (a paragraph, a heading, a list item, a note) with the page it is on
and the nearest place a link can go to: its own id, else the print page it is printed on (#page-143).
search.js reads it on the search page; nothing else loads it.
"""
from __future__ import annotations

import re

from lxml import html as lxml_html

BLOCKS = {"p", "h1", "h2", "h3", "h4", "li", "dt", "dd", "figcaption", "td", "th"}
SPACE = re.compile(r"\s+")


def search_entries(pages) -> list[dict]:
    """[{"u": file, "t": title, "b": [[href fragment, print page, text], …]}, …] in reading order."""
    entries = []
    for page in pages:
        root = lxml_html.fragment_fromstring(page.body or "<p></p>", create_parent="div")
        blocks: list[list[str]] = []
        page_label = ""
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            if el.get("data-page"):
                page_label = el.get("data-page")
                continue
            if el.tag not in BLOCKS or any(a.tag in BLOCKS for a in el.iterancestors()):
                continue
            text = SPACE.sub(" ", el.text_content()).strip()
            if not text:
                continue
            anchor = el.get("id") or next((a.get("id") for a in el.iterancestors() if a.get("id")), "")
            if page_label and (not anchor or anchor == (page.essay.slug if page.essay else "")):
                anchor = f"page-{page_label}"
            blocks.append([anchor, page_label, text])
        if blocks:
            entries.append({"u": page.file, "t": page.title, "b": blocks})
    return entries
