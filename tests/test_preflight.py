"""Preflight in the build and in `bookbuilder check`: planted faults fail the build, named; outputs untouched."""
from __future__ import annotations

import pikepdf

from PIL import Image

import pytest

from conftest import run_cli

# Colour no stylesheet sets (an essay's style= is removed): a drawing's fill, painted by WeasyPrint itself
RGB_DRAWING = ('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="4" viewBox="0 0 300 4">'
               '<rect width="300" height="4" fill="rgb(200, 0, 0)"/></svg>')
RGB_RULE = "![](../images/planted-rule.svg){: .decorative }"


def plant_rgb_rule(book):
    (book / "images" / "planted-rule.svg").write_text(RGB_DRAWING, encoding="utf-8")
    essay = book / "essays" / "what-the-mill-taught-us.md"
    essay.write_text(essay.read_text().rstrip() + "\n\n" + RGB_RULE + "\n")


def build_print(book, out):
    return run_cli("build", str(book), "--out", str(out), "--edition", "print")


@pytest.mark.slow
def test_sample_book_passes_preflight(sample, tmp_path):
    """The print preflight of the built PDF finds nothing, and it does read this file: a page of it
    without its TrimBox is named (the fixture's own assertion cannot tell a preflight that checks nothing)."""
    from bookbuilder.checks.preflight import check_press, preflight, spec_for

    printed = sample.edition("print")
    assert check_press(printed, sample.book) == []
    damaged = tmp_path / "no-trim.pdf"
    with pikepdf.open(sample.pdf) as pdf:
        del pdf.pages[2].obj["/TrimBox"]
        pdf.save(damaged)
    messages = [f.message for f in preflight(damaged, spec_for(sample.book, printed.pages), facts=printed.facts)]
    assert any("has no TrimBox" in m for m in messages), messages


@pytest.mark.slow
def test_72_ppi_image_fails_the_build_naming_image_essay_and_ppi(book_copy, tmp_path):
    chart = book_copy / "images" / "cards-chart.jpg"
    with Image.open(chart) as im:  # stretched over the 4.62 in measure, 333 px across is 72 ppi
        im.resize((333, round(333 * im.height / im.width))).save(chart, dpi=(72, 72))
    styles = book_copy / "styles" / "print"
    styles.mkdir(parents=True)
    (styles / "65-full-measure.css").write_text("figure.figure img { width: 100%; max-height: none; }")
    result = build_print(book_copy, tmp_path / "out")
    assert result.returncode == 1, result.stderr
    line = next(l for l in result.stderr.splitlines() if "ppi" in l)
    assert "images/cards-chart.jpg" in line and "card-by-card" in line and "72 ppi" in line, line
    assert not (tmp_path / "out" / "why-we-joined-print.pdf").exists()


@pytest.mark.slow
def test_rgb_in_an_essay_is_printed_in_ink(book_copy, tmp_path):
    """Colour the house stylesheets never saw (a drawing's fill) still reaches the printer as ink."""
    plant_rgb_rule(book_copy)
    out = tmp_path / "out"
    result = build_print(book_copy, out)
    assert result.returncode == 0, result.stderr
    with pikepdf.open(out / "why-we-joined-print.pdf") as pdf:
        streams = b"".join(page.Contents.read_bytes() for page in pdf.pages)
    assert b" rg" not in streams and b" RG" not in streams
    assert b"0 0 0 0.833" in streams  # rgb(200, 0, 0) as black ink: 1 - its luminance


@pytest.mark.slow
def test_preflight_names_the_page_and_essay_of_rgb_colour(book_copy, tmp_path):
    """The screen PDF is RGB: preflighted as if it were going to press, each RGB fill is named with its essay."""
    from bookbuilder.build import build
    from bookbuilder.checks.preflight import preflight, spec_for
    from bookbuilder.sources import load_book

    plant_rgb_rule(book_copy)
    screen = build(book_copy, tmp_path / "out", ["screen"]).outputs[0]
    spec = spec_for(load_book(book_copy), screen.pages)
    messages = [f.message for f in preflight(screen.path, spec, "print", screen.facts)]
    line = next(m for m in messages if "0.784314 0 0 rg" in m)  # WeasyPrint fills rules
    assert "what-the-mill-taught-us" in line


def test_x1a_preflight_refuses_transparency(tmp_path):
    from weasyprint import HTML

    from bookbuilder.checks.preflight import PressSpec, preflight

    pdf = tmp_path / "see-through.pdf"
    HTML(string='<p style="opacity: .5; color: device-cmyk(0 0 0 1)">50%</p>').write_pdf(pdf)
    messages = [f.message for f in preflight(pdf, PressSpec(pdf_x="x-1a", signature=1))]
    assert any("PDF/X-1a allows no transparency" in m and "alpha below 1" in m for m in messages), messages
    assert not any("PDF/X-1a" in f.message for f in preflight(pdf, PressSpec(pdf_x="x-4", signature=1)))


@pytest.mark.slow
def test_cover_is_preflighted_in_the_build(book_copy, tmp_path):
    """A cover image too small for the press fails the cover edition, which is then not written."""
    art = book_copy / "images" / "cover.jpg"
    with Image.open(art) as im:
        im.resize((200, 300)).save(art)
    result = run_cli("build", str(book_copy), "--out", str(tmp_path / "out"), "--edition", "cover", "--jobs", "1")
    assert result.returncode == 1, result.stderr
    line = next(l for l in result.stderr.splitlines() if "ppi" in l)
    assert line.startswith("error: cover:") and "(200×300 px) on page 1 prints at 32 ppi, under 300" in line, line
    assert not list((tmp_path / "out").glob("*cover*.pdf"))


@pytest.mark.slow
def test_check_command_runs_preflight_and_names_a_low_resolution_image(book_copy):
    """`bookbuilder check` builds in a scratch folder, so the print preflight judges it too."""
    chart = book_copy / "images" / "cards-chart.jpg"
    with Image.open(chart) as im:
        im.resize((333, round(333 * im.height / im.width))).save(chart)
    styles = book_copy / "styles" / "print"
    styles.mkdir(parents=True)
    (styles / "65-full-measure.css").write_text("figure.figure img { width: 100%; max-height: none; }")
    result = run_cli("check", str(book_copy))
    assert result.returncode == 1, result.stdout + result.stderr
    line = next(l for l in result.stdout.splitlines() if "ppi" in l)
    assert "images/cards-chart.jpg" in line and "card-by-card" in line and "72 ppi" in line, line
    assert not (book_copy / "_build").exists()  # check writes nothing into the book
