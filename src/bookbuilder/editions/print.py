"""The paged editions: the book typeset by WeasyPrint with the house print CSS.

WeasyPrint does the pagination; this module prepares the HTML and reads what the checks
need from WeasyPrint's boxes (the page each essay, note and figure landed on).
`PdfEdition` is shared by the print and screen PDFs: one layout (the screen PDF, and the
print PDF made from it: engine/paint.py), so both have the same pages; `PrintEdition` adds what a printer needs (editions/press.py).
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from lxml import etree

from ..engine.fetch import LocalOnlyFetcher, book_url
from ..fallbacks import registered_faces
from ..model import Book
from ..sources.structure import serialise
from ..transforms.index import page_list
from ..transforms.links import is_page_reference
from ..words import Words
from . import press
from .assemble import ChunkPDF, assemble
from .base import PagedEdition, RenderContext, Rendered
from .facts import ChunkFile
from .identifiers import stamp
from .layout_pool import BookLayout, LayoutPool
from .marks import add_crop_marks
from .paged_document import Stylesheet, document_of
from .reproducible import w3c_timestamp
from .template_contract import check_paged_html
from .typeset import PaintOptions
from .weave import weave


def font_face_css(fonts, url) -> str:
    return "\n".join(
        f'@font-face {{ font-family: "{f.family}"; font-style: {f.style}; font-weight: {f.weight}; '
        f'src: url("{url(f)}"); }}' for f in fonts)


def number_page_references(root: etree._Element, page_refs: dict | None, abbreviation: str) -> etree._Element:
    """Links that ask for a page ({: .page}) get the folio of their target as data-page, once it is known,
    and the book's word for "p." as data-label (25-page-references.css writes "(p. 143)" after them).

    Within one chunk CSS target-counter finds it; across chunks the layout pool lays the
    chunk out again with the pages of the others (layout_pool.py, last_round). Changes the woven
    body `root` in place and returns it.
    """
    for a in root.iter("a", "span"):  # in a note the link is a span that keeps its target (note_markup.py)
        if not is_page_reference(a):
            continue
        a.set("data-label", abbreviation)
        target = (a.get("href") or a.get("data-target") or "").removeprefix("#")
        if page_refs and target in page_refs:
            a.set("data-page", page_refs[target])
    return root


class PdfEdition(PagedEdition):
    """The book as WeasyPrint lays it out: one layout, written as the screen PDF and as the print PDF.

    The layout is made in chunks (chunks.py) by a pool of processes (layout_pool.py) that
    writes both PDFs of each chunk (engine/paint.py); an edition then merges its chunks into
    the book (assemble.py). The first paged edition a build renders makes the layout; the
    other reuses it (`RenderContext.shared.layout`).
    """

    name = "print"
    suffix = "-print.pdf"
    stylesheet_folders: tuple[str, ...] = ("print",)
    style_folders = ("print", "screen")
    note_template = "screen/note.html"  # the call links to its note (the screen PDF's); print drops links

    def stylesheets(self, ctx: RenderContext, inline: bool = False) -> list[Stylesheet]:
        """The style folders' CSS files, linked (or inlined, for `build --html`)."""
        return [Stylesheet(p.as_uri(), p.read_text(encoding="utf-8") if inline else None)
                for p in ctx.theme.stylesheets(*self.stylesheet_folders)]

    def page_css(self, book: Book) -> str:
        """The @page rule the build writes from book.toml (trim size), and the CMYK profile print is written with."""
        return press.output_intent_css() + f"\n@page {{ size: {book.trim.css_size if book.trim else '6in 9in'}; }}"

    def html(self, ctx: RenderContext, chunk=None, page_refs: dict | None = None, inline_css: bool = False) -> str:
        """The whole book as one HTML document, or one chunk of it (also what `build --html` writes).

        Which part of the book a chunk holds is chosen here (paged_document.py); the template
        shows it, and what it made is checked against the template contract (template_contract.py).
        """
        book, theme = ctx.book, ctx.theme
        document = document_of(book, chunk)

        def figure(f):  # laid out under the book's stable URL; plain WeasyPrint reads `build --html` from the disk
            return theme.render("print/figure.html", figure=f, src=f.src.as_uri() if inline_css else book_url(f.src, book.root))

        def note(n):
            return theme.render(self.note_template, note=n)

        pieces = [*(book.front if document.front else []), *document.pieces]
        abbreviation = Words.of(book).text("page_abbreviation")

        def index_pages(entry):
            """The pages of an index entry once they are known; before, its anchors (CSS target-counter).

            A page not laid out yet (the preface's, when the index goes first) reads "?" for now: its link
            stays in the chunk, so the layout pool lays the index out again once it is known."""
            if page_refs is None:
                return [("", loc.anchor) for loc in entry.locators]
            pending = {a: "?" for loc in entry.locators for a in (loc.anchor, loc.end) if a and a not in page_refs}
            return page_list(entry, {**pending, **page_refs}, book.index_ranges)

        bodies = {e.slug: serialise(number_page_references(weave(e, figure, note), page_refs, abbreviation))
                  for e in pieces}
        html = theme.render(
            "print/book.html", book=book, bodies=bodies, edition=self.name, document=document, page_refs=page_refs,
            index_pages=index_pages,
            fonts_css=font_face_css(registered_faces(ctx), lambda f: f.file.as_uri()),
            stylesheets=self.stylesheets(ctx, inline=inline_css), page_css=self.page_css(book),
            modified=w3c_timestamp(book),
        )
        check_paged_html(html, book, theme, document, pieces, self.note_template)
        return html

    def standalone_html(self, ctx: RenderContext) -> str:
        """What `build --html` writes: the whole book's HTML, readable after the build's scratch folder is gone.

        The stylesheets are inlined, so a plain `weasyprint` run lays out the same pages, save
        where plain WeasyPrint would push a note off its call's page (engine/notes_first.py).
        Written after the layout, it carries the layout's page numbers where the text names pages
        (the contents, the index, the credits, page references), as the chunks do: CSS alone cannot
        write an index's "143–47" or name a page once (bench/print_html.py writes it without them).
        """
        layout = ctx.shared.layout
        refs = None
        if layout is not None:
            facts = layout.facts
            refs = {a: facts.folios[p - 1] for a, p in facts.anchors.items() if 0 < p <= len(facts.folios)}
        return self.html(ctx, page_refs=refs, inline_css=True)

    def fetcher_for(self, ctx: RenderContext):
        """A fresh fetcher per chunk, reading only the book, the styles, the fonts and the CMYK profile."""
        roots = [ctx.book.root, ctx.work_dir, *ctx.theme.dirs, press.cmyk_profile().parent,
                 *{f.file.parent for f in ctx.theme.fonts()}]
        return lambda: LocalOnlyFetcher(roots, {}, book_root=ctx.book.root)

    def layout(self, ctx: RenderContext) -> BookLayout:
        """The book laid out (once per build: the screen and print editions share it)."""
        if ctx.shared.layout is None:
            options = print_options(ctx.book)
            paint_options = PaintOptions(options["interior"], options["bleed"], options["pdf_x"],
                                         ctx.scratch_dir / "images")
            ctx.progress("paged editions: laying out the book")
            layout = LayoutPool(self, ctx, ctx.jobs, paint_options, ctx.environment, ctx.cache_dir).run()
            ctx.progress(f"paged editions: {layout.laid_out} of {len(layout.chunks)} chunks laid out, "
                         f"{layout.reused} kept from the last build")
            if layout.moved:
                ctx.progress(f"paged editions: page numbers moved after an edit; {len(layout.moved)} chunk(s) "
                             "laid out again for their folios")
            ctx.shared.layout = layout
        return ctx.shared.layout

    def render(self, ctx: RenderContext) -> Rendered:
        layout = self.layout(ctx)
        target = ctx.work_dir / self.filename(ctx.book)
        ctx.progress(f"{self.name}: merging {len(layout.chunks)} chunks")
        pages = assemble([ChunkPDF(self.chunk_pdf(c), c.levels, layout.blank_after(n))
                          for n, c in enumerate(layout.chunks)], target, folios=layout.facts.folios,
                         finish=lambda pdf: self.finish(ctx, pdf), **self.assembly(ctx.book))
        chunks = {c.chunk.key: ChunkFile(self.chunk_pdf(c), c.levels) for c in layout.chunks}
        return Rendered(self.name, target, pages=pages, facts=replace(layout.facts, chunks=chunks))

    def chunk_pdf(self, chunk) -> Path:
        return chunk.print_pdf

    def assembly(self, book: Book) -> dict:
        """How the chunks are merged: links kept or not, padding."""
        return {"keep_links": True}

    def finish(self, ctx: RenderContext, pdf) -> None:
        """Changes to the merged PDF, before it is saved, that WeasyPrint cannot make (XMP identifiers, marks)."""
        stamp(pdf, ctx.book, self.name)


def print_options(book: Book) -> dict:
    """The print edition's options from book.toml (the screen PDF is painted from the same layout)."""
    edition = book.editions.get("print")
    return edition.options if edition else {"interior": "grey", "bleed": 3.0, "pdf_x": "x-4", "signature": 2,
                                            "marks": False}


class PrintEdition(PdfEdition):
    """The interior a printer receives: PDF/X with a CMYK output intent, bleed, ink-only colour, padded
    pages, no links."""

    def assembly(self, book: Book) -> dict:
        return {"keep_links": False, "pad_to_multiple": print_options(book)["signature"]}

    def finish(self, ctx: RenderContext, pdf) -> None:
        super().finish(ctx, pdf)
        if print_options(ctx.book)["marks"]:
            add_crop_marks(pdf)
