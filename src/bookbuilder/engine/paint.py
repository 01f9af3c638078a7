"""One layout, two PDFs: the screen edition as laid out, the print edition painted in ink.

The print and screen PDFs share their pagination by design, so each chunk of the book is
laid out once and written twice. What differs is paint, not layout:
- colours: the screen PDF keeps the stylesheet's sRGB; the print PDF gets every colour as
  the printer's inks (press.ink) at the moment WeasyPrint draws it;
- images: originals on screen; for print, the converted copies (same pixel size, so the
  boxes do not move) replace them in the laid-out boxes;
- bleed and the CMYK output intent: print only.

Relies on (WeasyPrint 70.0; tests/test_engine_contracts.py checks each):
- `weasyprint.pdf.stream.Stream.set_color(self, color, stroke=False)` draws every colour,
  and takes anything with `.space` and four iterable values (`ink_colours` swaps it on the
  class for the length of a write). Upstream fix: a colour-conversion hook in `write_pdf`
  (or honouring `device-cmyk()` throughout), so the print PDF's inks need no swap;
- `Page._page_box` (private), the root of a laid-out page's boxes, and
  `weasyprint.formatting_structure.boxes.ReplacedBox.replacement`, the image a replaced box
  draws, read when the PDF is written (`print_images` swaps it). Upstream fix: a public
  box tree on `Page`, or a per-write image substitution hook;
- `weasyprint.images.get_image_from_uri(cache, url_fetcher, options, url)`, `RasterImage`
  and `weasyprint.DEFAULT_OPTIONS`, to load the print copy as WeasyPrint loads any image;
- `Page.bleed` (a dict of four sides, in CSS px) and `Document.color_profiles` (the output
  intents), both read when the PDF is written.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import urlparse

RGB_SPACES = ("srgb", "hsl", "hwb")


@dataclass(frozen=True)
class Inked:
    """A colour as WeasyPrint's Stream.set_color expects one: channels then alpha, and a space."""
    coordinates: tuple[float, float, float, float]
    alpha: float
    space: str = "device-cmyk"

    def __iter__(self):
        return iter((*self.coordinates, self.alpha))


#: r, g, b (0–1) -> the four inks (0–1): editions/press.py's ink_values for the interior.
Inks = Callable[[float, float, float], tuple[float, float, float, float]]


def inked(color, inks: Inks):
    """An sRGB colour as device-cmyk; others (already CMYK, Lab) as they are."""
    if color.space not in RGB_SPACES:
        return color
    r, g, b = (min(1.0, max(0.0, v or 0.0)) for v in color.to("srgb").coordinates)
    return Inked(inks(r, g, b), color.alpha)


@contextmanager
def ink_colours(inks: Inks):
    """While writing the print PDF, every colour WeasyPrint draws goes through `inks`."""
    from weasyprint.pdf.stream import Stream

    original = Stream.set_color

    def set_color(self, color, stroke=False):
        return original(self, inked(color, inks), stroke)

    Stream.set_color = set_color
    try:
        yield
    finally:
        Stream.set_color = original


def replaced_boxes(document):
    from .boxes import is_replaced, page_box, walk

    for page in document.pages:
        yield from (box for box in walk(page_box(page)) if is_replaced(box))


@contextmanager
def print_images(document, convert, fetcher):
    """While writing the print PDF, each raster image is drawn from its converted copy.

    `convert(path) -> Path` makes the copy; the copy is loaded under the original's URL
    plus `?ink=`, so its PDF name is stable from build to build.
    """
    from weasyprint import DEFAULT_OPTIONS
    from weasyprint.images import RasterImage, get_image_from_uri

    swapped, cache = [], {}
    for box in replaced_boxes(document):
        image, src = box.replacement, box.element.get("src") if box.element is not None else None
        if not isinstance(image, RasterImage) or not src or urlparse(src).scheme != "file":
            continue
        source = fetcher.path_of(src)
        url = f"{src}?ink"
        fetcher.aliases[url] = convert(source)
        copy = get_image_from_uri(cache, fetcher, DEFAULT_OPTIONS, url)
        if copy is not None:
            swapped.append((box, image))
            box.replacement = copy
    try:
        yield
    finally:
        for box, image in swapped:
            box.replacement = image


@contextmanager
def bleed(document, mm: float):
    """Every page with this bleed (WeasyPrint reads it when it writes the page boxes)."""
    px = mm * 96 / 25.4
    before = [page.bleed for page in document.pages]
    for page in document.pages:
        page.bleed = {side: px for side in ("top", "right", "bottom", "left")}
    try:
        yield
    finally:
        for page, was in zip(document.pages, before):
            page.bleed = was


@contextmanager
def without_output_intent(document):
    """The screen PDF carries no CMYK output intent (the layout was made with the print one declared)."""
    profiles = document.color_profiles
    document.color_profiles = {}
    try:
        yield
    finally:
        document.color_profiles = profiles
