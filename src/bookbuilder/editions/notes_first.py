"""Notes stay on their call's page: WeasyPrint keeps widows and orphans by moving lines, not notes.

When a paragraph's line overflows the page and breaking before it would leave a widow or
an orphan, WeasyPrint 70 (layout/block.py, `_linebox_layout`) makes room by pushing the
page's footnotes to the next page, so a note can land after its call's page. A book
would rather run a page a line short. This changes that one decision: the line is broken
as if the page had no notes, and the widow and orphan rules move lines (or the whole
paragraph) on to the next page, notes with their calls. On the 624-page benchmark book
that brings 44 late notes of 350 to none, with the same page count.

The change is made to the function's source at run time. If a WeasyPrint upgrade changes
that line, nothing is patched and the print edition's audit and repair pass still catch
late notes (print.py).
"""
from __future__ import annotations

import inspect
import logging

DECISION = "report = not context.in_column and can_break_now and not could_break_before"
log = logging.getLogger(__name__)
_applied: bool | None = None


def keep_notes_with_calls() -> bool:
    """Patch WeasyPrint's line layout once per process; whether the patch is in place."""
    global _applied
    if _applied is None:
        from weasyprint.layout import block

        source = inspect.getsource(block._linebox_layout)
        if DECISION not in source:
            log.warning("notes-first patch not applied: WeasyPrint's line layout has changed")
            _applied = False
        else:
            exec(compile(source.replace(DECISION, "report = False"), block.__file__, "exec"), block.__dict__)
            _applied = True
    return _applied
