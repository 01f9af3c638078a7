"""Images at their real size: the file's own dpi, a size asked for per figure, and a print-only failure isolated.

Each test builds a small book with Pillow-made images and reads the drawn size back
from the PDF with pdfimages (x-ppi: pixels over the inches the image is drawn across).
"""
from __future__ import annotations

import subprocess
import textwrap
import zipfile

import pikepdf
import pytest
from PIL import Image, ImageDraw

from conftest import pdf_pages_text, run_cli

pytestmark = pytest.mark.slow  # builds books: `./dev test --fast` leaves these out

MEASURE_IN = (6 * 25.4 - 35) / 25.4  # 6 in trim less the 20 + 15 mm margins of styles/print/10-page.css


def image(path, size, dpi=None):
    im = Image.new("L", size, 200)
    ImageDraw.Draw(im).rectangle((4, 4, size[0] - 5, size[1] - 5), outline=0, width=3)
    im.save(path, **({"dpi": (dpi, dpi)} if dpi else {}))


def small_book(root, body: str, images: dict) -> object:
    (root / "essays").mkdir(parents=True)
    (root / "images").mkdir()
    for name, (size, dpi) in images.items():
        image(root / "images" / name, size, dpi)
    (root / "book.toml").write_text('title = "Sizes"\ndate = 2026-11-01\n\n[contents]\nessays = ["essays/one.md"]\n')
    (root / "essays" / "one.md").write_text('---\ntitle: "One"\nauthor: "A. Writer"\n---\n\nFirst paragraph.\n\n'
                                            + textwrap.dedent(body).strip() + "\n\nLast paragraph.\n")
    return root


def drawn_ppi(pdf) -> dict[tuple[int, int], float]:
    """(width, height) in pixels → x-ppi it is drawn at, from pdfimages -list."""
    out = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    found = {}
    for row in out.splitlines()[2:]:
        cols = row.split()
        found[(int(cols[3]), int(cols[4]))] = float(cols[12])
    return found


def build(book, out, *editions):
    args = [a for e in editions for a in ("--edition", e)]
    return run_cli("build", str(book), "--out", str(out), "--jobs", "1", *args)


@pytest.fixture(scope="module")
def sized(tmp_path_factory):
    root = tmp_path_factory.mktemp("sizes")
    book = small_book(root / "book", """
        ![A box at 300 dpi](../images/own.jpg)
        Printed three inches across. / Photo: Ana Ruiz

        ![A wide box at 600 dpi](../images/half.png){: .half-width }
        Half the measure. / Credit: Bo Lind

        ![](../images/ornament.png){: .decorative .inline }

        Between the ornament and the map.

        ![A map without dpi](../images/nodpi.png)
        Fitted as before. / Map: Cy Wu

        ![A tall box](../images/full-width.jpg){: .full-width }

        ![A whole page](../images/page.jpg){: .full-page }
        A page of its own. / Painting: Di Oz
        """, {"own.jpg": ((900, 600), 300), "half.png": ((1800, 1000), 600), "ornament.png": ((150, 30), 300),
              "nodpi.png": ((2400, 1600), None), "full-width.jpg": ((3000, 1500), 300),
              "page.jpg": ((2000, 2600), 300)})
    out = root / "out"
    result = build(book, out, "print", "epub")
    assert result.returncode == 0, result.stderr
    return out


def test_an_image_with_dpi_prints_at_its_own_size(sized):
    ppi = drawn_ppi(sized / "sizes-print.pdf")
    assert ppi[(900, 600)] == pytest.approx(300, abs=2)  # 900 px at 300 dpi: 3 in, not enlarged to the measure
    assert ppi[(150, 30)] == pytest.approx(300, abs=2)  # .inline keeps the ornament at its own half inch


def test_an_image_without_dpi_fits_the_measure_as_before(sized):
    assert drawn_ppi(sized / "sizes-print.pdf")[(2400, 1600)] == pytest.approx(2400 / MEASURE_IN, rel=0.02)


def test_sizes_asked_for_per_figure(sized):
    ppi = drawn_ppi(sized / "sizes-print.pdf")
    assert ppi[(1800, 1000)] == pytest.approx(1800 / (MEASURE_IN / 2), rel=0.02)  # .half-width
    assert ppi[(3000, 1500)] == pytest.approx(3000 / MEASURE_IN, rel=0.02)  # .full-width
    assert ppi[(2000, 2600)] == pytest.approx(2000 / MEASURE_IN, rel=0.02)  # .full-page: the measure, not 105 mm high
    pages = pdf_pages_text(sized / "sizes-print.pdf")
    alone = next(p for p in pages if "A page of its own." in p)
    assert "Last paragraph" not in alone and "Between the ornament" not in alone  # the page is its own


def test_epub_sizes_are_shares_of_the_screen(sized):
    with zipfile.ZipFile(sized / "sizes.epub") as z:
        essay = z.read("EPUB/text/one.xhtml").decode()
        css = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".css"))
    for size in ("half-width", "inline", "full-width", "full-page"):
        assert f'<figure class="figure {size}"' in essay
    assert "image-resolution" not in essay  # a print matter
    assert "figure.figure.half-width img { width: 50%; }" in css


def test_image_credits_name_each_credit_without_an_unprinted_label(sized):
    text = " ".join(" ".join(p.split()) for p in pdf_pages_text(sized / "sizes-print.pdf"))
    credits = text[text.rindex("Image Credits"):]
    assert "Photo: Ana Ruiz" in credits and "Map: Cy Wu" in credits and "Painting: Di Oz" in credits
    assert "Bo Lind" in credits and "Credit:" not in text  # `Credit:` marks the credit, it is not printed
    assert "No credit given" not in text and credits.count(" p. ") == 4  # the ornament and the tall box: no line


def test_a_print_failure_still_writes_the_epub_and_screen(tmp_path):
    book = small_book(tmp_path / "book", """
        A paragraph before.

        ![A box at 72 dpi](../images/low.jpg)
        Too coarse for the press. / Photo: Ana Ruiz
        """, {"low.jpg": ((500, 300), 72)})
    out = tmp_path / "out"
    (out).mkdir()
    (out / "sizes-print.pdf").write_bytes(b"the last good print file")
    result = build(book, out)
    assert result.returncode == 1, result.stderr
    assert "checks failed for print: not written (nor cover, made from it)" in result.stderr
    line = next(l for l in result.stderr.splitlines() if "ppi" in l)
    assert "images/low.jpg" in line and "page 1 (PDF page" in line, line  # the folio, then the place in the file
    assert (out / "sizes-print.pdf").read_bytes() == b"the last good print file"
    assert not (out / "sizes-cover.pdf").exists()
    assert (out / "sizes.epub").is_file() and (out / "sizes-screen.pdf").is_file()
    with pikepdf.open(out / "sizes-screen.pdf") as pdf:
        assert pdf.pages[0].label != "1"  # front matter first: folio and PDF page differ
    assert drawn_ppi(out / "sizes-screen.pdf")[(500, 300)] == pytest.approx(500 / MEASURE_IN, rel=0.02)

    image(book / "images" / "low.jpg", (2000, 1200), 300)  # a better file: the next build writes print too
    result = build(book, out)
    assert result.returncode == 0, result.stderr
    assert (out / "sizes-print.pdf").read_bytes().startswith(b"%PDF")
    assert (out / "sizes-cover.pdf").is_file()
