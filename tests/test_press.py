"""Print production: bleed boxes, a true PDF/X claim with a CMYK output intent, ink-only colour, padding, ISBNs."""
from __future__ import annotations

import subprocess

import pikepdf
import pytest

from bookbuilder.editions import press
from conftest import pdf_pages_text

MM = 72 / 25.4


@pytest.mark.slow
def test_every_page_has_trim_and_bleed_boxes_with_the_bleed_asked_for(sample):
    trim = sample.book.trim
    with pikepdf.open(sample.pdf) as pdf:
        for page in pdf.pages:
            tx0, ty0, tx1, ty1 = (float(v) for v in page.trimbox)
            bx0, by0, bx1, by1 = (float(v) for v in page.bleedbox)
            assert "/TrimBox" in page.obj and "/BleedBox" in page.obj
            assert tx1 - tx0 == pytest.approx(trim.width_mm * MM, abs=0.1)
            assert ty1 - ty0 == pytest.approx(trim.height_mm * MM, abs=0.1)
            for bleed in (tx0 - bx0, ty0 - by0, bx1 - tx1, by1 - ty1):
                assert bleed == pytest.approx(3 * MM, abs=0.05)


@pytest.mark.slow
def test_pdf_x4_claim_with_a_cmyk_output_intent(sample):
    with pikepdf.open(sample.pdf) as pdf:
        xmp = pdf.open_metadata()
        assert xmp["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
        assert pdf.pdf_version == "1.6"
        intents = list(pdf.Root.OutputIntents)
        assert [str(i.S) for i in intents] == ["/GTS_PDFX"]
        assert intents[0].DestOutputProfile.N == 4
        # the book is merged from chunks that each embed the profile: one copy is kept
        profiles = {o.objgen for o in pdf.objects if isinstance(o, pikepdf.Stream) and "/N" in o
                    and o.get("/Type") != "/ObjStm"}
        assert profiles == {intents[0].DestOutputProfile.objgen}


@pytest.mark.slow
def test_page_count_is_even_and_padding_is_blank(sample, tmp_path):
    """The blank versos and the padding carry no text and print nothing: white from bleed edge to bleed edge."""
    from PIL import Image

    printed = sample.edition("print")
    assert printed.pages % 2 == 0
    with pikepdf.open(sample.pdf) as pdf:
        assert len(pdf.pages) == printed.pages
        added = [n for n, page in enumerate(pdf.pages, 1) if not page.obj.Resources.keys()]  # by assemble._add_blanks
    blank = [n for n, text in enumerate(pdf_pages_text(sample.pdf), 1) if not text.strip()]
    assert added and set(added) <= set(blank), (added, blank)
    subprocess.run(["pdftoppm", "-r", "20", "-gray", str(sample.pdf), str(tmp_path / "p")], check=True)
    pictures = sorted(tmp_path.glob("p-*.pgm"))
    assert len(pictures) == printed.pages
    for n in blank:
        with Image.open(pictures[n - 1]) as picture:
            assert picture.getextrema() == (255, 255), f"page {n} has no text but is not blank"


@pytest.mark.slow
def test_each_pdf_names_its_own_isbn_and_the_others(sample):
    isbns = {n: e.isbn.replace("-", "") for n, e in sample.book.editions.items() if e.isbn}
    with pikepdf.open(sample.pdf) as pdf:
        xmp = pdf.open_metadata()
        assert xmp["dc:identifier"] == f"urn:isbn:{isbns['print']}"
        assert any(isbns["epub"] in r for r in xmp["dc:relation"])
    with pikepdf.open(sample.screen) as pdf:
        assert any(isbns["print"] in r for r in pdf.open_metadata()["dc:relation"])


@pytest.mark.slow
def test_interior_images_are_greyscale_and_the_editors_files_untouched(sample):
    with pikepdf.open(sample.pdf) as pdf:
        spaces = {str(x.ColorSpace) for page in pdf.pages for _n, x in page.get_images().items()}
    assert spaces == {"/DeviceGray"}
    from PIL import Image
    with Image.open(sample.book.figures[0][1].src) as original:
        assert original.mode == "RGB"


@pytest.mark.parametrize("css, expected", [
    ("p { color: black }", "p{ color: device-cmyk(0 0 0 1.000); }"),
    ("a.red { border-top: 0.4pt solid #fff }", "a.red { border-top: 0.4pt solid device-cmyk(0 0 0 0.000); }"),
    ("@page { @footnote { border-top: 1pt solid rgb(0 0 0) } }", "@page { @footnote { border-top: 1pt solid device-cmyk(0 0 0 1.000); } }"),
    ("hr { border: 1px inset gray }", "hr { border: 1px solid device-cmyk(0 0 0 0.498); }"),
    ("p { color: inherit; border-color: currentColor }", "p { color: inherit; border-color: currentColor; }"),
])
def test_colour_pass_rewrites_declarations_only(css, expected):
    assert press.ink_stylesheet(css, "grey").replace(" ", "") == expected.replace(" ", "")


def test_colour_pass_for_a_colour_book_keeps_hue():
    assert press.ink(1.0, 0.0, 0.0, "cmyk") == "device-cmyk(0.000 1.000 1.000 0.000)"


@pytest.mark.slow
def test_no_rgb_colour_operators_or_spaces_on_any_interior_page(sample):
    from bookbuilder.checks.preflight import scan_pages

    with pikepdf.open(sample.pdf) as pdf:
        scans = scan_pages(pdf)
    assert len(scans) == sample.edition("print").pages
    assert [(n, s.rgb) for n, s in scans if s.rgb] == []
    assert all(p.ppi >= 299.5 for _n, s in scans for p in s.images) and sum(len(s.images) for _n, s in scans) == 9


@pytest.mark.slow
def test_preflight_refuses_the_screen_pdf_as_a_print_file(sample):
    """The screen PDF is RGB with no bleed and no output intent: preflight must say all three."""
    from bookbuilder.checks.preflight import PressSpec, preflight

    messages = " | ".join(f.message for f in preflight(sample.screen, PressSpec()))
    assert "bleed is short of 3 mm" in messages
    assert "no PDF/X output intent" in messages
    assert "RGB colour on page" in messages
    assert "font not embedded" not in messages


@pytest.mark.slow
def test_colour_book_with_marks_signature_and_x1a(book_copy, tmp_path):
    """Every [editions.print] option at once; the build's own preflight must pass it."""
    from bookbuilder.build import build

    toml = book_copy / "book.toml"
    toml.write_text(toml.read_text().replace('trim = "6x9in"\n', 'trim = "6x9in"\nbleed = "0.125in"\nmarks = true\n'
                                             'signature = 16\ninterior = "cmyk"\npdf_x = "x-1a"\n', 1))
    result = build(book_copy, tmp_path / "out", ["print"])
    assert not result.failed, [str(f) for f in result.findings]
    printed = result.outputs[0]
    assert printed.pages % 16 == 0
    with pikepdf.open(printed.path) as pdf:
        assert pdf.open_metadata()["pdfx:GTS_PDFXVersion"] == "PDF/X-1a:2003"
        spaces = {str(x.ColorSpace) for page in pdf.pages for _n, x in page.get_images().items()}
        assert spaces == {"/DeviceCMYK"}
        for page in pdf.pages:
            media, bleed, trim = ([float(v) for v in box] for box in (page.mediabox, page.bleedbox, page.trimbox))
            assert trim[0] - bleed[0] == pytest.approx(9.0, abs=0.01)  # 0.125 in
            assert bleed[0] - media[0] > 6 * MM  # the marks sit in a slug outside the bleed
            registration = page.resources.ColorSpace["/BBRegistration"]
            assert [str(registration[0]), str(registration[1])] == ["/Separation", "/All"]
            assert b"/BBRegistration CS 1 SCN" in page.obj.Contents[-1].read_bytes() if isinstance(
                page.obj.Contents, pikepdf.Array) else False


@pytest.mark.slow
def test_print_and_cover_are_byte_reproducible(sample, tmp_path):
    """Converted images are served under stable URLs and XMP ids are derived, so a rebuild is identical."""
    from bookbuilder.build import build

    again = build(sample.book.root, tmp_path / "again", ["cover"])
    for edition in ("print", "cover"):
        rebuilt = next(r for r in again.outputs if r.edition == edition)
        assert rebuilt.path.read_bytes() == sample.edition(edition).path.read_bytes(), edition
