"""A link with no text names what it goes to: `[](#fig-2)` reads "fig. 3.2", `[](other.md#note-4)` "note 4",
a link to an essay its title and one to a heading the heading's text, in every edition (a short form
of a cross-reference: the text cannot fall out of step with the numbers). Print still adds "(p. 143)"
when the link asks for it ({: .page}). A figure the book does not number, or a place with no name (an
{#id} on a paragraph), leaves nothing to write: a source error.
"""
from __future__ import annotations

from markupsafe import escape

from ..model import Book
from ..sources.structure import parse_fragment
from ..words import Words

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
UNNUMBERED = None  # a figure's name when the book numbers none


def unbroken(text: str) -> str:
    """'fig.\u00a03.2': a line never ends between the word and its number."""
    return str(escape(text.replace(" ", "\u00a0")))


def names(book: Book) -> dict[str, str | None]:
    """{id in the book: the HTML an empty link to it shows}; a figure without a number → UNNUMBERED."""
    words = Words.of(book)
    out: dict[str, str | None] = {}
    for essay in book.pieces:
        out[essay.slug] = essay.title_html if essay.title_html and "<a" not in essay.title_html \
            else str(escape(essay.title))  # no link inside a link
        for heading in essay.body.iter(*HEADINGS):
            if heading.get("id"):
                out[heading.get("id")] = str(escape(" ".join("".join(heading.itertext()).split())))
        for note in essay.notes:
            out[note.id] = unbroken(words.text("note_reference", number=note.number))
        for figure in essay.figures:
            out[figure.id] = unbroken(words.text("figure_reference", number=figure.number)) if figure.number \
                else UNNUMBERED
    return out


def is_empty(a) -> bool:
    """`[](#x)`: a link with neither text nor an image in it."""
    return not len(a) and not (a.text or "").strip()


def fill(a, html: str) -> None:
    """Put the target's name into the empty link `a`."""
    name = parse_fragment(html)
    a.text = name.text
    for child in list(name):
        a.append(child)


def problem(href: str, figure: bool) -> tuple[str, str]:
    """The message and hint when an empty link's target has no name to write."""
    if figure:
        return (f"the link to {href} has no text, and the book does not number its figures to name it by",
                'set numbering = "chapter" (or "book") under [figures] in book.toml, or write the link\'s text: '
                f"[the picture]({href})")
    return (f"the link to {href} has no text, and what it goes to has no name to fill it with",
            "write the link's text; only a link to a figure, a note, an essay or a heading may be left empty")
