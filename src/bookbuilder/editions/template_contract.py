"""The contract a paged template override must keep, checked on the HTML it makes (docs/templates.md).

The build reads a laid-out document by ids: the page each piece opens on and spans, the
page of each note and figure, the EPUB's page breaks at the front matter's pages, the
contents' and credits' links. A book that overrides a template and drops one of those ids
would get wrong facts (or a failure far from its cause); it gets this message instead,
naming the template and the id, before anything is laid out.
"""
from __future__ import annotations

from pathlib import Path

from lxml import html as lxml_html

from ..errors import BuildError, SourceError
from ..model import Book, Essay
from ..theme import Theme
from .paged_document import PagedDocument

PAGES_OF_THE_EPUB = "the EPUB puts the print edition's page breaks by it"
LINKED = "the contents link to it, and the build finds its pages by it"
MATTERS = {"front": "frontmatter", "main": "mainmatter", "back": "backmatter"}

#: template → the block of print/book.html that includes it (a book may override either)
BLOCKS = {"print/half-title.html": "half_title", "print/title-page.html": "title_page",
          "print/copyright.html": "copyright", "print/contents.html": "contents", "print/part.html": "part",
          "print/essay.html": "essay", "print/piece.html": "piece", "print/contributors.html": "contributors",
          "print/image-credits.html": "image_credits", "print/bibliography.html": "bibliography"}


def required_ids(book: Book, document: PagedDocument, pieces: list[Essay]) -> list[tuple[str, str, str, str | None]]:
    """(id, template that writes it, why the build needs it, the matter it must stand in directly or None)."""
    wanted: list[tuple[str, str, str, str | None]] = []
    if document.front:
        wanted += [("title-page", "print/title-page.html", PAGES_OF_THE_EPUB, None),
                   ("copyright", "print/copyright.html", PAGES_OF_THE_EPUB, None),
                   ("contents", "print/contents.html", PAGES_OF_THE_EPUB, None)]
        if book.epigraphs:
            wanted.append(("book-epigraphs", "print/book-epigraphs.html", PAGES_OF_THE_EPUB, None))
        wanted += [(p.slug, "print/piece.html", LINKED, "front") for p in book.front]
    for opening in document.main or []:
        if opening.part:
            wanted.append((opening.part.id, "print/part.html", LINKED, "main"))
        else:
            wanted.append((opening.essay.slug, "print/essay.html", LINKED, "main"))
    wanted += [(p.slug, "print/piece.html", LINKED, "back") for p in document.back or []]
    if document.back_lists:
        if book.references:
            wanted.append(("bibliography", "print/bibliography.html", LINKED, None))
        if book.contributors_page:
            wanted.append(("contributors", "print/contributors.html", LINKED, None))
        if book.credited_figures or book.cover.credit_html:
            wanted.append(("image-credits", "print/image-credits.html", LINKED, None))
    for piece in pieces:
        wanted += [(f.id, "print/figure.html", "the image credits give its page, and preflight names its image by it",
                    None) for f in piece.figures]
        wanted += [(n.id, "print/note.html", "the build checks by it that the note is on its call's page", None)
                   for n in piece.notes]
    return wanted


def blamed(theme: Theme, template: str, wrappers: tuple[str, ...] = ()) -> Path:
    """The file to fix: the book's override of the template (or of a template that includes it, or of
    print/book.html), else the house's."""
    book_styles = theme.dirs[0]
    for name in (template, *wrappers, "print/book.html"):
        try:
            found = theme.template_file(name)
        except FileNotFoundError:
            continue
        if found.is_relative_to(book_styles):
            return found
    return theme.template_file(template)


def check_paged_html(html: str, book: Book, theme: Theme, document: PagedDocument, pieces: list[Essay],
                     note_template: str) -> None:
    """Raise BuildError (exit 2) naming the template and the id when the HTML lacks what the build reads."""
    root = lxml_html.document_fromstring(html)
    by_id = {el.get("id"): el for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
    errors = []
    for ident, template, why, matter in required_ids(book, document, pieces):
        wrappers = (note_template,) if template == "print/note.html" else ()
        block = f" (or the {BLOCKS[template]} block of print/book.html)" if template in BLOCKS else ""
        element = by_id.get(ident)
        if element is None:
            errors.append(SourceError(blamed(theme, template, wrappers), f'makes no element with id="{ident}"; {why}',
                                      hint=f'keep id="{ident}" in your override of {template}{block}; '
                                      "docs/templates.md lists what a template must keep"))
            continue
        parent = element.getparent()
        holder = MATTERS[matter] if matter else None
        if holder and (parent is None or holder not in (parent.get("class") or "").split()
                       or parent.getparent() is None or parent.getparent().tag != "body"):
            errors.append(SourceError(blamed(theme, template, wrappers),
                                      f'puts id="{ident}" elsewhere than directly in <div class="{holder}"> in <body>, '
                                      "where the build looks for each piece's pages",
                                      hint=f"keep the element with id=\"{ident}\" outermost in {template}{block}"))
    if errors:
        raise BuildError(errors)
