"""The house conventions a writer types as plain text, defined once for the loader, the importers and `check`.

A figure's size is asked for with a class on its image: `![A map](map.png){: .half-width }`.

An attribution is a line that opens with a dash (— ― – or --): `— Author, *Work*`.
A figure's credit ends its caption after a slash and a label word: `… / Photo: Ana Ruiz`
(the build also takes a credit that follows the caption's last sentence: `… gate. Photo: Ana Ruiz`).
The label is printed with the credit, except `Credit:`, which only marks it:
`… / Credit: Ana Ruiz` prints "Ana Ruiz".
"""
from __future__ import annotations

import re

DASHES = "—―–"
DASH = rf"(?:[{DASHES}]|--)"  # what opens an attribution
ATTRIBUTION_DASH = re.compile(rf"^\s*{DASH}\s*")
ATTRIBUTION_LINE = re.compile(ATTRIBUTION_DASH.pattern + r"(\S.*)$", re.S)

FIGURE_SIZES = ("full-page", "full-width", "half-width", "inline")

CREDIT_LABELS = ("Image", "Photo", "Photograph", "Photography", "Illustration", "Map", "Chart", "Art", "Artwork",
                 "Drawing", "Painting", "Engraving", "Source", "Credit")
UNPRINTED_LABEL = "Credit"  # marks a credit without a word printed before the name
CREDIT_LABEL = "(?:" + "|".join(sorted(CREDIT_LABELS, key=len, reverse=True)) + ")s?"  # any of them, or its plural
UNPRINTED = re.compile(rf"^{UNPRINTED_LABEL}s?\s*:\s*", re.I)
CREDIT = re.compile(rf"{CREDIT_LABEL}\s*:\s*\S", re.I)  # what a credit opens with: `Photo: A…`
CREDIT_AFTER_SLASH = re.compile(rf"\s*/\s*(?={CREDIT.pattern})", re.I)
SENTENCE_END = r"(?<=[.!?”’)])\s+|^"  # a credit may also follow the caption's last sentence
CREDIT_AFTER_SENTENCE = re.compile(rf"(?:{SENTENCE_END})(?={CREDIT.pattern})", re.I)


def split_caption(caption: str, after_sentence: bool = True) -> tuple[str, str]:
    """Return (caption, credit) as written; the credit keeps its label ('Image: X').

    The one rule for where a credit starts, used by the build, the importers and `check`. An importer
    reading ordinary prose asks for the slash only (`after_sentence=False`): a paragraph that ends
    "… rose by 3%. Source: ONS" is text, not a figure.
    """
    for pattern in (CREDIT_AFTER_SLASH, CREDIT_AFTER_SENTENCE)[: 2 if after_sentence else 1]:
        matches = list(pattern.finditer(caption))
        if matches:
            m = matches[-1]
            return caption[: m.start()].rstrip(), caption[m.end():].strip()
    return caption.strip(), ""


def is_credit(text: str) -> bool:
    """`Photo: Ana Ruiz` is a credit; `Copyright: Ana Ruiz` is not (its label is not one of ours)."""
    return bool(CREDIT.match(text.strip()))


def printed_credit(credit_html: str) -> str:
    """A credit as the book prints it: `Credit: Ana Ruiz` → `Ana Ruiz`; other labels stay (`Photo: Ana Ruiz`)."""
    return UNPRINTED.sub("", credit_html.strip(), count=1)
