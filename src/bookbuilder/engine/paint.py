"""One layout, two PDFs: the screen edition as laid out, the print edition painted in ink.

The print and screen PDFs share their pagination by design, so each chunk of the book is
laid out once. WeasyPrint writes its screen PDF, and the print PDF is made from that file
(`print_from_screen`): painting a chunk a second time cost a fifth of a cold build. Only the
book's first chunk is written twice by WeasyPrint, the second time as PDF/X (`ink_colours`,
`print_images`, `bleed`): the merge takes the book's document level from the first chunk
(XMP, output intent, PDF version). What differs is paint, not layout:
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
  intents), both read when the PDF is written;
- what WeasyPrint's screen PDF looks like, for `print_from_screen`: every sRGB colour as its
  own line `r g b rg` (or `RG`) in a content stream (pydyf's `set_color_rgb`); a raster image
  as the XObject named `i<RasterImage.id><0|1>` (`Stream.add_image`); a transparency group
  in `/DeviceRGB` when no output intent is declared; the bleed as a MediaBox grown on every
  side and a BleedBox grown by at most 10 pt (`generate_pdf`). Upstream fix: the same as for
  `set_color` (a colour hook), or a public way to write one laid-out document twice cheaply.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import urlparse

import pikepdf
from pikepdf import Name

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


def raster_images(document):
    """(box, its RasterImage, the file URL it was read from) for each laid-out raster image read from a file."""
    from weasyprint.images import RasterImage

    for box in replaced_boxes(document):
        image, src = box.replacement, box.element.get("src") if box.element is not None else None
        if isinstance(image, RasterImage) and src and urlparse(src).scheme == "file":
            yield box, image, src


@contextmanager
def print_images(document, convert, fetcher):
    """While writing the print PDF, each raster image is drawn from its converted copy.

    `convert(path) -> Path` makes the copy; the copy is loaded under the original's URL
    plus `?ink=`, so its PDF name is stable from build to build.
    """
    from weasyprint import DEFAULT_OPTIONS
    from weasyprint.images import get_image_from_uri

    swapped, cache = [], {}
    for box, image, src in list(raster_images(document)):
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


# ---- the print PDF made from the screen PDF --------------------------------------------------------

NUMBER = rb"([-+]?(?:\d+(?:\.\d*)?|\.\d+))"
RGB_LINE = re.compile(rb"(?m)^" + NUMBER + rb" " + NUMBER + rb" " + NUMBER + rb" (rg|RG)$")
SCREEN_ONLY = ("/StructTreeRoot", "/MarkInfo", "/ViewerPreferences")  # tagging: the print PDF is not tagged
PAGE_SCREEN_ONLY = ("/StructParents", "/Tabs")
BLEEDBOX_MAX_PT = 10  # WeasyPrint's BleedBox: at most 10 pt past the trim, however wide the bleed


def _number(value: float) -> bytes:
    """A number as pydyf writes it (so the print PDF's inks read as WeasyPrint's own would)."""
    return str(int(value)).encode() if float(value).is_integer() else f"{value:f}".rstrip("0").encode()


def ink_content(data: bytes, inks: Inks) -> bytes:
    """A content stream with each `r g b rg|RG` drawn as the inks, as `ink_colours` would have WeasyPrint draw it."""
    def inked_line(m: re.Match) -> bytes:
        r, g, b = (min(1.0, max(0.0, float(v))) for v in m.group(1, 2, 3))
        values = b" ".join(_number(v) for v in inks(r, g, b))
        return b"/DeviceCMYK cs\n" + values + b" scn" if m.group(4) == b"rg" else \
            b"/DeviceCMYK CS\n" + values + b" SCN"
    return RGB_LINE.sub(inked_line, data)


def image_sources(document, fetcher) -> dict[str, Path]:
    """The XObject names WeasyPrint may give each laid-out raster image read from a file -> that file."""
    return {f"/i{image.id}{interpolate}": fetcher.path_of(src)
            for _box, image, src in raster_images(document) for interpolate in (0, 1)}


def _image_stream(pdf: pikepdf.Pdf, copy: Path, interpolate) -> pikepdf.Stream:
    """The converted copy (press.print_image: a JPEG) as an image XObject, as WeasyPrint embeds a JPEG."""
    from PIL import Image

    with Image.open(copy) as im:
        mode, (width, height), inverted = im.mode, im.size, im.mode == "CMYK" and "APP14" in getattr(im, "app", {})
    stream = pikepdf.Stream(pdf, copy.read_bytes())
    stream.Type, stream.Subtype, stream.Width, stream.Height = Name.XObject, Name.Image, width, height
    stream.ColorSpace = {"CMYK": Name.DeviceCMYK, "L": Name.DeviceGray}.get(mode, Name.DeviceRGB)
    stream.BitsPerComponent, stream.Interpolate, stream.Filter = 8, interpolate, Name.DCTDecode
    if inverted:  # an Adobe CMYK JPEG stores its inks inverted (WeasyPrint does the same)
        stream.Decode = pikepdf.Array([1, 0] * 4)
    return stream


class _Inking:
    """One pass over the screen PDF's pages and the forms they draw."""

    def __init__(self, pdf: pikepdf.Pdf, inks: Inks, copies: dict[str, Path]):
        self.pdf, self.inks, self.copies = pdf, inks, copies
        self.done: set = set()
        self.images: dict = {}  # XObject name of a screen image -> its print copy

    def stream(self, stream: pikepdf.Object) -> None:
        if stream.objgen in self.done:
            return
        self.done.add(stream.objgen)
        stream.write(ink_content(stream.read_bytes(), self.inks))

    def group(self, holder: pikepdf.Object) -> None:
        group = holder.get("/Group")
        if group is not None and group.get("/CS") == Name.DeviceRGB:
            group.CS = Name.DeviceCMYK

    def resources(self, resources: pikepdf.Object) -> None:
        xobjects = resources.get("/XObject") if resources is not None else None
        for name in list(xobjects.keys()) if xobjects is not None else []:
            xobject = xobjects[name]
            if xobject.get("/Subtype") == Name.Form:
                if xobject.objgen not in self.done:
                    self.stream(xobject)
                    self.group(xobject)
                    self.resources(xobject.get("/Resources"))
            elif name in self.copies:  # one copy per image, however many pages' resources name it
                if name not in self.images:
                    self.images[name] = self.pdf.make_indirect(
                        _image_stream(self.pdf, self.copies[name], xobject.get("/Interpolate", False)))
                if xobject.objgen != self.images[name].objgen:
                    xobjects[name] = self.images[name]

    def page(self, page: pikepdf.Page) -> None:
        contents = page.obj.get("/Contents")
        for stream in contents if isinstance(contents, pikepdf.Array) else [contents] if contents is not None else []:
            self.stream(stream)
        self.group(page.obj)
        self.resources(page.obj.get("/Resources"))


def _with_bleed(page: pikepdf.Page, bleed_pt: float) -> None:
    """The boxes WeasyPrint writes for a page with this bleed: media grown by it, the BleedBox by up to 10 pt."""
    x0, y0, x1, y1 = (float(v) for v in page.obj.TrimBox)
    near = min(BLEEDBOX_MAX_PT, bleed_pt)
    page.obj.MediaBox = pikepdf.Array([x0 - bleed_pt, y0 - bleed_pt, x1 + bleed_pt, y1 + bleed_pt])
    page.obj.BleedBox = pikepdf.Array([x0 - near, y0 - near, x1 + near, y1 + near])


def print_from_screen(screen_pdf: Path, print_pdf: Path, inks: Inks, copies: dict[str, Path], bleed_mm: float) -> None:
    """The print PDF of a chunk made from its screen PDF: colours as inks, images from their print
    copies (`copies`: XObject name from `image_sources` -> converted file), bleed boxes, no tags.

    Its document level (XMP, output intent) is the screen PDF's: the merge takes the book's from
    the first chunk, which WeasyPrint writes as PDF/X itself.
    """
    with pikepdf.open(screen_pdf) as pdf:
        for key in SCREEN_ONLY:
            if key in pdf.Root:
                del pdf.Root[key]
        inking = _Inking(pdf, inks, copies)
        bleed_pt = bleed_mm * 72 / 25.4
        for page in pdf.pages:
            for key in PAGE_SCREEN_ONLY:
                if key in page.obj:
                    del page.obj[key]
            inking.page(page)
            _with_bleed(page, bleed_pt)
        pdf.save(print_pdf, deterministic_id=True)
