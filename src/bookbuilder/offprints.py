"""Offprints: one PDF per essay, made from the essay's chunk of the screen edition.

The screen edition is the reader's PDF (RGB, original images, no bleed or crop marks,
live note links) and has the print edition's pages, so an offprint's pages, running
heads and folios are the printed book's. The essay was laid out as a chunk of its own
(editions/chunks.py): merged alone (assemble.py) it is a tagged PDF with its structure
tree, bookmarks and links within the essay; links out of it are dropped. The viewer
shows the book's page numbers (/PageLabels start at the essay's first folio), the
metadata names the essay and its authors, and a line at the foot of the opening page
names the book it comes from: drawn by WeasyPrint as a one-page overlay, marked as a
pagination artifact, so the page count and the tags stay the essay's own.
"""
from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from .editions.assemble import ChunkPDF, assemble
from .config import isbn_urn
from .editions.facts import PagedFacts
from .engine.fetch import LocalOnlyFetcher
from .editions.print import font_face_css
from .editions.reproducible import build_timestamp
from .fallbacks import faces_for
from .model import Book, Essay
from .theme import Theme
from .words import Words


@dataclass
class Offprint:
    essay: Essay
    path: Path
    first_page: int  # physical page of the book's screen edition
    last_page: int
    first_folio: str  # the printed page numbers, e.g. "3" … "7"
    last_folio: str

    @property
    def pages(self) -> int:
        return self.last_page - self.first_page + 1


def source_line(book: Book) -> str:
    """"From <title>, <publisher>, <year>": what an offprint says of the book it comes from."""
    return ", ".join(x for x in (book.title, book.publisher, str(book.date.year) if book.date else "") if x)


def pdf_date(book: Book) -> str:
    return build_timestamp(book).strftime("D:%Y%m%d%H%M%SZ")


def overlay_pdf(book: Book, theme: Theme, width_pt: float, height_pt: float) -> bytes:
    """One transparent page, the size of the book's, with the source line in the opening's empty foot margin."""
    from weasyprint import HTML

    html = theme.render("release/offprint-source.html", book=book, line=source_line(book), language=book.language,
                        width=f"{width_pt:.3f}pt", height=f"{height_pt:.3f}pt",
                        fonts_css=font_face_css(faces_for(source_line(book), theme.fonts()),
                                                lambda f: f.file.as_uri()))
    fetcher = LocalOnlyFetcher([*{f.file.parent for f in theme.fonts()}])
    return HTML(string=html, url_fetcher=fetcher).write_pdf()


def lay_over(page: pikepdf.Page, overlay: pikepdf.Page, pdf: pikepdf.Pdf) -> None:
    """`overlay` drawn on top of `page`, under a fixed resource name (pikepdf's add_overlay picks a random
    one), as a footer artifact: not part of the essay's text for assistive technology."""
    form = pdf.copy_foreign(overlay.as_form_xobject())
    page.add_resource(form, pikepdf.Name.XObject, pikepdf.Name("/OffprintSource"))
    page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
    page.contents_add(pdf.make_stream(b"Q\n/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n"
                                      b"q /OffprintSource Do Q\nEMC\n"))


def write_offprint(facts: PagedFacts, essay: Essay, book: Book, theme: Theme, target: Path) -> Offprint:
    """The essay's chunk of the screen edition (`facts.chunks`), where `facts.essay_spans` put it in the book."""
    first, last = facts.essay_spans[essay.slug]
    folios = facts.folios
    chunk = facts.chunks[essay.slug]
    target.parent.mkdir(parents=True, exist_ok=True)
    draft = target.with_suffix(".merged.pdf")
    assemble([ChunkPDF(chunk.pdf, chunk.levels)], draft, drop_links_out=True,
             folios=folios[first - 1:last])
    with pikepdf.open(draft) as pdf:
        opening = pdf.pages[0]
        width, height = float(opening.mediabox[2]), float(opening.mediabox[3])
        with pikepdf.open(io.BytesIO(overlay_pdf(book, theme, width, height))) as overlay:
            lay_over(opening, overlay.pages[0], pdf)
        pdf.Root.Lang = essay.lang
        pdf.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
        describe(pdf, essay, book)
        pdf.save(target, deterministic_id=True, min_version=pdf.pdf_version)
    draft.unlink()
    return Offprint(essay, target, first, last, folios[first - 1], folios[last - 1])


def describe(pdf: pikepdf.Pdf, essay: Essay, book: Book) -> None:
    """Title and authors are the essay's; the book is its source; the dates are the build's (reproducible)."""
    title = essay.title + (f": {essay.subtitle}" if essay.subtitle else "")
    words = Words.of(book)
    source = words.text("offprint_from", source=source_line(book))
    date = pdf_date(book)
    pdf.docinfo = pdf.make_indirect(pikepdf.Dictionary(
        Title=title, Author=words.names(essay.authors), Subject=source, Creator="bookbuilder", Producer="bookbuilder (pikepdf)",
        CreationDate=date, ModDate=date))
    document_id = "uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{book.identifier}#offprint/{essay.slug}"))
    stamp = build_timestamp(book).strftime("%Y-%m-%dT%H:%M:%SZ")
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        xmp["dc:title"] = title
        xmp["dc:creator"] = [a.name for a in essay.authors]
        xmp["dc:description"] = source
        xmp["dc:source"] = isbn_urn(book.editions["print"].isbn) if book.editions["print"].isbn else book.title
        xmp["dc:language"] = [essay.lang]
        xmp["xmp:CreateDate"] = stamp
        xmp["xmp:ModifyDate"] = stamp
        xmp["xmp:CreatorTool"] = "bookbuilder"
        xmp["xmpMM:DocumentID"] = document_id
        xmp["xmpMM:InstanceID"] = document_id

