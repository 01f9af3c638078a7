"""Refinements of the model that every edition shares, applied in a fixed order."""
from __future__ import annotations

from ..model import Book
from . import authorship, blocks, credits, ids, index, numbering, running_heads, typography

STEPS = (credits.split_credits, ids.assign_ids, index.make_index, numbering.number_parts, numbering.number_essays,
         authorship.mark_bylines, typography.refine, running_heads.fit_running_heads, blocks.key_blocks)


def apply_all(book: Book) -> Book:
    for step in STEPS:
        step(book)
    return book
