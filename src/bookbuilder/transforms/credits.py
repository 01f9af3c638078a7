"""Captions pasted from the web end in a credit (`… / Image: Socialist Revolution`): split it off."""
from __future__ import annotations

from ..model import Book
from ..sources.conventions import printed_credit, split_caption

__all__ = ["split_caption", "split_credits"]  # split_caption: the one rule, in sources/conventions.py


def split_credits(book: Book) -> None:
    """Each figure's credit as the book prints it, under the figure and in the credits list."""
    for _essay, figure in book.figures:
        if not figure.credit_html:
            figure.caption_html, figure.credit_html = split_caption(figure.caption_html)
        figure.credit_html = printed_credit(figure.credit_html)
