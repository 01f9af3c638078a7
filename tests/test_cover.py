"""The cover wrap: width = 2 × trim + spine + 2 × bleed for the actual page count; more pages, wider spine."""
from __future__ import annotations

import dataclasses
import subprocess

import pikepdf
import pytest

from bookbuilder.editions.base import RenderContext, Rendered
from bookbuilder.editions.cover import CoverEdition, ean13_svg, spine_width_mm
from bookbuilder.theme import Theme

pytestmark = pytest.mark.slow  # builds books: `./dev test --fast` leaves these out

MM = 72 / 25.4


def sheet_mm(pdf_path):
    with pikepdf.open(pdf_path) as pdf:
        page = pdf.pages[0]
        media = [float(v) for v in page.mediabox]
        trim = [float(v) for v in page.trimbox]
        return (media[2] - media[0]) / MM, (media[3] - media[1]) / MM, (trim[2] - trim[0]) / MM, len(pdf.pages)


def test_cover_width_follows_the_print_page_count(sample):
    book, pages = sample.book, sample.edition("print").pages
    trim, bleed = book.trim, book.editions["print"].options["bleed"]
    spine = pages / book.cover.pages_per_inch * 25.4  # PPI counts pages, not leaves
    width, height, trimmed, count = sheet_mm(sample.edition("cover").path)
    assert count == 1
    assert width == pytest.approx(2 * trim.width_mm + spine + 2 * bleed, abs=0.05)
    assert trimmed == pytest.approx(2 * trim.width_mm + spine, abs=0.05)
    assert height == pytest.approx(trim.height_mm + 2 * bleed, abs=0.05)
    assert sample.edition("cover").facts.interior_pages == pages


def render_cover(book, pages, tmp_path):
    work = tmp_path / f"work-{pages}"
    work.mkdir()
    ctx = RenderContext(book=book, theme=Theme(book.root), out_dir=tmp_path, work_dir=work)
    ctx.rendered["print"] = Rendered("print", work / "print.pdf", pages=pages)
    return CoverEdition().render(ctx)


def test_more_pages_widen_the_spine_and_put_title_on_it(sample, tmp_path):
    thin = render_cover(sample.book, 64, tmp_path)
    thick = render_cover(sample.book, 320, tmp_path)
    assert thick.facts.spine_mm > thin.facts.spine_mm
    assert sheet_mm(thick.path)[0] - sheet_mm(thin.path)[0] == pytest.approx(
        spine_width_mm(320, sample.book.cover.leaf_mm) - spine_width_mm(64, sample.book.cover.leaf_mm), abs=0.05)
    assert not thin.facts.spine_text and thick.facts.spine_text


def test_caliper_overrides_pages_per_inch(sample):
    cover = dataclasses.replace(sample.book.cover, caliper_mm=0.1)
    assert cover.leaf_mm == 0.1 and spine_width_mm(300, cover.leaf_mm) == pytest.approx(15.0)


def test_barcode_is_the_print_isbn_in_black_ink(sample):
    svg = ean13_svg(sample.book.editions["print"].isbn)
    assert "device-cmyk(0 0 0 1)" in svg and "<text" not in svg  # the digits are the template's text
    assert "fill:black" not in svg and "fill:white" not in svg
    cover = sample.edition("cover").path
    assert "9798987123409" in subprocess.run(["pdftotext", str(cover), "-"], capture_output=True, text=True).stdout
    fonts = subprocess.run(["pdffonts", str(cover)], capture_output=True, text=True).stdout
    assert "EB-Garamond-House" in fonts and "DejaVu" not in fonts


def test_cover_has_no_rgb_and_a_cmyk_intent(sample):
    from bookbuilder.checks.preflight import scan_pages

    with pikepdf.open(sample.edition("cover").path) as pdf:
        assert [s.rgb for _n, s in scan_pages(pdf) if s.rgb] == []
        assert pdf.Root.OutputIntents[0].DestOutputProfile.N == 4


def test_without_an_image_the_front_is_typeset_and_the_epub_shows_it(book_copy, tmp_path):
    import subprocess
    import zipfile

    from bookbuilder.build import build

    toml = book_copy / "book.toml"
    toml.write_text(toml.read_text().replace('image = "images/cover.jpg"\n', 'background = "#1d3557"\n', 1))
    result = build(book_copy, tmp_path / "out", ["cover", "epub"])
    assert not result.failed, [str(f) for f in result.findings]
    cover = next(r for r in result.outputs if r.edition == "cover").path
    text = subprocess.run(["pdftotext", str(cover), "-"], capture_output=True, text=True, check=True).stdout
    assert "Why We Joined".upper() in text.upper() and "Siobhán Carey" in text
    epub = next(r for r in result.outputs if r.edition == "epub").path
    with zipfile.ZipFile(epub) as z:
        opf = z.read("EPUB/content.opf").decode()
        assert 'properties="cover-image"' in opf and "front.png" in opf
        from PIL import Image
        with Image.open(z.open(next(n for n in z.namelist() if n.endswith("front.png")))) as im:
            assert abs(im.width / im.height - 152.4 / 228.6) < 0.01
