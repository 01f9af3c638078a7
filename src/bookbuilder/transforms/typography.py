"""Small typographic refinements: no one-word last lines in titles, attributions kept with their dash."""
from __future__ import annotations

import re

from ..model import Book

NBSP = "\u00a0"


def tie_last_word(html: str) -> str:
    """Join the last two words of a short title so it never ends on a lone word."""
    if "<" in html or html.count(" ") < 2:
        return html
    head, last = html.rsplit(" ", 1)
    return head + NBSP + last if len(last) < 12 else html


def tie_attribution(html: str) -> str:
    """In an attribution (an epigraph's, a quotation's figcaption), keep 'p. 12' and similar pairs together."""
    return re.sub(r"\b(p|pp|vol|no|ch)\. (\d)", rf"\1.{NBSP}\2", html)


def refine(book: Book) -> None:
    for essay in book.pieces:
        essay.title_html = tie_last_word(essay.title_html)
        essay.body_html = re.sub(r"(<figcaption>)(.*?)(</figcaption>)",
                                 lambda m: m.group(1) + tie_attribution(m.group(2)) + m.group(3),
                                 essay.body_html, flags=re.S)
    for part in book.parts:
        part.title_html = tie_last_word(part.title_html)
    for epigraph in [*book.epigraphs, *(e for p in book.parts for e in p.epigraphs),
                     *(e for piece in book.pieces for e in piece.epigraphs)]:
        epigraph.attribution_html = tie_attribution(epigraph.attribution_html)
