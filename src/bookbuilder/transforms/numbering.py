"""Labels for parts ('Part One', or the book's own 'Book I') and essays ('Chapter IV', from the
front matter's `number:` or the book's `[contents] numbering`), used by the contents, the
openings, the running heads and the EPUB's nav."""
from __future__ import annotations

import re

from ..model import Book

WORDS = ["Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten",
         "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen",
         "Nineteen", "Twenty"]

# A part titled "Book I" or "Part the Second" carries its own label: no "Part One" is added before it.
SELF_LABELLED = re.compile(r"^\s*(part|book|volume|section|chapter)\b", re.I)

ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
         (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(number: int) -> str:
    out = ""
    for value, letters in ROMAN:
        count, number = divmod(number, value)
        out += letters * count
    return out


def part_label(number: int) -> str:
    return f"Part {WORDS[number] if number < len(WORDS) else number}"


def number_parts(book: Book) -> None:
    for part in book.parts:
        if part.label is None:
            part.label = part_label(part.number) if part.number and not SELF_LABELLED.match(part.title) else ""


def number_essays(book: Book) -> None:
    """An essay's `label:` stands as written; `number:` goes into the chapter_label; the others are
    numbered in order when the book asks (an essay with `label: ""` is skipped and not counted)."""
    count = 0
    for essay in book.pieces:
        if essay.label is not None:
            continue
        if essay.number:
            essay.label = book.chapter_label.replace("{n}", essay.number)
        elif essay.kind == "essay" and book.numbering != "none":
            count += 1
            essay.label = book.chapter_label.replace("{n}", roman(count) if book.numbering == "roman" else str(count))
        else:
            essay.label = ""
