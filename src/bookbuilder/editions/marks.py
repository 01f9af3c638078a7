"""Crop marks outside the bleed, stroked in registration black (Separation /All).

WeasyPrint's own `marks: crop` are RGB and drawn inside the bleed (engine-notes §2), where
a printer trims into them. So the print edition writes its pages without them and this
module enlarges each MediaBox by a slug and draws the marks there with pikepdf.
"""
from __future__ import annotations


import pikepdf

PT_PER_MM = 72 / 25.4
GAP_MM = 1.0  # between the bleed edge and the start of a mark
LENGTH_MM = 5.0
SLUG_MM = GAP_MM + LENGTH_MM + 1.0  # extra media outside the bleed
LINE_PT = 0.25
COLOUR_SPACE = "/BBRegistration"


def registration_space(pdf: pikepdf.Pdf) -> pikepdf.Array:
    """Separation /All: every plate gets the mark; the alternate (for proofs) is 100% of each CMYK ink."""
    tint = pdf.make_indirect(pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0], C1=[1, 1, 1, 1], N=1))
    return pikepdf.Array([pikepdf.Name.Separation, pikepdf.Name.All, pikepdf.Name.DeviceCMYK, tint])


def crop_mark_lines(trim: list[float], bleed_pt: float) -> list[tuple[float, float, float, float]]:
    """Two marks per corner, on the trim lines, starting past the bleed."""
    x0, y0, x1, y1 = trim
    start, end = bleed_pt + GAP_MM * PT_PER_MM, bleed_pt + (GAP_MM + LENGTH_MM) * PT_PER_MM
    lines = []
    for x, sx in ((x0, -1), (x1, 1)):
        for y, sy in ((y0, -1), (y1, 1)):
            lines.append((x + sx * start, y, x + sx * end, y))  # horizontal, level with the trim edge
            lines.append((x, y + sy * start, x, y + sy * end))  # vertical
    return lines


def add_crop_marks(pdf: pikepdf.Pdf) -> None:
    """The marks on every page of an open PDF (the merge adds them before its one save)."""
    space = registration_space(pdf)
    for page in pdf.pages:
        trim = [float(v) for v in page.trimbox]
        bleed = [float(v) for v in page.bleedbox]
        bleed_pt = max(trim[0] - bleed[0], 0.0)
        slug = SLUG_MM * PT_PER_MM
        media = [bleed[0] - slug, bleed[1] - slug, bleed[2] + slug, bleed[3] + slug]
        page.obj.MediaBox = pikepdf.Array(media)
        page.obj.CropBox = pikepdf.Array(media)
        page.obj.ArtBox = pikepdf.Array(trim)
        resources = page.resources  # WeasyPrint writes one per page
        if "/ColorSpace" not in resources:
            resources.ColorSpace = pikepdf.Dictionary()
        resources.ColorSpace[COLOUR_SPACE] = space
        drawing = [f"q {COLOUR_SPACE} CS 1 SCN {LINE_PT} w 0 J"]
        drawing += [f"{a:.3f} {b:.3f} m {c:.3f} {d:.3f} l S" for a, b, c, d in crop_mark_lines(trim, bleed_pt)]
        drawing.append("Q")
        page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
        page.contents_add(pdf.make_stream(b"\nQ\n" + "\n".join(drawing).encode() + b"\n"))
