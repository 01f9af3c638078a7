"""Part labels ('Part One'), used by the contents, the part openings and the EPUB's nav."""
from __future__ import annotations

from ..model import Book

WORDS = ["Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten",
         "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen",
         "Nineteen", "Twenty"]


def part_label(number: int) -> str:
    return f"Part {WORDS[number] if number < len(WORDS) else number}"


def number_parts(book: Book) -> None:
    for part in book.parts:
        part.label = part_label(part.number) if part.number else ""
