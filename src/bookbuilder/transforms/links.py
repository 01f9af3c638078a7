"""Links between essays: `[see](10-the-same-subject.md#a-heading)` goes to that place in every edition.

Authors link as Markdown does, to the essay's file relative to their own (`../essays/x.md`),
with an optional fragment: a heading's id (its text, made ASCII, words joined by hyphens),
an id they gave with {#id}, `fig-N` or `note-N`. Each becomes `#<id in the book>`: the print
HTML holds every essay (chunks.link_across and the merge link across chunks) and the EPUB
points it at the essay's own document (epub.link_documents). A link to a file that is not an
essay in the contents, or to a place that does not exist, is a source error: no edition could
follow it, and a screen PDF would link to a path on the building machine.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from ..errors import Problems
from ..model import Book, Essay
from ..sources.links import LINE
from ..sources.structure import parse_fragment, serialise
from . import link_text

PAGE_REFERENCE = "page"  # the class of a link that print follows with the page it goes to: [x](y.md){: .page}
PAGE_LINK = re.compile(rf'<a\b[^>]*\bclass="(?:[^"]*\s)?{PAGE_REFERENCE}[\s"]')
PLACES = "a heading (its id: its text in lower case, words joined by hyphens), an {#id} you gave, fig-N or note-N"


def resolve_links(book: Book, anchors: dict[Path, dict[str, str]]) -> None:
    """Rewrite every local link in the essays' text, notes and captions to `#<id>`; raise on any that go nowhere."""
    problems = Problems()
    by_file = {e.path.resolve(): e for e in book.pieces}
    names = link_text.names(book)
    figures = {f.id for _e, f in book.figures}
    for essay in book.pieces:
        def target(href: str, line: int | None, essay: Essay = essay) -> str | None:
            rel = essay.path.relative_to(book.root) if essay.path.is_relative_to(book.root) else essay.path
            file_part, _, fragment = href.partition("#")
            fragment = unquote(fragment)
            there = essay
            if file_part:
                file = (essay.path.parent / unquote(file_part)).resolve()
                there = by_file.get(file)
                if there is None:
                    message, hint = missing_file(file_part, file)
                    problems.add(rel, message, line, hint)
                    return None
            if fragment in anchors[there.path].values() and there is essay:
                return fragment  # already the book's id (an in-essay link renamed by ids.py)
            if fragment not in anchors[there.path]:
                where = f" in {file_part}" if file_part else ""
                problems.add(rel, f"the link to #{fragment}{where} goes nowhere: there is no such place", line,
                             f"link to {PLACES}")
                return None
            return anchors[there.path][fragment]

        def name(a, found: str, href: str, line: int | None, essay: Essay = essay) -> None:
            """An empty link, `[](#fig-2)`: its target's name, or a source error when it has none."""
            if names.get(found) is not None:
                return link_text.fill(a, names[found])
            rel = essay.path.relative_to(book.root) if essay.path.is_relative_to(book.root) else essay.path
            written = {book_id: own for own, book_id in anchors[essay.path].items()}.get(href[1:]) \
                if href.startswith("#") else None  # an in-essay link ids.py renamed: the author's name for it
            message, hint = link_text.problem("#" + written if written else unquote(href), found in figures)
            problems.add(rel, message, line, hint)

        rewrite_tree(essay.body, target, name)
        for note in essay.notes:
            note.html = rewrite(note.html, target, name)
        for figure in essay.figures:
            figure.caption_html = rewrite(figure.caption_html, target, name)
    problems.raise_if_any()


def has_page_references(essay: Essay) -> bool:
    """The essay's text, notes or captions name pages of the book (print writes "(p. 143)" after such links)."""
    return any(is_page_reference(a) for a in essay.body.iter("a")) \
        or any(PAGE_LINK.search(html) for html in [*(n.html for n in essay.notes),
                                                   *(f.caption_html for f in essay.figures)])


def is_page_reference(el) -> bool:
    """A link (or, in a note, the span standing for one) that asks for its target's page: {: .page}."""
    return PAGE_REFERENCE in (el.get("class") or "").split()


def missing_file(written: str, file: Path) -> tuple[str, str]:
    """The message and hint for a link to a file that is not an essay of the book."""
    if file.suffix.lower() == ".md" and file.is_file():
        return (f"links to {written}, which is not in book.toml's contents",
                "add it to [contents], or link to its web address")
    if file.exists():
        return (f"links to the file {written}, which no edition of the book can carry",
                "link to a web address, or to an essay (.md) in the contents")
    return f"links to {written}, which does not exist", "fix the path: it is relative to this essay's file"


def rewrite(html: str, target, name=None) -> str:
    """`rewrite_tree` on an HTML fragment (a note, a caption)."""
    if LINE not in html:
        return html
    root = parse_fragment(html)
    rewrite_tree(root, target, name)
    return serialise(root)


def rewrite_tree(root, target, name=None) -> None:
    """Each local link's href → `#<id>` (`target(href, line)`), an empty one named (`name(a, id, href, line)`);
    the loader's line marks go."""
    for a in root.iter("a"):
        line = a.attrib.pop(LINE, None)
        if line is None:
            continue
        href = a.get("href", "")
        found = target(href, int(line))
        if found is not None:
            a.set("href", "#" + found)
            if name is not None and link_text.is_empty(a):
                name(a, found, href, int(line))
