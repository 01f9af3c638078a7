"""Labels for parts ('Part One', 'Première partie', or the book's own 'Book I') and essays ('Chapter IV',
from the front matter's `number:` or the book's `[contents] numbering`), used by the contents, the
openings, the running heads and the EPUB's nav. The ordinal words and the pattern of a part's label
come from the book's words (words.py)."""
from __future__ import annotations

import re

from ..model import Book
from ..words import Words

# A part titled "Book I", "Part the Second" or "Livre premier" carries its own label: no "Part One" is added.
# The word must be followed by a number, so "Book Reviews" is still "Part Two".
SELF_LABELLED = re.compile(r"^\s*(?:part|book|volume|section|chapter|partie|livre|tome|chapitre|teil|buch|band|"
                           r"kapitel|parte|libro|capítulo|capitolo|sezione|sección)\s+(?:the\s+)?"
                           r"(?:[ivxlcdm]+|\d+|one|two|three|four|five|six|seven|eight|nine|ten|first|second|third|"
                           r"fourth|fifth|sixth|seventh|eighth|ninth|tenth|premier|première|second|seconde|"
                           r"deuxième|troisième|erste[rs]?|zweite[rs]?|dritte[rs]?|primo|prima|secondo|primero|"
                           r"primera|segundo|segunda)\b", re.I)

ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
         (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(number: int) -> str:
    """A chapter's or a part's numeral: XIV. The one numeral rule, for labels and folios alike."""
    out = ""
    for value, letters in ROMAN:
        count, number = divmod(number, value)
        out += letters * count
    return out


def roman_folio(number: int) -> str:
    """A front-matter page number: xiv."""
    return roman(number).lower()


def number_parts(book: Book) -> None:
    words = Words.of(book)
    for part in book.parts:
        if part.label is None:
            part.label = words.part_label(part.number) if part.number and not SELF_LABELLED.match(part.title) else ""


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
