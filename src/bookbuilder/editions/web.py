"""The web edition: the book as a static reading site, one page per essay, from the EPUB's own fragments.

Every page's body is what the EPUB's templates make (epub/essay.xhtml, piece, part, the lists),
with the web's figures (`srcset`) woven in; so a change to how an essay is rendered reaches both.
Each fragment is then dressed as an HTML page (web/page.html): its head (title, canonical URL,
Open Graph, schema.org JSON-LD), the site's header, previous/next links. Nothing on it comes
from another host: fonts, pictures and the search script are files of the site, and no page
needs a script to be read (search.html is the only page that loads one).
"""
from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree, html as lxml_html

from ..fallbacks import embedded_faces
from ..model import Book, Essay
from .base import RenderContext, Rendered
from .facts import WebFacts
from .chunks import link_documents
from .epub import CoveredEdition, front_from_cover_edition, index_locators
from .pagebreaks import mark_trees
from .weave import weave_body
from .web_images import CACHE, ImageFolder
from .web_search import search_entries

HOME, SEARCH, STYLESHEET, SEARCH_SCRIPT, SEARCH_INDEX = (
    "index.html", "search.html", "book.css", "search.js", "search-index.js")
# The other editions, as the home page offers them for download (in this order).
DOWNLOADS = ("epub", "screen", "print")
SCHEMA_FORMATS = {"print": "https://schema.org/Paperback", "epub": "https://schema.org/EBook",
                  "screen": "https://schema.org/EBook"}


def print_page_starts(ctx: RenderContext) -> list:
    """Where the print edition's pages begin (its layout, handed over by the build): the one place this reads it."""
    laid_out = ctx.layout_facts("print")
    return laid_out.page_starts if laid_out else []


@dataclass
class Page:
    file: str  # its name in the site's root
    title: str  # as <title> and the contents give it
    kind: str  # home | essay | piece | part | list | search
    body: str = ""
    essay: Essay | None = None
    lang: str | None = None
    position: int | None = None  # an essay's place in the book (schema.org Chapter position)
    markers: list = field(default_factory=list)


class WebEdition(CoveredEdition):
    name = "web"
    suffix = "-web"
    needs_layout_of = ("print",)  # the print edition's page numbers as anchors (#page-143)
    style_folders = ("web", "epub")  # its pages' bodies are the EPUB's templates (templates/epub/)

    def render(self, ctx: RenderContext) -> Rendered:
        book, theme = ctx.book, ctx.theme
        words = theme.words
        ctx.progress(f"{self.name}: pages")
        site = ctx.work_dir / self.filename(book)
        if site.exists():
            shutil.rmtree(site)
        site.mkdir(parents=True)
        images = ImageFolder(site, ctx.cache_dir / CACHE if ctx.cache_dir else None, ctx.environment)

        def titled(thing) -> str:
            return words.text("part_heading", label=thing.label, title=thing.title) if thing.label else thing.title

        def essay_page(essay: Essay, template: str, kind: str, position: int | None = None) -> Page:
            def figure(f):
                picture = images.add(f.src)
                return theme.render("web/figure.html", figure=f, image=picture)
            body = weave_body(essay, figure, lambda n: theme.render("epub/note-ref.html", note=n))
            return Page(f"{essay.slug}.html", titled(essay), kind, theme.render(template, book=book, essay=essay,
                                                                                   body=body),
                        essay=essay, lang=essay.lang, position=position)

        pages: list[Page] = [Page(HOME, book.title, "home")]
        epigraphs = Page("epigraphs.html", words.text("epigraphs"), "list",
                         theme.render("epub/epigraphs.xhtml", book=book)) if book.epigraphs else None
        if epigraphs and not book.epigraphs_follow:
            pages.append(epigraphs)
        for piece in book.front:
            pages.append(essay_page(piece, "epub/piece.xhtml", "piece"))
            if epigraphs and piece is book.epigraphs_follow:
                pages.append(epigraphs)
        position = 0
        for part in book.parts:
            if part.title:
                pages.append(Page(f"{part.id}.html", titled(part), "part",
                                  theme.render("epub/part.xhtml", book=book, part=part)))
            for essay in part.essays:
                position += 1
                pages.append(essay_page(essay, "epub/essay.xhtml", "essay", position))
        for piece in book.back:
            pages.append(essay_page(piece, "epub/piece.xhtml", "piece"))
        if book.references:  # the book's one reference list, before the other back lists as in print
            pages.append(Page("bibliography.html", words.text(book.references_word), "list",
                              theme.render("epub/bibliography.xhtml", book=book)))
        if book.contributors_page:
            pages.append(Page("contributors.html", words.text("contributors"), "list",
                              theme.render("epub/contributors.xhtml", book=book)))
        if book.credited_figures or book.cover.credit_html:
            pages.append(Page("image-credits.html", words.text("image_credits"), "list",
                              theme.render("epub/image-credits.xhtml", book=book,
                                           figure_href=lambda essay, f: f"{essay.slug}.html#{f.id}")))
        if book.index:  # "index.html" is the home page's name on a site
            pages.append(Page("book-index.html", words.text("index"), "list",
                              theme.render("epub/index.xhtml", book=book, locators=index_locators(ctx, ".html"))))
        # On a site the imprint goes last (the footer of every page links to it).
        pages.append(Page("copyright.html", words.text("copyright"), "list",
                          theme.render("epub/copyright.xhtml", book=book)))
        text_pages = [p for p in pages if p.kind != "home"]
        link_pages(text_pages)
        home_markers = mark_print_pages(text_pages, print_page_starts(ctx))

        front = book.cover.image or front_from_cover_edition(ctx)
        cover = images.add(front) if front else None
        self.write_assets(ctx, site)
        write_search_index(site / SEARCH_INDEX, search_entries(text_pages))
        search = Page(SEARCH, words.text("search"), "search",
                      theme.render("web/search.html", book=book, script=SEARCH_SCRIPT, index=SEARCH_INDEX))
        pages[0].body = theme.render("web/home.html", book=book, contents=contents(pages), cover=cover,
                                     downloads=downloads(ctx), markers=home_markers)
        reading = pages
        for i, page in enumerate([*pages, search]):
            before = reading[i - 1] if 0 < i < len(reading) else None
            after = reading[i + 1] if i + 1 < len(reading) else None
            html = theme.render("web/page.html", book=book, page=page, previous=before, next=after,
                                stylesheet=STYLESHEET, home=HOME, search=SEARCH, cover=cover,
                                base_url=book.web_base_url, json_ld=json_ld(book, page, cover))
            (site / page.file).write_text(html, encoding="utf-8")
        images.forget_unused()
        return Rendered(self.name, site, facts=WebFacts([p.file for p in [*pages, search]]))

    def write_assets(self, ctx: RenderContext, site: Path) -> None:
        """The stylesheet (the house faces, then styles/web/*.css in name order, with the EPUB's sheets the site
        has no own file for: its pages are the EPUB's templates, so the reference lists and the index are styled
        once) and the fonts it names."""
        theme = ctx.theme
        (site / "fonts").mkdir()
        faces = []
        names: set[str] = set()
        for face, content in embedded_faces(ctx.book, theme.fonts()):
            name = face.file.name
            if name not in names:
                names.add(name)
                (site / "fonts" / name).write_bytes(content)
            faces.append(f'@font-face {{ font-family: "{face.family}"; font-style: {face.style}; '
                         f'font-weight: {face.weight}; font-display: swap; src: url("fonts/{name}"); }}')
        css = "\n".join(faces) + "\n" + "\n".join(p.read_text(encoding="utf-8") for p in theme.stylesheets("epub", "web"))
        (site / STYLESHEET).write_text(css, encoding="utf-8")
        shutil.copyfile(theme.file("web/search.js"), site / SEARCH_SCRIPT)


def contents(pages: list[Page]) -> list[tuple[Page, list[Page]]]:
    """The home page's contents in reading order: each page, a part opener with its essays beneath it."""
    entries: list[tuple[Page, list[Page]]] = []
    under_part = False
    for p in pages[1:]:
        if p.kind == "part":
            entries.append((p, []))
            under_part = True
        elif p.kind == "essay" and under_part:
            entries[-1][1].append(p)
        else:
            entries.append((p, []))
            under_part = False
    return entries


def link_pages(pages: list[Page]) -> None:
    """A link to `#id` on another page points at that page (chunks.link_documents)."""
    linked = link_documents({p.file: p.body for p in pages})
    for p in pages:
        p.body = linked[p.file]


def mark_print_pages(pages: list[Page], starts: list) -> list:
    """Anchors where the print edition's pages begin (`id="page-143"`), and each page's body made HTML5
    (html_body) from the same parse; the markers of the contents pages, which no text page holds, are
    returned for the home page's contents."""
    if not starts:
        for p in pages:
            p.body = html_body(lxml_html.document_fromstring(p.body))
        return []
    trees = {p.file: lxml_html.document_fromstring(f"<html><body>{p.body}</body></html>") for p in pages}
    markers = mark_trees(trees, starts, elsewhere={"contents": HOME})
    for p in pages:
        p.body = html_body(trees[p.file])
        p.markers = [m for m in markers if m.file_name == p.file]
    return [m for m in markers if m.file_name == HOME]


EPUB_ONLY = re.compile(r"^(?:epub:|xml:)")


def html_body(root: etree._Element) -> str:
    """The body of an (X)HTML document (parsed) as HTML5: EPUB's namespaced attributes dropped (`epub:type`,
    `xml:lang`), the page-break markers made anchors that show their number in the margin (80-page-numbers.css)."""
    body = root.find("body") if root.tag != "body" else root
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        for name in [a for a in el.attrib if EPUB_ONLY.match(a)]:
            del el.attrib[name]
        if el.get("role") == "doc-pagebreak":  # HTML allows the role on <hr> only: an anchor with its number
            label = el.attrib.pop("aria-label")
            del el.attrib["role"]
            el.set("class", "page-number")
            el.set("data-page", label)
    return (body.text or "") + "".join(lxml_html.tostring(c, encoding="unicode") for c in body)


def downloads(ctx: RenderContext) -> list[tuple[str, str]]:
    """(edition, href) of the other editions written beside the site in this build; a release renames them
    (release.py relinks the page)."""
    found = []
    for name in DOWNLOADS:
        r = ctx.rendered.get(name)
        if r is not None and r.path is not None:
            found.append((name, f"../{Path(r.path).name}"))
    return found


def write_search_index(target: Path, entries: list[dict]) -> None:
    """The index as a script that sets a global: it loads from a file:// folder too, where fetch() may not."""
    data = json.dumps(entries, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    target.write_text(f"window.bookSearchIndex = {data};\n", encoding="utf-8")


def absolute(book: Book, file: str) -> str | None:
    if not book.web_base_url:
        return None
    return book.web_base_url.rstrip("/") + "/" + ("" if file == HOME else file)


def json_ld(book: Book, page: Page, cover) -> str:
    """schema.org Book on the home page, Chapter on an essay's: what a catalogue or a search engine reads."""
    people = lambda ps: [{"@type": "Person", "name": p.name} for p in ps]  # noqa: E731
    the_book = {"@type": "Book", "name": book.title, "inLanguage": book.language}
    if book.subtitle:
        the_book["alternativeHeadline"] = book.subtitle
    if book.writers:
        the_book["author"] = people(book.writers)
    if book.others("edt"):
        the_book["editor"] = people(book.others("edt"))
    if book.publisher:
        the_book["publisher"] = {"@type": "Organization", "name": book.publisher}
    if book.date:
        the_book["datePublished"] = book.date.isoformat()
    examples = [{"@type": "Book", "bookFormat": SCHEMA_FORMATS[name], "isbn": ed.isbn}
                for name, ed in book.editions.items() if ed.isbn and name in SCHEMA_FORMATS]
    if examples:
        the_book["workExample"] = examples
    if absolute(book, HOME):
        the_book["url"] = absolute(book, HOME)
    if page.kind == "home":
        data = {"@context": "https://schema.org", **the_book}
        if book.description:
            data["description"] = book.description
        if cover and absolute(book, cover.src):
            data["image"] = absolute(book, cover.src)
    elif page.kind == "essay" and page.essay is not None:
        data = {"@context": "https://schema.org", "@type": "Chapter", "name": page.essay.title,
                "inLanguage": page.essay.lang, "isPartOf": the_book}
        if page.essay.authors:
            data["author"] = people(page.essay.authors)
        if page.position:
            data["position"] = page.position
        if absolute(book, page.file):
            data["url"] = absolute(book, page.file)
    else:
        return ""
    # Inside <script>, "</" would end it early: JSON allows the escaped form.
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).replace("</", "<\\/")
