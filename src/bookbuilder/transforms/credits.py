"""Captions pasted from the web end in a credit (`… / Image: Socialist Revolution`): split it off."""
from __future__ import annotations

import re

from ..model import Book
from ..sources.conventions import CREDIT_LABEL, printed_credit

SLASH = re.compile(rf"\s*/\s*(?={CREDIT_LABEL}\s*:)", re.I)
SENTENCE = re.compile(rf"(?:(?<=[.!?”’)])\s+|^)(?={CREDIT_LABEL}\s*:\s*\S)", re.I)


def split_caption(caption_html: str) -> tuple[str, str]:
    """Return (caption, credit) as written; the credit keeps its label ('Image: X')."""
    for pattern in (SLASH, SENTENCE):
        matches = list(pattern.finditer(caption_html))
        if matches:
            m = matches[-1]
            return caption_html[: m.start()].rstrip(), caption_html[m.end():].strip()
    return caption_html.strip(), ""


def split_credits(book: Book) -> None:
    """Each figure's credit as the book prints it, under the figure and in the credits list."""
    for _essay, figure in book.figures:
        if not figure.credit_html:
            figure.caption_html, figure.credit_html = split_caption(figure.caption_html)
        figure.credit_html = printed_credit(figure.credit_html)
