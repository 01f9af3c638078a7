"""The EPUB 3 edition: one XHTML document per essay, packaged by ebooklib.

ebooklib 0.20 is used for the package (OPF, NCX, nav, zip) with the workarounds from
engine-notes §6: unique contributor ids, relative stylesheet links, no automatic
page-list (ours lists only the print edition's page breaks, placed from its layout by
pagebreaks.py), and fixed zip and `dcterms:modified` dates so builds are reproducible.
"""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from ebooklib import epub
from lxml import etree

from ..model import Book, Essay
from .a11y import accessibility_metadata
from .base import Edition, RenderContext, Rendered
from .pagebreaks import PageMarker, mark_pages, page_list_nav
from .print import font_face_css
from .reproducible import build_timestamp
from .weave import weave_body

TEXT = "text"
ZIP_EPOCH = dt.datetime(1980, 1, 1)  # the earliest time a zip entry can carry


class ReproducibleWriter(epub.EpubWriter):
    """ebooklib's writer with every zip entry dated from the book, not the clock.

    It also writes what ebooklib 0.20 cannot: xml:lang on the package, and a page-list
    in the nav made only of the page-break markers (never notes, engine-notes §6).
    """

    page_markers: list[PageMarker] = []
    language: str = "en"

    def _write_opf_file(self, root):
        root.set("{http://www.w3.org/XML/1998/namespace}lang", self.language)
        super()._write_opf_file(root)

    def _get_nav(self, item):
        root = etree.fromstring(super()._get_nav(item))
        body = next(el for el in root.iter() if isinstance(el.tag, str) and etree.QName(el).localname == "body")
        here = [m for m in self.page_markers if m.file_name == item.file_name]
        ns = etree.QName(body).namespace
        for i, m in enumerate(here):  # the print contents page(s) begin where the nav begins
            body.insert(i, etree.Element(f"{{{ns}}}span" if ns else "span", {
                f"{{{epub.NAMESPACES['EPUB']}}}type": "pagebreak", "role": "doc-pagebreak", "id": m.id,
                "aria-label": m.label}))
        if self.page_markers:
            body.append(page_list_nav(self.page_markers))
        return etree.tostring(root, pretty_print=True, encoding="utf-8", xml_declaration=True)

    def write(self):
        stamp = max(self.options["mtime"], ZIP_EPOCH).timetuple()[:6]  # a book dated 1883 still zips
        self.out = zipfile.ZipFile(self.file_name, "w", zipfile.ZIP_DEFLATED)
        real = self.out.writestr

        def writestr(name, data, compress_type=None, compresslevel=None):
            info = zipfile.ZipInfo(name if isinstance(name, str) else name.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED if compress_type is None else compress_type
            info.external_attr = 0o644 << 16
            return real(info, data, compress_type=compress_type, compresslevel=compresslevel)

        self.out.writestr = writestr
        self.out.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        self._write_container()
        self._write_opf()
        self._write_items()
        self.out.close()


def front_from_cover_edition(ctx: RenderContext) -> Path | None:
    """With no cover image, the EPUB shows the front the cover edition set in type (when built in this run)."""
    cover = ctx.rendered.get("cover")
    return cover.facts.get("front_image") if cover else None


class EpubEdition(Edition):
    name = "epub"
    suffix = ".epub"
    needs_layout_of = ("print",)  # page breaks where the print edition's pages begin
    style_folders = ("epub",)

    def reusable(self, book: Book) -> bool:
        """Without a cover image this edition reads the cover edition's front panel (see CoverEdition)."""
        return book.cover.image is not None

    def render(self, ctx: RenderContext) -> Rendered:
        book, theme = ctx.book, ctx.theme
        ctx.progress(f"{self.name}: packaging")
        pkg = epub.EpubBook()
        pkg.FOLDER_NAME = "EPUB"
        self.metadata(pkg, book)

        # Stylesheet: house EPUB CSS plus the embedded faces.
        fonts = theme.fonts()
        for i, face in enumerate(fonts):
            pkg.add_item(epub.EpubItem(uid=f"font-{i}", file_name=f"fonts/{face.file.name}",
                                       media_type=face.media_type, content=face.file.read_bytes()))
        css = font_face_css(fonts, lambda f: f"../fonts/{f.file.name}") + "\n" + "\n".join(
            p.read_text(encoding="utf-8") for p in theme.stylesheets("epub"))
        pkg.add_item(epub.EpubItem(uid="style", file_name="styles/book.css", media_type="text/css",
                                   content=css.encode("utf-8")))

        images: dict[Path, str] = {}

        def image_href(path: Path) -> str:
            if path not in images:
                name = "images/" + "-".join(path.parts[-2:]).replace(" ", "-")
                images[path] = name
                media = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
                         ".gif": "image/gif", ".svg": "image/svg+xml", ".webp": "image/webp"}[path.suffix.lower()]
                pkg.add_item(epub.EpubItem(uid=f"img-{len(images)}", file_name=name, media_type=media,
                                           content=path.read_bytes()))
            return "../" + images[path]

        docs: list[epub.EpubHtml] = []

        def document(file: str, title: str, template: str, lang: str | None = None, **extra):
            item = epub.EpubHtml(title=title, file_name=f"{TEXT}/{file}", lang=lang or book.language,
                                 uid=file.rsplit(".", 1)[0])
            item.add_link(href="../styles/book.css", rel="stylesheet", type="text/css")
            body = theme.render(template, book=book, **extra)
            item.content = f"<html><body>{body}</body></html>"
            pkg.add_item(item)
            docs.append(item)
            return item

        # Reading order follows the print edition: cover, title, copyright, epigraphs, contents, text.
        cover = None
        front = book.cover.image or front_from_cover_edition(ctx)
        if front:
            href = image_href(front)
            pkg.get_item_with_href(href[3:]).properties = ["cover-image"]
            cover = document("cover.xhtml", "Cover", "epub/cover.xhtml", src=href)
        title_page = document("title.xhtml", "Title Page", "epub/title.xhtml")
        document("copyright.xhtml", "Copyright", "epub/copyright.xhtml")
        if book.epigraphs and not book.epigraphs_follow:
            document("epigraphs.xhtml", "Epigraphs", "epub/epigraphs.xhtml")
        toc, first_text, before_contents = self.text_documents(book, theme, document, image_href, docs)
        markers = self.page_breaks(ctx, docs)
        for name, value in accessibility_metadata(book, page_list=bool(markers)):
            pkg.add_metadata(None, "meta", value, {"property": name})
        pkg.toc = toc
        pkg.add_item(epub.EpubNcx())
        nav = epub.EpubNav(file_name="nav.xhtml", title="Contents")
        nav.add_link(href="styles/book.css", rel="stylesheet", type="text/css")
        pkg.add_item(nav)
        pkg.guide = [g for g in [
            {"type": "cover", "href": cover.file_name, "title": "Cover"} if cover else None,
            {"type": "toc", "href": "nav.xhtml", "title": "Contents"},
            {"type": "text", "href": (first_text or title_page).file_name, "title": "Start of Content"},
        ] if g]
        pkg.spine = [*before_contents, "nav", *docs[len(before_contents):]]

        target = ctx.work_dir / self.filename(book)
        writer = ReproducibleWriter(str(target), pkg, {"mtime": build_timestamp(book), "epub3_pages": False,
                                                       "epub3_landmark": True, "play_order": {"enabled": False}})
        writer.page_markers = markers
        writer.language = book.language
        writer.process()
        writer.write()
        return Rendered(self.name, target, facts={"documents": [d.file_name for d in docs],
                                                  "page_markers": markers})

    def text_documents(self, book: Book, theme, document, image_href,
                       docs: list) -> tuple[list, epub.EpubHtml | None, list]:
        """Front matter, parts with their essays, back matter: one document each.

        Returns (toc, first body doc, the documents that come before the nav): as in print, a leading
        dedication stands before the contents, and the book's epigraphs after it when the book asks."""

        def essay_doc(essay: Essay, template: str):
            body = weave_body(
                essay,
                lambda f: theme.render("epub/figure.html", figure=f, src=image_href(f.src)),
                lambda n: theme.render("epub/note-ref.html", note=n))
            return document(f"{essay.slug}.xhtml", essay.toc_title, template, lang=essay.lang, essay=essay, body=body)

        toc: list = []
        first_text = None
        before_contents = list(docs)
        for i, piece in enumerate(book.front):
            toc.append(epub.Link(essay_doc(piece, "epub/piece.xhtml").file_name, piece.toc_title, piece.slug))
            if book.epigraphs and piece is book.epigraphs_follow:
                document("epigraphs.xhtml", "Epigraphs", "epub/epigraphs.xhtml")
            if i < len(book.opening):
                before_contents = list(docs)
        for part in book.parts:
            links = []
            part_doc = None
            if part.title:
                part_doc = document(f"{part.id}.xhtml", part.toc_title, "epub/part.xhtml", part=part)
                first_text = first_text or part_doc
            for essay in part.essays:
                doc = essay_doc(essay, "epub/essay.xhtml")
                first_text = first_text or doc
                links.append(epub.Link(doc.file_name, essay.toc_title, essay.slug))
            if part_doc is not None:
                toc.append((epub.Section(part.toc_title, part_doc.file_name), links))
            else:
                toc.extend(links)
        for piece in book.back:
            toc.append(epub.Link(essay_doc(piece, "epub/piece.xhtml").file_name, piece.toc_title, piece.slug))
        if book.contributors_page:
            d = document("contributors.xhtml", "Contributors", "epub/contributors.xhtml")
            toc.append(epub.Link(d.file_name, "Contributors", "contributors"))
        if book.figures or book.cover.credit_html:
            d = document("image-credits.xhtml", "Image Credits", "epub/image-credits.xhtml",
                         figure_href=lambda essay, f: f"{essay.slug}.xhtml#{f.id}")
            toc.append(epub.Link(d.file_name, "Image Credits", "image-credits"))
        return toc, first_text, before_contents

    def page_breaks(self, ctx: RenderContext, docs: list[epub.EpubHtml]) -> list[PageMarker]:
        """Markers where the print edition's pages begin (its layout is handed over in ctx.facts)."""
        starts = ctx.facts.get("print", {}).get("page_starts", [])
        if not starts:
            return []
        changed, markers = mark_pages({d.file_name: d.content for d in docs}, starts,
                                      elsewhere={"contents": "nav.xhtml"})
        for d in docs:
            d.content = changed[d.file_name]
        return markers

    def metadata(self, pkg: epub.EpubBook, book: Book) -> None:
        pkg.set_identifier(book.identifier)
        pkg.set_title(book.title if not book.subtitle else f"{book.title}: {book.subtitle}")
        pkg.set_language(book.language)
        # The book's authors are its creators; with none, its editors; everyone else is a contributor.
        # Each carries its MARC relator role (aut, edt, trl, aui) and a file-as name (EPUB 3 §5.5.6).
        named = [*book.authors, *book.editors]
        creators = book.writers or book.others("edt")
        for i, person in enumerate([*named, *book.contributors], 1):
            kind = "creator" if any(person is c for c in creators) else "contributor"
            pkg.add_metadata("DC", kind, person.name, {"id": f"{kind}-{i}"})
            pkg.add_metadata(None, "meta", person.role, {"refines": f"#{kind}-{i}", "property": "role",
                                                         "scheme": "marc:relators"})
            pkg.add_metadata(None, "meta", person.sort_name, {"refines": f"#{kind}-{i}", "property": "file-as"})
        if book.publisher:
            pkg.add_metadata("DC", "publisher", book.publisher)
        if book.date:
            pkg.add_metadata("DC", "date", book.date.isoformat())
        if book.rights:
            pkg.add_metadata("DC", "rights", book.rights)
        if book.description:
            pkg.add_metadata("DC", "description", book.description)
        print_isbn = book.editions.get("print")
        if print_isbn and print_isbn.isbn:
            pkg.add_metadata("DC", "source", "urn:isbn:" + print_isbn.isbn.replace("-", ""))
        if book.series:
            pkg.add_metadata(None, "meta", book.series, {"property": "belongs-to-collection", "id": "series"})
            pkg.add_metadata(None, "meta", "series", {"refines": "#series", "property": "collection-type"})
