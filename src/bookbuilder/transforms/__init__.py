"""Refinements of the model that every edition shares, applied in a fixed order."""
from __future__ import annotations

from ..model import Book
from . import authorship, blocks, credits, ids, index, numbering, running_heads, typography

# Numbers before ids: a link with no text ([](#fig-2)) is filled in with its target's number as it is resolved.
STEPS = (credits.split_credits, numbering.number_parts, numbering.number_essays, numbering.number_figures,
         ids.assign_ids, index.make_index, authorship.mark_bylines, typography.refine,
         running_heads.fit_running_heads, blocks.key_blocks)


def apply_all(book: Book) -> Book:
    for step in STEPS:
        step(book)
    return book
