"""The print edition: one HTML document typeset by WeasyPrint with the house print CSS.

WeasyPrint does the pagination; this module only prepares the document and reports
what the checks need (the page each essay and note landed on).
"""
from __future__ import annotations

from pathlib import Path

from ..errors import BuildError, SourceError
from ..model import Book
from .base import Edition, RenderContext, Rendered
from .fetch import LocalOnlyFetcher
from .pagemap import page_starts
from .reproducible import stable_pdf_ids, w3c_timestamp
from .weave import weave_body


def font_face_css(fonts, url) -> str:
    return "\n".join(
        f'@font-face {{ font-family: "{f.family}"; font-style: {f.style}; font-weight: {f.weight}; '
        f'src: url("{url(f)}"); }}' for f in fonts)


class PrintEdition(Edition):
    name = "print"
    suffix = "-print.pdf"
    stylesheet_folder = "print"

    def html(self, ctx: RenderContext) -> str:
        """The whole book as one HTML document (also what `build --html` writes for CSS debugging)."""
        book, theme = ctx.book, ctx.theme

        def figure(f):
            return theme.render("print/figure.html", figure=f, src=f.src.as_uri())

        def note(n):
            return theme.render("print/note.html", note=n)

        bodies = {e.slug: weave_body(e, figure, note) for e in book.pieces}
        return theme.render(
            "print/book.html", book=book, bodies=bodies, edition=self.name,
            fonts_css=font_face_css(theme.fonts(), lambda f: f.file.as_uri()),
            stylesheets=[p.as_uri() for p in theme.stylesheets(self.stylesheet_folder)],
            page_size=(book.trim.css_size if book.trim else "6in 9in"),
            modified=w3c_timestamp(book),
        )

    def layout(self, ctx: RenderContext):
        """WeasyPrint's Document of the book, and the facts checks and other editions need from it."""
        from weasyprint import HTML

        book = ctx.book
        ctx.progress(f"{self.name}: laying out pages")
        fetcher = LocalOnlyFetcher([book.root, *ctx.theme.dirs, *{f.file.parent for f in ctx.theme.fonts()}])
        document = HTML(string=self.html(ctx), base_url=book.root.as_uri() + "/", url_fetcher=fetcher).render()
        if fetcher.refused:
            raise BuildError([SourceError(book.root, f"refused to load {url}: {why}",
                                          hint="keep images and styles inside the book folder")
                              for url, why in fetcher.refused])
        return document, page_facts(document, book)

    def render(self, ctx: RenderContext) -> Rendered:
        book = ctx.book
        document, facts = self.layout(ctx)
        target = ctx.work_dir / self.filename(book)
        ctx.progress(f"{self.name}: writing {len(document.pages)} pages")
        with stable_pdf_ids(book):
            document.write_pdf(target, **self.pdf_options(book))
        return Rendered(self.name, target, pages=len(document.pages), facts=facts)

    def pdf_options(self, book: Book) -> dict:
        return {"pdf_identifier": book.identifier.encode()}


def page_facts(document, book: Book) -> dict:
    """Physical page (1-based) of every essay opening and of each note call and body."""
    starts: dict[str, int] = {}
    for number, page in enumerate(document.pages, 1):
        for anchor in page.anchors:
            starts.setdefault(anchor, number)
    essays = {e.slug: starts.get(e.slug) for e in book.pieces}
    return {"anchors": starts, "essay_pages": essays, "footnotes": footnote_pages(document),
            "page_starts": page_starts(document)}


def footnote_pages(document) -> list[tuple[str, int | None, int | None]]:
    """(note id, page of its call, page of its body), read from WeasyPrint's boxes (engine-notes §1.4)."""
    from weasyprint.formatting_structure import boxes

    def walk(box):
        yield box
        for child in getattr(box, "children", None) or []:
            yield from walk(child)

    calls: dict[int, int] = {}
    bodies: dict[int, tuple[str, int]] = {}
    for number, page in enumerate(document.pages, 1):
        for box in walk(page._page_box):
            tag = str(getattr(box, "element_tag", ""))
            if tag.endswith("::footnote-call"):
                calls.setdefault(id(box.element), number)
            if isinstance(box, boxes.FootnoteAreaBox):
                for fn in box.children:
                    bodies.setdefault(id(fn.element), (fn.element.get("id") or "", number))
    return [(nid, calls.get(key), page) for key, (nid, page) in bodies.items()]
