"""The house conventions a writer types as plain text, defined once for the loader, the importers and `check`.

A figure's size is asked for with a class on its image: `![A map](map.png){: .half-width }`.

An attribution is a line that opens with a dash (— ― – or --): `— Author, *Work*`.
A figure's credit ends its caption after a slash and a label word: `… / Photo: Ana Ruiz`.
The label is printed with the credit, except `Credit:`, which only marks it:
`… / Credit: Ana Ruiz` prints "Ana Ruiz".
"""
from __future__ import annotations

import re

DASHES = "—―–"
ATTRIBUTION_DASH = re.compile(rf"^\s*(?:[{DASHES}]|--)\s*")
ATTRIBUTION_LINE = re.compile(ATTRIBUTION_DASH.pattern + r"(\S.*)$", re.S)

FIGURE_SIZES = ("full-page", "full-width", "half-width", "inline")

CREDIT_LABELS = ("Image", "Photo", "Photograph", "Photography", "Illustration", "Map", "Chart", "Art", "Artwork",
                 "Drawing", "Painting", "Engraving", "Source", "Credit")
UNPRINTED_LABEL = "Credit"  # marks a credit without a word printed before the name
CREDIT_LABEL = "(?:" + "|".join(sorted(CREDIT_LABELS, key=len, reverse=True)) + ")s?"  # any of them, or its plural
UNPRINTED = re.compile(rf"^{UNPRINTED_LABEL}s?\s*:\s*", re.I)


def printed_credit(credit_html: str) -> str:
    """A credit as the book prints it: `Credit: Ana Ruiz` → `Ana Ruiz`; other labels stay (`Photo: Ana Ruiz`)."""
    return UNPRINTED.sub("", credit_html.strip(), count=1)
