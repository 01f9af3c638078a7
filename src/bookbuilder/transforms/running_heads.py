"""Running heads that fit on one line: a title too long for the head is shortened at a word, with an ellipsis.

The rule: a running head may take three fifths of the text block's width. The head is set at 8.5 pt
(styles/print/10-page.css), where EB Garamond's italic averages 0.45 em a character, so the head holds
0.6 × text width / (0.45 × 8.5 pt) characters: 52 on a 6×9 in page, 40 on 5×8 in. An essay's
`running_title` is used when given (the book's own title, shown on the versos of the back matter, is fitted
the same way); either way a head over the budget is cut at the last word boundary that
leaves room for "…", and short lower-case words left at its end (of, the, de, und) go too. The CSS sets heads `white-space: nowrap; hyphens: manual`, so a head never wraps.
"""
from __future__ import annotations

import re

from ..model import Book

HEAD_PT = 8.5  # the running heads' size in styles/print/10-page.css
EM_PER_CHARACTER = 0.45  # EB Garamond italic, mixed case, on average
SHARE_OF_TEXT_WIDTH = 0.6
MARGINS_MM = 20 + 15  # inner + outer margins in styles/print/10-page.css
DEFAULT_TRIM_WIDTH_MM = 152.4  # 6 in
ELLIPSIS = "…"


def head_budget(trim_width_mm: float) -> int:
    """How many characters a running head may have on a page of this width."""
    text_width_pt = (trim_width_mm - MARGINS_MM) * 72 / 25.4
    return int(SHARE_OF_TEXT_WIDTH * text_width_pt / (EM_PER_CHARACTER * HEAD_PT))


def fit_head(text: str, budget: int) -> str:
    """`text` when it fits; else cut at the last word boundary before the budget, with '…'."""
    text = re.sub(r"[ \t\r\n]+", " ", text).strip()  # no-break spaces (French ' ?') stay what they are
    if len(text) <= budget:
        return text
    words = text[: budget].split(" ")[:-1] or [text[: budget - 1]]  # the word the budget cuts through goes
    while len(words) > 1 and len(words[-1]) <= 3 and words[-1][:1].islower():
        words.pop()  # 'the Institution of…' → 'the Institution…': a head does not end on 'of', 'the', 'de', 'und'
    return " ".join(words).rstrip(" \u00a0\u202f,;:.–—-") + ELLIPSIS


def fit_running_heads(book: Book) -> None:
    budget = head_budget(book.trim.width_mm if book.trim else DEFAULT_TRIM_WIDTH_MM)
    book.running_title = fit_head(book.running_title or book.title, budget)
    for essay in book.pieces:
        essay.running_title = fit_head(essay.running_title or essay.title, budget)
