"""The cover wrap: back + spine + front on one page with bleed all round, for the print edition.

The spine is as thick as the book the printer binds: the print PDF's final page count
(padding included, handed over in `ctx.rendered["print"]`) times the paper's thickness,
so the cover is rebuilt from the interior every time. Colour goes through the same press
steps as the interior (CMYK output intent, colours as inks: here its stylesheets inked, a
CMYK image); the ISBN barcode is drawn by python-barcode as SVG in black ink, its digits
by the template in the book's face.
"""
from __future__ import annotations

import base64
import io
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..config import isbn_digits
from ..errors import BuildError, SourceError
from ..fallbacks import registered_faces
from ..model import Book
from .reproducible import w3c_timestamp
from . import press
from .base import Edition, RenderContext, Rendered
from ..engine.fetch import BOOK_URL, LocalOnlyFetcher, book_url
from .facts import CoverFacts
from .identifiers import stamp_identifiers
from .paged_document import Stylesheet
from .print import font_face_css

SPINE_TEXT_MIN_MM = 6.0  # below this a spine cannot carry legible type (about 100 pages)
BLACK_INK = "device-cmyk(0 0 0 1)"
PAPER = "device-cmyk(0 0 0 0)"


@dataclass(frozen=True)
class CoverGeometry:
    """Millimetres, in trim coordinates: the back panel starts at x = 0, the bleed lies outside."""

    trim_w: float
    trim_h: float
    bleed: float
    spine: float

    @classmethod
    def for_book(cls, book: Book, pages: int) -> "CoverGeometry":
        trim = book.trim
        width, height = (trim.width_mm, trim.height_mm) if trim else (152.4, 228.6)
        return cls(width, height, book.editions["print"].options["bleed"], spine_width_mm(pages, book.cover.leaf_mm))

    @property
    def width(self) -> float:
        """The wrap's trimmed width: back + spine + front."""
        return 2 * self.trim_w + self.spine

    @property
    def sheet_width(self) -> float:
        return self.width + 2 * self.bleed

    @property
    def sheet_height(self) -> float:
        return self.trim_h + 2 * self.bleed

    @property
    def spine_text(self) -> bool:
        return self.spine >= SPINE_TEXT_MIN_MM


def spine_width_mm(pages: int, leaf_mm: float) -> float:
    """Each leaf carries two pages."""
    return pages / 2 * leaf_mm


def ean13(isbn: str):
    import barcode
    from barcode.writer import SVGWriter

    return barcode.get("ean13", isbn_digits(isbn), writer=SVGWriter())


def ean13_svg(isbn: str) -> str:
    """The ISBN's EAN-13 bars as SVG in black ink on paper (no RGB).

    The digits beneath are the cover template's text (ean13_digits), in the book's face with
    lining figures: WeasyPrint's SVG text knows no font features, and python-barcode names no
    font, so fontconfig would pick one (DejaVu Sans).
    """
    out = io.BytesIO()
    ean13(isbn).write(out, options={"module_width": 0.33, "module_height": 18.0, "quiet_zone": 3.0,
                                    "write_text": False, "foreground": BLACK_INK, "background": PAPER})
    return out.getvalue().decode("utf-8")


def ean13_digits(isbn: str) -> str:
    """The 13 digits printed under the bars (the check digit computed, as in the bars)."""
    return ean13(isbn).get_fullcode()


def front_panel_png(cover_pdf: Path, g: CoverGeometry, target: Path, dpi: int = 150) -> Path:
    """The front panel (trimmed) as an RGB PNG for the EPUB, so both editions show the same front."""
    px = lambda mm: round(mm / 25.4 * dpi)  # noqa: E731 - a unit conversion
    subprocess.run(["pdftoppm", "-png", "-singlefile", "-r", str(dpi),
                    "-x", str(px(g.bleed + g.trim_w + g.spine)), "-y", str(px(g.bleed)),
                    "-W", str(px(g.trim_w)), "-H", str(px(g.trim_h)), str(cover_pdf), str(target.with_suffix(""))],
                   check=True, capture_output=True)
    return target


class CoverEdition(Edition):
    name = "cover"
    suffix = "-cover.pdf"
    requires = ("print",)
    style_folders = ("cover",)

    def reusable(self, book: Book) -> bool:
        """Without a cover image the EPUB shows this edition's front panel, made afresh in each build."""
        return book.cover.image is not None

    def render(self, ctx: RenderContext) -> Rendered:
        from weasyprint import HTML

        book, theme = ctx.book, ctx.theme
        printed = ctx.rendered.get("print")
        if printed is None or not printed.pages:
            raise BuildError([SourceError(book.root, "the cover needs the print edition's page count",
                                          hint="build the print edition in the same run")])
        geometry = CoverGeometry.for_book(book, printed.pages)
        ctx.progress(f"{self.name}: {printed.pages} pages → spine {geometry.spine:.2f} mm")
        scratch = ctx.scratch_dir / "cover"
        scratch.mkdir(parents=True, exist_ok=True)
        isbn = book.editions["print"].isbn
        barcode = "data:image/svg+xml;base64," + base64.b64encode(ean13_svg(isbn).encode()).decode() if isbn else None
        digits = ean13_digits(isbn) if isbn else None
        aliases: dict[str, Path] = {}
        image = None
        if book.cover.image:  # a stable URL, so the PDF names the image the same on every build
            image = f"{book_url(book.cover.image, book.root)}?ink=cmyk"
            aliases[image] = press.print_image(book.cover.image, scratch, "cmyk")
        page_css = press.ink_stylesheet(
            f"@page {{ size: {geometry.width:.3f}mm {geometry.trim_h:.3f}mm; margin: 0; "
            f"bleed: {geometry.bleed:.3f}mm; background: {book.cover.background}; }}", "cmyk")
        stylesheets = press.inked_stylesheets(theme.stylesheets("cover"), scratch / "css", "cmyk")
        html = theme.render("cover/cover.html", book=book, g=geometry, image=image, barcode=barcode, digits=digits,
                            modified=w3c_timestamp(book),  # as the interior's: SOURCE_DATE_EPOCH, else the book's date
                            back_text=book.cover.back_text or book.description,
                            page_css=press.output_intent_css() + "\n" + page_css,
                            fonts_css=font_face_css(registered_faces(ctx), lambda f: f.file.as_uri()),
                            stylesheets=[Stylesheet(p.as_uri()) for p in stylesheets])
        fetcher = LocalOnlyFetcher([book.root, ctx.work_dir, *theme.dirs, press.cmyk_profile().parent,
                                    *{f.file.parent for f in theme.fonts()}], aliases, book_root=book.root)
        document = HTML(string=html, base_url=BOOK_URL, url_fetcher=fetcher).render()
        target = ctx.work_dir / self.filename(book)
        document.write_pdf(target, pdf_identifier=book.identifier.encode(),
                           pdf_variant=press.PDF_VARIANTS[book.editions["print"].options["pdf_x"]])
        stamp_identifiers(target, book, self.name)
        front = book.cover.image or front_panel_png(target, geometry, scratch / "front.png")
        return Rendered(self.name, target, pages=len(document.pages),
                        facts=CoverFacts(interior_pages=printed.pages, spine_mm=geometry.spine, front_image=front,
                                         width_mm=geometry.width, sheet_width_mm=geometry.sheet_width,
                                         sheet_height_mm=geometry.sheet_height, spine_text=geometry.spine_text))
