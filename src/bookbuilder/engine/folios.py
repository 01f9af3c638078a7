"""Folios decided after pagination: a chunk is laid out before the pages ahead of it are counted.

WeasyPrint paginates the whole document first and makes the margin boxes (running heads,
folios) only afterwards (layout/__init__.py, `layout_document`). At that moment the
chunk's page count is known, so we ask for the folio offset then — the pages ahead may
still be in another process — and shift the page counter the margin boxes see. The body
never reads the page counter in chunks (the contents get their numbers written in), so
nothing else moves.

Relies on (WeasyPrint 70.0; tests/test_engine_contracts.py checks each):
- `weasyprint.layout.make_margin_boxes(context, page, state)`, looked up as a module global
  by `layout_document` after every page is laid out; it is replaced process-wide by a
  wrapper that does nothing unless a `folios_after_pagination` request is active;
- `state[1]` is the counter values (a dict of lists); `state[1]["pages"][-1]` is the page
  count by then and `state[1]["page"][-1]` the page's number.
What would remove it upstream: a documented way to start the page counter of a rendering
at a number given after pagination (a `page_offset` argument to `HTML.render`, or
`counter-reset: page N` honoured on a later pass), or a hook called before the margin
boxes are made.
"""
from __future__ import annotations

import copy
from contextlib import contextmanager
from typing import Callable

_offset_for: list = []  # the active request: [ask(pages) -> offset, offset or None]


def _shifted(original):
    def make_margin_boxes(context, page, state):
        if _offset_for:
            request = _offset_for[-1]
            if request[1] is None:
                request[1] = request[0](state[1]["pages"][-1])  # WeasyPrint has set `pages` to the page count
            if request[1]:
                state = copy.deepcopy(state)
                counters = state[1]
                counters["page"] = [*counters["page"][:-1], counters["page"][-1] + request[1]]
        return original(context, page, state)
    make_margin_boxes.bookbuilder = True
    return make_margin_boxes


def install() -> None:
    import weasyprint.layout as layout

    if not getattr(layout.make_margin_boxes, "bookbuilder", False):
        layout.make_margin_boxes = _shifted(layout.make_margin_boxes)


@contextmanager
def folios_after_pagination(ask: Callable[[int], int]):
    """While laying out: once the pages are counted, `ask(pages)` gives the number to add to every folio."""
    install()
    request = [ask, None]
    _offset_for.append(request)
    try:
        yield request
    finally:
        _offset_for.remove(request)
