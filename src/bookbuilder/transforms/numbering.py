"""Labels for parts ('Part One', 'Première partie', or the book's own 'Book I') and essays ('Chapter IV',
from the front matter's `number:` or the book's `[contents] numbering`), used by the contents, the
openings, the running heads and the EPUB's nav; and figures' numbers ('Figure 3.2', `[figures] numbering`),
which the captions open with and empty cross-references name. The ordinal words and the pattern of
a label come from the book's words (words.py)."""
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


def from_roman(text: str) -> int | None:
    """XIV → 14; None when the text is no numeral (roman() gives it back otherwise)."""
    values = dict((letters, value) for value, letters in ROMAN if len(letters) == 1)
    if not text or set(text.upper()) - set(values):
        return None
    total, last = 0, 0
    for letter in reversed(text.upper()):
        value = values[letter]
        total, last = (total - value, last) if value < last else (total + value, value)
    return total if roman(total) == text.upper() else None


def ordinal_of(number: str) -> int | None:
    """A `number:` from the front matter as a count: "4" or "IV" → 4; None for "4a" or "Coda"."""
    return int(number) if number.isdigit() else from_roman(number)


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
            essay.ordinal = ordinal_of(essay.number)
        elif essay.kind == "essay" and book.numbering != "none":
            count += 1
            essay.ordinal = count
            essay.label = book.chapter_label.replace("{n}", roman(count) if book.numbering == "roman" else str(count))
        else:
            essay.label = ""


def chapter_prefixes(book: Book) -> dict[str, str]:
    """The "3" of each piece's figures 3.1, 3.2 …: an essay's own number ("Chapter IV" → 4), else its place
    among the book's essays; front matter has none (its figures run 1, 2 … through it), back matter letters
    (A.1, B.1, as appendices are)."""
    prefixes = {piece.slug: "" for piece in book.front}
    for place, essay in enumerate(book.essays, 1):
        prefixes[essay.slug] = str(essay.ordinal or place)
    for place, piece in enumerate(book.back):
        prefixes[piece.slug] = letters(place)
    return prefixes


def letters(place: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    out = ""
    place += 1
    while place:
        place, rest = divmod(place - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


def number_figures(book: Book) -> None:
    """Each figure's number and caption label, when the book asks for them ([figures] numbering); an image
    that only decorates ({: .decorative}) is no figure a reader is sent to, and is not counted."""
    if book.figure_numbering == "none":
        return
    words = Words.of(book)
    prefixes = chapter_prefixes(book) if book.figure_numbering == "chapter" else {}
    count, front_count = 0, 0
    for piece in book.pieces:
        for ordinal, figure in enumerate([f for f in piece.figures if not f.decorative], 1):
            count += 1
            front_count += piece.kind == "front"
            prefix = prefixes.get(piece.slug, "")
            if book.figure_numbering == "book":
                figure.number = str(count)
            else:
                figure.number = f"{prefix}.{ordinal}" if prefix else str(front_count)
            figure.label = words.text("figure_label", number=figure.number)
