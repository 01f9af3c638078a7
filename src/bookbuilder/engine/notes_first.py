"""Notes stay on their call's page: WeasyPrint keeps widows and orphans by moving lines, not notes.

When a paragraph's line overflows the page and breaking before it would leave a widow or
an orphan (but breaking after it would not), WeasyPrint 70 makes room for that one line by
pushing the page's footnotes to the next page (layout/block.py, `_linebox_layout`: the
`report = not context.in_column and can_break_now and not could_break_before` branch, then
`while report and context.current_page_footnotes: context.report_footnote(...)`). A note
can then land after its call's page. A book would rather run a page a line short. This
changes that one decision: the line is broken as if the page had no notes to push, and the
widow and orphan rules move lines (or the whole paragraph) on to the next page, notes with
their calls. On the 624-page benchmark book that brings 44 late notes of 350 to none, with
the same page count.

How, without touching WeasyPrint's source text: `_linebox_layout` is wrapped (the module
global that `block_container_layout` calls is replaced) and given a view of the layout
context in which `current_page_footnotes` reads as empty. That attribute is read directly
(not through a LayoutContext method) in exactly one place on the way of a line: the loop
above, which then never runs, and WeasyPrint takes its own `else` branch (`_break_line`,
widows and orphans honoured). (The view also reaches the inline layout of the line; the
only other direct reader there is the multi-column layout of an inline-block, where pushing
notes is likewise left out.) Everything else — attribute writes, the LayoutContext methods,
which run bound to the real context — goes to the real context, so the footnote area,
`layout_footnote` and `report_footnote` for a note that does not fit are untouched.

Relies on (WeasyPrint 70.0; tests/test_engine_contracts.py checks each):
- `weasyprint.layout.block._linebox_layout(context, ...)`, called through the module global;
- `LayoutContext.current_page_footnotes` read in it as the pending notes of the page;
- `weasyprint.layout.LayoutContext` (the class the view forwards to).
What would remove it upstream: an option or a `footnote-policy`-like property that tells
WeasyPrint to keep footnotes rather than lines (https://github.com/Kozea/WeasyPrint,
layout/block.py). If the names above disappear, nothing is patched, a warning is logged and
the print edition's repair pass still brings late notes back (editions/typeset.py).
"""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)
_applied: bool | None = None
#: The private function wrapped: a test sets it to a missing name to run without the patch.
TARGET = "_linebox_layout"


class NotesKeptContext:
    """The layout context as `_linebox_layout` sees it: no page footnote can be pushed on to make room.

    Reads of `current_page_footnotes` give an empty list; every other read, and every write,
    is the real context's (methods come back bound to it, so they see the real notes).
    """

    __slots__ = ("_real",)

    def __init__(self, real):
        object.__setattr__(self, "_real", real)

    @property
    def current_page_footnotes(self):
        return []

    def __getattr__(self, name):
        return getattr(self._real, name)

    def __setattr__(self, name, value):
        setattr(self._real, name, value)

    def __delattr__(self, name):
        delattr(self._real, name)


def keeping_notes(linebox_layout):
    """`linebox_layout` with the same contract, laid out against a NotesKeptContext."""
    def wrapped(context, *args, **kwargs):
        if not isinstance(context, NotesKeptContext):
            context = NotesKeptContext(context)
        return linebox_layout(context, *args, **kwargs)
    wrapped.bookbuilder_notes_first = True
    wrapped.__wrapped__ = linebox_layout
    wrapped.__name__ = getattr(linebox_layout, "__name__", TARGET)
    return wrapped


def keep_notes_with_calls() -> bool:
    """Wrap WeasyPrint's line layout once per process; whether the override is in place."""
    global _applied
    if _applied is None:
        from weasyprint.layout import LayoutContext, block

        original = getattr(block, TARGET, None)
        init = getattr(LayoutContext.__init__, "__code__", None)
        context_has_notes = init is not None and "current_page_footnotes" in init.co_names
        if not callable(original) or not context_has_notes:
            log.warning("notes-first patch not applied: WeasyPrint's line layout has changed "
                        f"(no layout.block.{TARGET} or LayoutContext.current_page_footnotes)")
            _applied = False
        else:
            if not getattr(original, "bookbuilder_notes_first", False):
                setattr(block, TARGET, keeping_notes(original))
            _applied = True
    return _applied
