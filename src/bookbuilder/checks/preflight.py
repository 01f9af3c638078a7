"""Preflight: what a printer's check would refuse, judged from the written PDF with pikepdf.

Every rule reads the file itself: the page boxes, the output intent, the colour operators
and colour spaces in each content stream (form XObjects included), and each image's
pixels against the size its `cm` matrix places it at. The layout's facts only put names
on what the file shows (which essay a page belongs to, which figure an image is); a page is
named by its printed folio, from the file's page labels ("page 2 (PDF page 10)").
"""
from __future__ import annotations

import math
import re
import subprocess
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

from ..editions.facts import FigureImage, PagedFacts
from . import Finding
from .pages import Runs, pages_to_check, pdftotext_runs, touches
from .pdf import unembedded_fonts

PT_PER_MM = 72 / 25.4
RGB_OPERATORS = {"rg": "fill", "RG": "stroke"}
SPACE_OPERATORS = {"cs": "fill", "CS": "stroke"}
RGB_NAMES = {"/DeviceRGB", "/CalRGB", "/RGB"}


@dataclass
class PressSpec:
    """What the file must be: from book.toml's [editions.print], plus the layout's page count."""

    bleed_mm: float = 3.0
    interior: str = "grey"
    signature: int = 2
    min_ppi: float = 300.0
    pages: int | None = None  # the page count the build produced (None: only the signature is checked)
    pdf_x: str = "x-4"  # x-1a also forbids transparency


@dataclass
class Placement:
    page: int
    name: str  # the XObject's resource name
    pixels: tuple[int, int]
    ppi: float


@dataclass
class PageScan:
    rgb: list[str] = field(default_factory=list)  # e.g. "stroke colour 0.8 0 0 RG"
    images: list[Placement] = field(default_factory=list)


def is_rgb_space(space) -> bool:
    """DeviceRGB, CalRGB, a 3-component ICC profile, or an indexed/pattern space built on one."""
    if isinstance(space, pikepdf.Name):
        return str(space) in RGB_NAMES
    if isinstance(space, pikepdf.Array) and len(space):
        family = str(space[0])
        if family in RGB_NAMES:
            return True
        if family == "/ICCBased":
            return int(space[1].get("/N", 0)) == 3
        if family in ("/Indexed", "/I", "/Pattern") and len(space) > 1:
            return is_rgb_space(space[1])
    return False


def resolve_space(name, resources):
    if str(name) in RGB_NAMES or str(name) in ("/DeviceCMYK", "/DeviceGray", "/Pattern"):
        return name
    spaces = resources.get("/ColorSpace", {}) if resources is not None else {}
    return spaces.get(name, name)


def _multiply(a, b):
    """Matrix product a×b for PDF's [a b c d e f] matrices."""
    return [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5]]


def scan_stream(stream, resources, page: int, scan: PageScan, ctm=None, depth: int = 0) -> None:
    """Walk one content stream, following q/Q/cm for image sizes and cs/CS for colour spaces."""
    ctm = ctm or [1, 0, 0, 1, 0, 0]
    stack: list = []
    spaces = {"fill": None, "stroke": None}
    for operands, op in pikepdf.parse_content_stream(stream):
        op = str(op)
        if op == "q":
            stack.append((ctm, dict(spaces)))
        elif op == "Q" and stack:
            ctm, spaces = stack.pop()
        elif op == "cm":
            ctm = _multiply([float(v) for v in operands], ctm)
        elif op in RGB_OPERATORS:
            scan.rgb.append(f"{RGB_OPERATORS[op]} colour {' '.join(f'{float(v):g}' for v in operands)} {op}")
        elif op in SPACE_OPERATORS:
            spaces[SPACE_OPERATORS[op]] = resolve_space(operands[0], resources)
            if is_rgb_space(spaces[SPACE_OPERATORS[op]]):
                scan.rgb.append(f"{SPACE_OPERATORS[op]} colour space {operands[0]} ({op})")
        elif op == "BI" or op == "INLINE IMAGE":
            image = operands[0] if operands else None
            cs = getattr(image, "obj", {}).get("/CS") if image is not None else None
            if cs is not None and is_rgb_space(resolve_space(cs, resources)):
                scan.rgb.append("inline RGB image")
        elif op == "sh":
            shading = resources.get("/Shading", {}).get(operands[0])
            if shading is not None and is_rgb_space(resolve_space(shading.get("/ColorSpace"), resources)):
                scan.rgb.append(f"RGB shading {operands[0]}")
        elif op == "Do":
            xobject = resources.get("/XObject", {}).get(operands[0])
            if xobject is None:
                continue
            if xobject.get("/Subtype") == "/Image":
                scan_image(xobject, operands[0], resources, ctm, page, scan)
            elif xobject.get("/Subtype") == "/Form" and depth < 12:
                form_matrix = [float(v) for v in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0])]
                group = xobject.get("/Group")
                if group is not None and is_rgb_space(resolve_space(group.get("/CS"), resources)):
                    scan.rgb.append(f"RGB transparency group in {operands[0]}")
                scan_stream(xobject, xobject.get("/Resources", resources), page, scan,
                            _multiply(form_matrix, ctm), depth + 1)


def scan_image(image, name, resources, ctm, page: int, scan: PageScan) -> None:
    if image.get("/ImageMask") is not True and is_rgb_space(resolve_space(image.get("/ColorSpace"), resources)):
        scan.rgb.append(f"RGB image {name}")
    width, height = int(image.Width), int(image.Height)
    placed_w = math.hypot(ctm[0], ctm[1]) / 72  # inches: the unit square is scaled to the image's size
    placed_h = math.hypot(ctm[2], ctm[3]) / 72
    if placed_w > 0 and placed_h > 0:
        ppi = min(width / placed_w, height / placed_h)
        scan.images.append(Placement(page, str(name), (width, height), ppi))


def scan_pages(pdf: pikepdf.Pdf, runs: Runs | None = None) -> list[tuple[int, PageScan]]:
    """(page number, what it paints) for every page, or the pages of `runs` (pages.py)."""
    scans = []
    for number, page in enumerate(pdf.pages, 1):
        if not touches(runs, number, number):
            continue
        scan = PageScan()
        group = page.obj.get("/Group")
        if group is not None and is_rgb_space(resolve_space(group.get("/CS"), page.resources)):
            scan.rgb.append("RGB page transparency group")
        scan_stream(page, page.resources, number, scan)
        for annot in page.obj.get("/Annots", []):
            appearance = annot.get("/AP", {}).get("/N")
            if isinstance(appearance, pikepdf.Stream):
                scan_stream(appearance, appearance.get("/Resources", page.resources), number, scan)
        scans.append((number, scan))
    return scans


def page_name(pdf: pikepdf.Pdf, number: int) -> str:
    """A page as the reader finds it: by its printed folio (the PDF's page label), with its place in the file."""
    try:
        folio = pdf.pages[number - 1].label
    except Exception:  # a malformed /PageLabels tree: the place in the file is all there is
        folio = str(number)
    return f"page {number}" if folio in ("", str(number)) else f"page {folio} (PDF page {number})"


def box_findings(pdf: pikepdf.Pdf, spec: PressSpec, edition: str) -> list[Finding]:
    findings = []
    short: list[str] = []
    for number, page in enumerate(pdf.pages, 1):
        missing = [box for box in ("/TrimBox", "/BleedBox") if box not in page.obj]
        if missing:
            findings.append(Finding(edition, f"{page_name(pdf, number)} has no {' or '.join(b[1:] for b in missing)}; "
                                    "the printer cannot tell where to cut"))
            continue
        trim = [float(v) for v in page.obj.TrimBox]
        bleed = [float(v) for v in page.obj.BleedBox]
        sides = (trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3])
        least = min(sides) / PT_PER_MM
        if least + 0.05 < spec.bleed_mm:
            short.append(f"{number} ({least:.2f} mm)")
    if short:
        findings.append(Finding(edition, f"the bleed is short of {spec.bleed_mm:g} mm on page(s) "
                                + ", ".join(short[:8]) + (" …" if len(short) > 8 else "")))
    return findings


def intent_findings(pdf: pikepdf.Pdf, spec: PressSpec, edition: str) -> list[Finding]:
    intents = [i for i in pdf.Root.get("/OutputIntents", []) if i.get("/S") == "/GTS_PDFX"]
    if not intents:
        return [Finding(edition, "no PDF/X output intent: the printer cannot tell which press condition the "
                        "colours are meant for")]
    profile = intents[0].get("/DestOutputProfile")
    if profile is None or int(profile.get("/N", 0)) != 4:
        return [Finding(edition, "the output intent has no CMYK ICC profile")]
    return []


def page_count_findings(pdf: pikepdf.Pdf, spec: PressSpec, edition: str) -> list[Finding]:
    count = len(pdf.pages)
    findings = []
    if count % spec.signature:
        what = "even" if spec.signature == 2 else f"a multiple of the signature ({spec.signature})"
        findings.append(Finding(edition, f"the PDF has {count} pages; the count must be {what}"))
    if spec.pages is not None and count != spec.pages:
        findings.append(Finding(edition, f"the PDF has {count} pages but the layout made {spec.pages}"))
    return findings


def dictionaries(pdf: pikepdf.Pdf):
    """Every indirect dictionary or stream, and the direct dictionaries inside them (e.g. ExtGState entries)."""
    for obj in pdf.objects:
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            yield obj
            for _key, value in obj.items():
                if isinstance(value, pikepdf.Dictionary) and not value.is_indirect:
                    yield value
                    for _inner, entry in value.items():
                        if isinstance(entry, pikepdf.Dictionary) and not entry.is_indirect:
                            yield entry


def transparency_findings(pdf: pikepdf.Pdf, spec: PressSpec, edition: str) -> list[Finding]:
    """PDF/X-1a allows no transparency: no soft masks, transparency groups or constant alpha below 1."""
    if spec.pdf_x != "x-1a":
        return []
    found = set()
    for obj in dictionaries(pdf):
        if "/SMask" in obj and obj.get("/SMask") != pikepdf.Name.None_:
            found.add("soft mask")
        if "/Group" in obj and obj.Group.get("/S") == "/Transparency":
            found.add("transparency group")
        for key in ("/CA", "/ca"):
            if key in obj and float(obj[key]) < 1:
                found.add("alpha below 1")
    return [Finding(edition, f"PDF/X-1a allows no transparency, but the file has: {', '.join(sorted(found))}; "
                    "use pdf_x = \"x-4\" or remove the transparent element")] if found else []


def essay_at(page: int, essay_pages: dict[str, int | None]) -> str | None:
    starts = sorted((p, slug) for slug, p in essay_pages.items() if p and p <= page)
    return starts[-1][1] if starts else None


WORD_BOX = re.compile(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)</word>')
TRIM_SLACK_PT = 0.5  # a glyph's side bearing may touch the edge


def text_outside_trim(word_boxes: Future, pdf: pikepdf.Pdf, edition: str, essays: dict) -> list[Finding]:
    """Text that runs past the trim (a word too long for the measure, a line that may not wrap): the
    guillotine would cut it. Read with poppler's word boxes (`word_boxes`: pdftotext -bbox, being read
    meanwhile: pages.pdftotext_runs), measured against each page's TrimBox."""
    try:
        read = word_boxes.result()
    except (OSError, subprocess.CalledProcessError) as exc:
        return [Finding(edition, f"could not read the text's position to check it against the trim ({exc}); "
                        "install poppler-utils", fatal=False, did_not_run=True)]
    boxes = [(n, text) for first, out in read for n, text in enumerate(out.split("<page ")[1:], first)]
    findings = []
    for number, text in boxes:
        page = pdf.pages[number - 1]
        if "/TrimBox" not in page.obj:
            continue
        media, trim = [float(v) for v in page.obj.MediaBox], [float(v) for v in page.obj.TrimBox]
        left, right = trim[0] - media[0], trim[2] - media[0]
        top, bottom = media[3] - trim[3], media[3] - trim[1]
        outside = [word for x0, y0, x1, y1, word in WORD_BOX.findall(text)
                   if float(x0) < left - TRIM_SLACK_PT or float(x1) > right + TRIM_SLACK_PT
                   or float(y0) < top - TRIM_SLACK_PT or float(y1) > bottom + TRIM_SLACK_PT]
        if outside:
            where = page_name(pdf, number) + (f" (in {essay_at(number, essays)})" if essay_at(number, essays) else "")
            shown = outside[0] if len(outside[0]) <= 40 else outside[0][:40] + "…"
            findings.append(Finding(edition, f"text runs outside the trim on {where}: “{shown}”"
                                    + (f" and {len(outside) - 1} more word(s)" if len(outside) > 1 else "")
                                    + "; it would be cut off: let the line wrap, or shorten it"))
    return findings


def preflight(pdf_path: Path, spec: PressSpec, edition: str = "print", facts: PagedFacts | None = None,
              runs: Runs | None = None) -> list[Finding]:
    """Every fatal reason a printer would send the file back, each naming the page, essay or image.

    The whole file's properties always; what is on the pages, on those of `runs` (pages.py) when given."""
    essays = facts.essay_pages if facts else {}
    images = facts.images if facts else []
    with ThreadPoolExecutor(1) as poppler, pikepdf.open(pdf_path) as pdf:
        word_boxes = poppler.submit(pdftotext_runs, pdf_path, runs, "-bbox")  # read while pikepdf scans the pages
        findings = [Finding(edition, f"font not embedded: {name}") for name in unembedded_fonts(pdf_path)]
        findings += box_findings(pdf, spec, edition)
        findings += intent_findings(pdf, spec, edition)
        findings += page_count_findings(pdf, spec, edition)
        findings += transparency_findings(pdf, spec, edition)
        scans = scan_pages(pdf, runs)
        findings += text_outside_trim(word_boxes, pdf, edition, essays)
        for number, scan in scans:
            where = page_name(pdf, number) + (f" (in {essay_at(number, essays)})" if essay_at(number, essays) else "")
            if scan.rgb and spec.interior in ("grey", "cmyk"):
                kinds = list(dict.fromkeys(scan.rgb))
                findings.append(Finding(edition, f"RGB colour on {where}: " + "; ".join(kinds[:4])
                                        + (f" and {len(kinds) - 4} more" if len(kinds) > 4 else "")
                                        + f" — a {spec.interior} interior takes no RGB"))
            for placed in scan.images:
                if placed.ppi + 0.5 < spec.min_ppi:
                    label = image_label(placed, images) or f"image {placed.name} ({placed.pixels[0]}×{placed.pixels[1]} px)"
                    findings.append(Finding(edition, f"{label} on {where} prints at {placed.ppi:.0f} ppi, under "
                                            f"{spec.min_ppi:g}; supply it with at least "
                                            f"{math.ceil(placed.pixels[0] * spec.min_ppi / placed.ppi)} px across"))
    return findings


def image_label(placed: Placement, images: list[FigureImage]) -> str | None:
    """Name an image from the layout's facts: the figure on that page (or any, when None) with those pixels."""
    for image in images:
        if image.page in (None, placed.page) and tuple(image.pixels) == placed.pixels:
            return f"image {image.source} (figure {image.figure} in {image.essay})"
    return None


def spec_for(book, pages: int | None = None) -> PressSpec:
    options = book.editions["print"].options
    return PressSpec(bleed_mm=options["bleed"], interior=options["interior"], signature=options["signature"],
                     pages=pages, pdf_x=options["pdf_x"])


def check_press(rendered, book) -> list[Finding]:
    """The build's preflight of the print edition it has just written."""
    return preflight(rendered.path, spec_for(book, rendered.pages), rendered.edition, rendered.paged_facts,
                     pages_to_check(rendered))


def check_cover(rendered, book) -> list[Finding]:
    """The cover goes to the same press: one CMYK page with bleed, an output intent, images at 300 ppi."""
    spec = spec_for(book, 1)
    spec.interior, spec.signature = "cmyk", 1
    return preflight(rendered.path, spec, rendered.edition)
