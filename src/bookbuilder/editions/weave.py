"""Put an edition's rendering of figures and notes where the essay body holds their placeholders."""
from __future__ import annotations

from copy import deepcopy
from typing import Callable

from lxml import etree

from ..model import Essay, Figure, Note
from ..sources.structure import parse_fragment, serialise


def weave(essay: Essay, figure: Callable[[Figure], str], note: Callable[[Note], str]) -> etree._Element:
    """The essay's body with this edition's figures and notes in it: a copy of the model's tree (copying is
    cheaper than parsing its HTML again, and the model stays the same for the next edition)."""
    figures = {f.id: f for f in essay.figures}
    notes = {n.id: n for n in essay.notes}
    root = deepcopy(essay.body)
    for el in list(root.iter("figure", "a")):
        key = el.get("data-figure") or el.get("data-note")
        if key is None:
            continue
        html = figure(figures[key]) if key in figures else note(notes[key])
        holder = parse_fragment(html)
        parent, tail = el.getparent(), el.tail
        index = parent.index(el)
        parent.remove(el)
        new = list(holder)
        if holder.text and holder.text.strip():
            raise ValueError(f"template output for {key} must be one element")
        for offset, child in enumerate(new):
            parent.insert(index + offset, child)
        last = new[-1] if new else None
        if last is not None:
            last.tail = (last.tail or "") + (tail or "")
    return root


def weave_body(essay: Essay, figure: Callable[[Figure], str], note: Callable[[Note], str]) -> str:
    """`weave`, written out as the edition's XHTML."""
    return serialise(weave(essay, figure, note))
