"""The EPUB 3 edition: one XHTML document per essay, packaged by ebooklib.

ebooklib 0.20 is used for the package (OPF, NCX, nav, zip; engine/ebook.py) with the workarounds from
engine-notes §6: unique contributor ids, relative stylesheet links, no automatic
page-list (ours lists only the print edition's page breaks, placed from its layout by
pagebreaks.py), and fixed zip and `dcterms:modified` dates so builds are reproducible.
"""
from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from ..config import isbn_urn
from ..engine.ebook import EPUB_NS, BookWriter, epub
from ..fallbacks import embedded_faces
from ..model import Book, Essay
from ..transforms.index import page_list
from ..words import Words
from ..names import unique_name, xml_name
from .a11y import accessibility_metadata
from .base import FlowingEdition, RenderContext, Rendered
from .chunks import link_documents as link_across_documents
from .facts import CoverFacts, EpubFacts
from .pagebreaks import PageMarker, mark_pages, page_list_nav
from .print import font_face_css
from .reproducible import build_timestamp
from .weave import weave_body

TEXT = "text"


def nav_with_page_list(markers: list[PageMarker], title: str):
    """An edit of the nav document (engine/ebook.py BookWriter.edit_nav): the page-break markers of the
    printed contents page(s) at the top of its body, and a page-list made only of the page-break markers
    (never notes, engine-notes §6), which ebooklib 0.20 cannot write."""
    def edit(root, file_name: str) -> None:
        body = next(el for el in root.iter() if isinstance(el.tag, str) and etree.QName(el).localname == "body")
        here = [m for m in markers if m.file_name == file_name]
        ns = etree.QName(body).namespace
        for i, m in enumerate(here):  # the print contents page(s) begin where the nav begins
            body.insert(i, etree.Element(f"{{{ns}}}span" if ns else "span", {
                f"{{{EPUB_NS}}}type": "pagebreak", "role": "doc-pagebreak", "id": m.id,
                "aria-label": m.label}))
        if markers:
            body.append(page_list_nav(markers, title=title))
    return edit


SAFE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,59}")  # kept as it is (EBGaramond12-Regular)


def package_name(path: Path, taken, fallback: str) -> str:
    """A file's name in the package: ASCII, an XML name, unique in its folder (`taken`: the names given)."""
    used = {name.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower() for name in taken}  # readers may fold case
    stem = path.stem if SAFE_NAME.fullmatch(path.stem) else xml_name(path.stem, fallback, prefix=fallback + "-")
    return unique_name(stem, lambda s: s.lower() in used) + path.suffix.lower()


def link_documents(docs: list[epub.EpubHtml]) -> None:
    """A link to `#id` in another document points at that document (chunks.link_documents)."""
    linked = link_across_documents({doc.file_name.rsplit("/", 1)[-1]: doc.content for doc in docs})
    for doc in docs:
        doc.content = linked[doc.file_name.rsplit("/", 1)[-1]]


def front_from_cover_edition(ctx: RenderContext) -> Path | None:
    """With no cover image, the EPUB shows the front the cover edition set in type (when built in this run)."""
    cover = ctx.rendered.get("cover")
    return cover.facts.front_image if cover and isinstance(cover.facts, CoverFacts) else None


def index_locators(ctx: RenderContext, extension: str = ".xhtml"):
    """An index entry's links into the text (EPUB, web): the print edition's page as the link's text when this
    build laid print out, else the title of each piece it is in, linking to its first spot there."""
    book = ctx.book
    facts = ctx.layout_facts("print")
    folios, anchors = (facts.folios, facts.anchors) if facts else ([], {})
    pages = {a: folios[p - 1] for a, p in anchors.items() if 0 < p <= len(folios)}
    titles = {e.slug: e.title for e in book.pieces}

    def locators(entry) -> list[tuple[str, str]]:
        if pages:
            return [(text, f"{slug_of(entry, anchor)}{extension}#{anchor}")
                    for text, anchor in page_list(entry, pages, book.index_ranges)]
        first = {}
        for loc in entry.locators:
            first.setdefault(loc.essay, loc.anchor)
        return [(titles[slug], f"{slug}{extension}#{anchor}") for slug, anchor in first.items()]

    def slug_of(entry, anchor: str) -> str:
        return next(loc.essay for loc in entry.locators if loc.anchor == anchor)

    return locators


class CoveredEdition(FlowingEdition):
    """A reflowable edition that opens with the cover: without a cover image it shows the cover edition's
    front panel, so the last build's file stands only when the book has its own image (see CoverEdition)."""

    def reusable(self, book: Book) -> bool:
        return book.cover.image is not None


class EpubEdition(CoveredEdition):
    name = "epub"
    suffix = ".epub"
    needs_layout_of = ("print",)  # page breaks where the print edition's pages begin
    style_folders = ("epub",)

    def render(self, ctx: RenderContext) -> Rendered:
        book, theme = ctx.book, ctx.theme
        words = theme.words
        ctx.progress(f"{self.name}: packaging")
        pkg = epub.EpubBook()
        pkg.FOLDER_NAME = "EPUB"
        self.metadata(pkg, book)

        # Stylesheet: house EPUB CSS plus the embedded faces (the fallbacks only where the text needs them).
        fonts = embedded_faces(book, theme.fonts())
        font_files: dict[Path, str] = {}
        for i, (face, content) in enumerate(fonts):
            if face.file in font_files:
                continue
            font_files[face.file] = "fonts/" + package_name(face.file, font_files.values(), "font")
            pkg.add_item(epub.EpubItem(uid=f"font-{i}", file_name=font_files[face.file],
                                       media_type=face.media_type, content=content))
        css = font_face_css([face for face, _ in fonts], lambda f: f"../{font_files[f.file]}") + "\n" + "\n".join(
            p.read_text(encoding="utf-8") for p in theme.stylesheets("epub"))
        pkg.add_item(epub.EpubItem(uid="style", file_name="styles/book.css", media_type="text/css",
                                   content=css.encode("utf-8")))

        images: dict[Path, str] = {}

        def image_href(path: Path) -> str:
            if path not in images:
                name = "images/" + package_name(path, images.values(), "image")
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
            cover = document("cover.xhtml", words.text("cover"), "epub/cover.xhtml", src=href)
        title_page = document("title.xhtml", words.text("title_page"), "epub/title.xhtml")
        document("copyright.xhtml", words.text("copyright"), "epub/copyright.xhtml")
        if book.epigraphs and not book.epigraphs_follow:
            document("epigraphs.xhtml", words.text("epigraphs"), "epub/epigraphs.xhtml")
        toc, first_text, before_contents = self.text_documents(book, theme, document, image_href, docs)
        if book.index:
            document("index.xhtml", words.text("index"), "epub/index.xhtml", locators=index_locators(ctx))
            toc.append(epub.Link(f"{TEXT}/index.xhtml", words.text("index"), "index"))
        link_documents(docs)
        markers = self.page_breaks(ctx, docs)
        for name, value in accessibility_metadata(book, page_list=bool(markers), words=words):
            pkg.add_metadata(None, "meta", value, {"property": name})
        pkg.toc = toc
        pkg.add_item(epub.EpubNcx())
        nav = epub.EpubNav(file_name="nav.xhtml", title=words.text("contents"))
        nav.add_link(href="styles/book.css", rel="stylesheet", type="text/css")
        pkg.add_item(nav)
        pkg.guide = [g for g in [
            {"type": "cover", "href": cover.file_name, "title": words.text("cover")} if cover else None,
            {"type": "toc", "href": "nav.xhtml", "title": words.text("contents")},
            {"type": "text", "href": (first_text or title_page).file_name, "title": words.text("start_of_content")},
            {"type": "bibliography", "href": f"{TEXT}/bibliography.xhtml", "title": words.text(book.references_word)}
            if book.references else None,
        ] if g]
        pkg.spine = [*before_contents, "nav", *docs[len(before_contents):]]

        target = ctx.work_dir / self.filename(book)
        writer = BookWriter(str(target), pkg, {"mtime": build_timestamp(book), "epub3_pages": False,
                                                       "epub3_landmark": True, "play_order": {"enabled": False},
                                                       "landmark_title": words.text("landmarks")})
        writer.edit_nav = nav_with_page_list(markers, words.text("page_list"))
        writer.language = book.language
        writer.process()
        writer.write()
        return Rendered(self.name, target, facts=EpubFacts([d.file_name for d in docs], markers))

    def text_documents(self, book: Book, theme, document, image_href,
                       docs: list) -> tuple[list, epub.EpubHtml | None, list]:
        """Front matter, parts with their essays, back matter: one document each.

        Returns (toc, first body doc, the documents that come before the nav): as in print, a leading
        dedication stands before the contents, and the book's epigraphs after it when the book asks."""
        words: Words = theme.words

        def titled(thing) -> str:
            """An essay's or part's title as the nav gives it: with its label, in the book's words."""
            return words.text("part_heading", label=thing.label, title=thing.title) if thing.label else thing.title

        def essay_doc(essay: Essay, template: str):
            body = weave_body(
                essay,
                lambda f: theme.render("epub/figure.html", figure=f, src=image_href(f.src)),
                lambda n: theme.render("epub/note-ref.html", note=n))
            return document(f"{essay.slug}.xhtml", titled(essay), template, lang=essay.lang, essay=essay, body=body)

        toc: list = []
        first_text = None
        before_contents = list(docs)
        for i, piece in enumerate(book.front):
            toc.append(epub.Link(essay_doc(piece, "epub/piece.xhtml").file_name, titled(piece), piece.slug))
            if book.epigraphs and piece is book.epigraphs_follow:
                document("epigraphs.xhtml", words.text("epigraphs"), "epub/epigraphs.xhtml")
            if i < len(book.opening):
                before_contents = list(docs)
        for part in book.parts:
            links = []
            part_doc = None
            if part.title:
                part_doc = document(f"{part.id}.xhtml", titled(part), "epub/part.xhtml", part=part)
                first_text = first_text or part_doc
            for essay in part.essays:
                doc = essay_doc(essay, "epub/essay.xhtml")
                first_text = first_text or doc
                links.append(epub.Link(doc.file_name, titled(essay), essay.slug))
            if part_doc is not None:
                toc.append((epub.Section(titled(part), part_doc.file_name), links))
            else:
                toc.extend(links)
        for piece in book.back:
            toc.append(epub.Link(essay_doc(piece, "epub/piece.xhtml").file_name, titled(piece), piece.slug))
        if book.references:  # the book's one reference list: the back lists' first, as in print
            d = document("bibliography.xhtml", words.text(book.references_word), "epub/bibliography.xhtml")
            toc.append(epub.Link(d.file_name, words.text(book.references_word), "bibliography"))
        if book.contributors_page:
            d = document("contributors.xhtml", words.text("contributors"), "epub/contributors.xhtml")
            toc.append(epub.Link(d.file_name, words.text("contributors"), "contributors"))
        if book.credited_figures or book.cover.credit_html:
            d = document("image-credits.xhtml", words.text("image_credits"), "epub/image-credits.xhtml",
                         figure_href=lambda essay, f: f"{essay.slug}.xhtml#{f.id}")
            toc.append(epub.Link(d.file_name, words.text("image_credits"), "image-credits"))
        return toc, first_text, before_contents

    def page_breaks(self, ctx: RenderContext, docs: list[epub.EpubHtml]) -> list[PageMarker]:
        """Markers where the print edition's pages begin (its layout is handed over in ctx.rendered)."""
        laid_out = ctx.layout_facts("print")
        starts = laid_out.page_starts if laid_out else []
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
            pkg.add_metadata("DC", "source", isbn_urn(print_isbn.isbn))
        if book.series:
            pkg.add_metadata(None, "meta", book.series, {"property": "belongs-to-collection", "id": "series"})
            pkg.add_metadata(None, "meta", "series", {"refines": "#series", "property": "collection-type"})
