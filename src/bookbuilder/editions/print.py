"""The paged editions: one HTML document typeset by WeasyPrint with the house print CSS.

WeasyPrint does the pagination; this module only prepares the document and reports
what the checks need (the page each essay and note landed on). `PagedEdition` is shared
by the print and screen PDFs, so both paginate the same HTML and agree on page numbers;
`PrintEdition` adds what a printer needs (editions/press.py).
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from ..errors import BuildError, SourceError
from ..model import Book
from . import press
from .base import Edition, RenderContext, Rendered
from .fetch import LocalOnlyFetcher
from .identifiers import stamp_identifiers
from .marks import add_crop_marks
from .notes_first import keep_notes_with_calls
from .pagemap import folio_labels, page_starts
from .reproducible import stable_pdf_ids, w3c_timestamp
from .weave import weave_body


def font_face_css(fonts, url) -> str:
    return "\n".join(
        f'@font-face {{ font-family: "{f.family}"; font-style: {f.style}; font-weight: {f.weight}; '
        f'src: url("{url(f)}"); }}' for f in fonts)


class PagedEdition(Edition):
    """The book as one WeasyPrint document; subclasses choose styles, images and PDF options."""

    name = "print"
    suffix = "-print.pdf"
    stylesheet_folders: tuple[str, ...] = ("print",)
    style_folders = ("print",)
    note_template = "print/note.html"

    def __init__(self):
        self.aliases: dict[str, Path] = {}  # stable URL → prepared file (see LocalOnlyFetcher)

    def image_src(self, ctx: RenderContext, path: Path) -> str:
        """The URL the document loads an image from (the print edition converts images first)."""
        return path.as_uri()

    def stylesheets(self, ctx: RenderContext) -> list[str]:
        return [p.as_uri() for p in ctx.theme.stylesheets(*self.stylesheet_folders)]

    def page_css(self, book: Book) -> str:
        """The @page rule the build writes from book.toml (trim size; the print edition adds bleed)."""
        return f"@page {{ size: {book.trim.css_size if book.trim else '6in 9in'}; }}"

    def html(self, ctx: RenderContext) -> str:
        """The whole book as one HTML document (also what `build --html` writes for CSS debugging)."""
        book, theme = ctx.book, ctx.theme

        def figure(f):
            return theme.render("print/figure.html", figure=f, src=self.image_src(ctx, f.src))

        def note(n):
            return theme.render(self.note_template, note=n)

        bodies = {e.slug: weave_body(e, figure, note) for e in book.pieces}
        return theme.render(
            "print/book.html", book=book, bodies=bodies, edition=self.name,
            fonts_css=font_face_css(theme.fonts(), lambda f: f.file.as_uri()),
            stylesheets=self.stylesheets(ctx), page_css=self.page_css(book),
            modified=w3c_timestamp(book),
        )

    def standalone_html(self, ctx: RenderContext) -> str:
        """What `build --html` writes: the same HTML, readable after the build's scratch folder is gone.

        The inked stylesheets are inlined, and images point at the originals (the print
        copies keep their pixel size), so a plain `weasyprint` run lays out the same pages, save
        where plain WeasyPrint would push a note off its call's page (notes_first.py).
        """
        html = self.html(ctx)
        for href in self.stylesheets(ctx):
            css = Path(unquote(urlparse(href).path)).read_text(encoding="utf-8")
            html = html.replace(f'<link rel="stylesheet" href="{href}">', f"<style>\n{css}\n</style>")
        for url in self.aliases:
            html = html.replace(url, url.split("?", 1)[0])
        return html

    def layout(self, ctx: RenderContext):
        """WeasyPrint's Document of the book, and the facts checks and other editions need from it."""
        from weasyprint import HTML

        book = ctx.book
        ctx.progress(f"{self.name}: laying out pages")
        fetcher = LocalOnlyFetcher([book.root, ctx.work_dir, *ctx.theme.dirs, *self.resource_dirs(),
                                    *{f.file.parent for f in ctx.theme.fonts()}], self.aliases)
        html = self.html(ctx)
        keep_notes_with_calls()
        relaxed: set[str] = set()
        for _attempt in range(NOTE_REPAIR_PASSES + 1):
            document = None  # let the previous layout go before the next one is made (memory)
            document = HTML(string=with_relaxed_blocks(html, relaxed), base_url=book.root.as_uri() + "/",
                            url_fetcher=fetcher).render()
            if fetcher.refused:
                raise BuildError([SourceError(book.root, f"refused to load {url}: {why}",
                                              hint="keep images and styles inside the book folder")
                                  for url, why in fetcher.refused])
            facts = page_facts(document, book)
            late = {call for _note, call, body in facts["footnotes"] if call and body and body > call}
            culprits = {key for page in late if (key := last_block_on_page(document, page))} - relaxed
            if not culprits:
                break
            ctx.progress(f"{self.name}: {len(late)} note(s) fell after their call's page; laying out again")
            relaxed |= culprits
        facts["relaxed_blocks"] = sorted(relaxed)
        return document, facts

    def render(self, ctx: RenderContext) -> Rendered:
        book = ctx.book
        document, facts = self.layout(ctx)
        document = self.finish_pages(ctx, document)
        target = ctx.work_dir / self.filename(book)
        ctx.progress(f"{self.name}: writing {len(document.pages)} pages")
        with stable_pdf_ids(book):
            document.write_pdf(target, **self.pdf_options(book))
        self.after_write(ctx, target)
        return Rendered(self.name, target, pages=len(document.pages), facts=facts)

    def resource_dirs(self) -> list[Path]:
        """Folders outside the book the document may read (e.g. the ICC profile)."""
        return []

    def finish_pages(self, ctx: RenderContext, document):
        """The pages to write; the print edition pads them to its signature."""
        return document

    def after_write(self, ctx: RenderContext, target: Path) -> None:
        """Changes to the written PDF that WeasyPrint cannot make (XMP identifiers, marks)."""
        stamp_identifiers(target, ctx.book, self.name)

    def pdf_options(self, book: Book) -> dict:
        return {"pdf_identifier": book.identifier.encode()}


def page_facts(document, book: Book) -> dict:
    """Physical page (1-based) of every essay opening and of each note call and body.

    `essay_spans` is the first and last page each piece's own text is on (a release cuts
    its offprints there: no part opener or blank verso after it); `folios` the printed
    number of every page.
    """
    starts: dict[str, int] = {}
    for number, page in enumerate(document.pages, 1):
        for anchor in page.anchors:
            starts.setdefault(anchor, number)
    essays = {e.slug: starts.get(e.slug) for e in book.pieces}
    return {"anchors": starts, "essay_pages": essays, "footnotes": footnote_pages(document),
            "page_starts": page_starts(document), "images": figure_images(document, book),
            "essay_spans": piece_spans(document, book), "folios": folio_labels(document)}


def piece_spans(document, book: Book) -> dict[str, tuple[int, int]]:
    """(first, last) physical page on which each piece's article or section is laid out."""
    slugs = {e.slug for e in book.pieces}
    spans: dict[str, tuple[int, int]] = {}
    for number, page in enumerate(document.pages, 1):
        html = page._page_box.children[0]
        for body in getattr(html, "children", None) or []:
            for matter in getattr(body, "children", None) or []:  # .frontmatter, .mainmatter, .backmatter
                for box in getattr(matter, "children", None) or []:
                    slug = box.element.get("id") if getattr(box, "element", None) is not None else None
                    if slug in slugs:
                        spans[slug] = (spans.get(slug, (number,))[0], number)
    return spans


def walk_boxes(box):
    yield box
    for child in getattr(box, "children", None) or []:
        yield from walk_boxes(child)


def figure_images(document, book: Book) -> list[dict]:
    """Where each figure's image was laid out, so preflight can name the image it measures in the PDF."""
    from PIL import Image
    from weasyprint.formatting_structure import boxes

    figures = {f.id: (essay, f) for essay, f in book.figures}
    found = []

    def images_in(box, figure_id=None):
        element = getattr(box, "element", None)
        if element is not None and getattr(box, "element_tag", None) == "figure" and element.get("id") in figures:
            figure_id = element.get("id")
        if isinstance(box, boxes.ReplacedBox) and figure_id:
            yield figure_id
        for child in getattr(box, "children", None) or []:
            yield from images_in(child, figure_id)

    for number, page in enumerate(document.pages, 1):
        for key in images_in(page._page_box):
            essay, figure = figures[key]
            if figure.src.suffix.lower() == ".svg":
                continue  # vector: no pixels to count
            with Image.open(figure.src) as im:
                pixels = im.size
            found.append({"page": number, "figure": key, "essay": essay.slug, "pixels": pixels,
                          "source": str(figure.src.relative_to(book.root))})
    return found


#: Extra layouts allowed to bring notes back to their call's page. Each is a whole layout; on the
#: 624-page benchmark book one pass brings back most of the late notes, and a second pass adds little.
NOTE_REPAIR_PASSES = 1


def with_relaxed_blocks(html: str, keys: set[str]) -> str:
    """Allow one-line orphans and widows in these blocks.

    WeasyPrint keeps widows and orphans by pushing a page's notes to the next page when
    one more line of the page's last paragraph is needed to avoid them (layout/block.py).
    A note away from its call is the worse fault, so that paragraph may leave one line.
    """
    if not keys:
        return html
    rules = "".join(f'[data-block="{k}"] {{ orphans: 1; widows: 1; }}' for k in sorted(keys))
    return html.replace("</head>", f"<style>{rules}</style></head>", 1)


def last_block_on_page(document, number: int) -> str | None:
    """The data-block key of the last text block laid out on page NUMBER (1-based)."""
    last = None
    for box in walk_boxes(document.pages[number - 1]._page_box):
        element = getattr(box, "element", None)
        if element is not None and isinstance(element.tag, str) and element.get("data-block") \
                and not str(getattr(box, "element_tag", "")).endswith(("::footnote-call", "::footnote-marker")):
            if "footnote" not in (element.get("class") or ""):
                last = element.get("data-block")
    return last


def footnote_pages(document) -> list[tuple[str, int | None, int | None]]:
    """(note id, page of its call, page of its body), read from WeasyPrint's boxes (engine-notes §1.4)."""
    from weasyprint.formatting_structure import boxes

    calls: dict[int, int] = {}
    bodies: dict[int, tuple[str, int]] = {}
    for number, page in enumerate(document.pages, 1):
        for box in walk_boxes(page._page_box):
            tag = str(getattr(box, "element_tag", ""))
            if tag.endswith("::footnote-call"):
                calls.setdefault(id(box.element), number)
            if isinstance(box, boxes.FootnoteAreaBox):
                for fn in box.children:
                    bodies.setdefault(id(fn.element), (fn.element.get("id") or "", number))
    return [(nid, calls.get(key), page) for key, (nid, page) in bodies.items()]


class PrintEdition(PagedEdition):
    """The interior a printer receives: PDF/X with a CMYK output intent, bleed, ink-only colour, padded pages."""

    def options(self, book: Book) -> dict:
        return book.editions["print"].options

    def image_src(self, ctx: RenderContext, path: Path) -> str:
        """The original's URL marked with the ink; the fetcher serves the converted copy under it."""
        interior = self.options(ctx.book)["interior"]
        url = f"{path.as_uri()}?ink={interior}"
        self.aliases[url] = press.print_image(path, ctx.scratch_dir / "images", interior)
        return url

    def stylesheets(self, ctx: RenderContext) -> list[str]:
        inked = press.inked_stylesheets(ctx.theme.stylesheets(*self.stylesheet_folders), ctx.scratch_dir / "css",
                                        self.options(ctx.book)["interior"])
        return [p.as_uri() for p in inked]

    def page_css(self, book: Book) -> str:
        return (press.output_intent_css() + "\n" + super().page_css(book)
                + f"\n@page {{ bleed: {self.options(book)['bleed']:.3f}mm; }}")

    def resource_dirs(self) -> list[Path]:
        return [press.cmyk_profile().parent]

    def finish_pages(self, ctx: RenderContext, document):
        return press.signature_pages(document, self.page_css(ctx.book), self.options(ctx.book)["signature"],
                                     ctx.book.root.as_uri() + "/")

    def pdf_options(self, book: Book) -> dict:
        return {**super().pdf_options(book), "pdf_variant": press.PDF_VARIANTS[self.options(book)["pdf_x"]]}

    def after_write(self, ctx: RenderContext, target: Path) -> None:
        super().after_write(ctx, target)
        if self.options(ctx.book)["marks"]:
            add_crop_marks(target)
