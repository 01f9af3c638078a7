"""Ids unique across the whole book (the print edition is one HTML document), headings nested under the essay title.

Every id is `<essay slug>-<name>`: the slug is a valid XML name (names.py), and the name is
the author's {#id} or the heading's text made ASCII, so ids are NCNames whatever the source
says, and a PDF named destination or an EPUB fragment never needs escaping.
"""
from __future__ import annotations

from ..model import Book, Essay
from ..names import ascii_slug, unique_name
from ..sources.book import is_reserved
from ..sources.structure import parse_fragment, serialise
from . import links

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _rename_ids(root, essay: Essay, taken, renamed: dict[str, str]) -> None:
    """Give every id in `root` (and every heading) its book-wide name, recording the author's names for links."""
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        old = el.get("id")
        if old is None and el.tag in HEADINGS:
            old = ascii_slug("".join(el.itertext()))[:60].strip("-") or "section"
        if old is None:
            continue
        new = unique_name(f"{essay.slug}-{ascii_slug(old)[:60].strip('-') or 'id'}", taken)
        taken.add(new)
        renamed.setdefault(old, new)
        el.set("id", new)


def _point_links(root, renamed: dict[str, str]) -> None:
    for a in root.iter("a"):
        href = a.get("href") or ""
        if href.startswith("#") and href[1:] in renamed:
            a.set("href", "#" + renamed[href[1:]])


def _fix_essay(essay: Essay, taken) -> dict[str, str]:
    """Nest the headings and rename the essay's ids, in its body, notes and captions alike;
    returns {name the author may link to: id in the book}."""
    root = essay.body
    heads = [el for el in root.iter(*HEADINGS)]
    shift = 1 if any(h.tag == "h1" for h in heads) else 0
    renamed: dict[str, str] = {"": essay.slug}
    for h in heads:
        level = min(int(h.tag[1]) + shift, 6)
        h.tag = f"h{level}"
    _rename_ids(root, essay, taken, renamed)
    extras = [(note, "html") for note in essay.notes] + [(f, "caption_html") for f in essay.figures] \
        + [(f, "credit_html") for f in essay.figures] + [(e, "text_html") for e in essay.epigraphs] \
        + [(e, "attribution_html") for e in essay.epigraphs]
    trees = [(thing, field, parse_fragment(getattr(thing, field))) for thing, field in extras if getattr(thing, field)]
    for _thing, _field, tree in trees:  # a {: #id } in a note is an id of the book's like any other
        _rename_ids(tree, essay, taken, renamed)
    _point_links(root, renamed)
    for thing, field, tree in trees:
        _point_links(tree, renamed)
        setattr(thing, field, serialise(tree))
    for thing in [*essay.figures, *essay.notes]:  # fig-2, note-3: what the author can name them by
        renamed.setdefault(thing.id.removeprefix(essay.slug + "-"), thing.id)
    for mark in essay.index_marks:  # the anchors its index marks left (sources/index_marks.py)
        mark.anchor = renamed.get(mark.anchor, mark.anchor) if mark.anchor else ""
        mark.range_end = renamed.get(mark.range_end, mark.range_end) if mark.range_end else ""
    return renamed


def assign_ids(book: Book) -> None:
    taken = _BookIds({e.slug for e in book.pieces} | {f"{e.slug}-title" for e in book.pieces}
                     | {p.id for p in book.parts} | {f"{p.id}-title" for p in book.parts}
                     | {x for e in book.pieces for n in e.notes for x in (n.id, n.ref_id)}
                     | {f.id for e in book.pieces for f in e.figures})
    anchors = {essay.path: _fix_essay(essay, taken) for essay in book.pieces}
    links.resolve_links(book, anchors)


class _BookIds(set):
    """Ids already given in the book, and the names its own pages use (is_reserved)."""

    def __contains__(self, name) -> bool:
        return super().__contains__(name) or is_reserved(name)
