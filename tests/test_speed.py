"""Speed work must not change what is built: the debugging HTML, no-op rebuilds, parallel and kept chunks."""
from __future__ import annotations

import dataclasses
import re
import subprocess
import sys

import pytest

from bookbuilder.editions.facts import PagedFacts
from conftest import pdf_pages_text

pytestmark = pytest.mark.slow  # builds books: `./dev test --fast` leaves these out


def test_build_html_lays_out_the_print_pages_on_its_own(book_copy, tmp_path):
    """`build --html` writes HTML that plain WeasyPrint can lay out after the build (the benchmark's raw pass)."""
    from bookbuilder.build import build

    out = tmp_path / "out"
    build(book_copy, out, ["print"], write_html=True)
    html = next(out.glob("*-print.html"))
    text = html.read_text(encoding="utf-8")
    assert ".incomplete-" not in text and "?ink=" not in text
    raw = tmp_path / "raw.pdf"
    subprocess.run([sys.executable, "-m", "weasyprint", str(html), str(raw)], check=True, capture_output=True)
    built = [re.sub(r"\s+", " ", p).strip() for p in pdf_pages_text(next(out.glob("*-print.pdf")))]
    plain = [re.sub(r"\s+", " ", p).strip() for p in pdf_pages_text(raw)]
    assert plain == built[:len(plain)] and all(not p for p in built[len(plain):])  # the print PDF adds blank pads


def mtimes(out):
    return {p.name: p.stat().st_mtime_ns for p in out.iterdir()}


def test_a_second_build_with_nothing_changed_rewrites_nothing(book_copy, tmp_path):
    from bookbuilder.build import build

    out = tmp_path / "out"
    first = build(book_copy, out, ["print", "epub"])
    before = mtimes(out)
    again = build(book_copy, out, ["print", "epub"])
    assert again.unchanged and mtimes(out) == before
    assert [(r.edition, r.path, r.pages) for r in again.outputs] == [(r.edition, r.path, r.pages) for r in first.outputs]
    assert [str(f) for f in again.findings] == [str(f) for f in first.findings if not f.fatal]


def test_an_edited_essay_a_style_an_option_or_a_damaged_output_builds_again(book_copy, tmp_path):
    from bookbuilder.build import build

    out = tmp_path / "out"
    build(book_copy, out, ["epub"])
    essay = sorted((book_copy / "essays").glob("*.md"))[0]
    essay.write_text(essay.read_text(encoding="utf-8") + "\nOne sentence more.\n", encoding="utf-8")
    assert not build(book_copy, out, ["epub"]).unchanged
    style = book_copy / "styles" / "epub" / "95-extra.css"
    style.parent.mkdir(parents=True, exist_ok=True)
    style.write_text("p { margin: 0; }\n", encoding="utf-8")
    assert not build(book_copy, out, ["epub"]).unchanged
    assert build(book_copy, out, ["epub"]).unchanged
    assert not build(book_copy, out, ["epub"], write_html=True).unchanged  # other options, other outputs
    next(out.glob("*.epub")).write_bytes(b"damaged")
    rebuilt = build(book_copy, out, ["epub"], write_html=True)
    assert not rebuilt.unchanged and rebuilt.outputs[0].path.read_bytes()[:2] == b"PK"
    assert not build(book_copy, out, ["epub"], write_html=True, force=True).unchanged


def test_source_date_epoch_is_part_of_the_fingerprint(book_copy, tmp_path, monkeypatch):
    from bookbuilder.build import build

    out = tmp_path / "out"
    build(book_copy, out, ["epub"])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert not build(book_copy, out, ["epub"]).unchanged


def test_the_command_says_nothing_changed_and_exits_0(book_copy, tmp_path):
    from conftest import run_cli

    out = tmp_path / "out"
    assert run_cli("build", str(book_copy), "--out", str(out), "--edition", "epub").returncode == 0
    again = run_cli("build", str(book_copy), "--out", str(out), "--edition", "epub")
    assert again.returncode == 0 and "Nothing changed since the last build" in again.stdout


def test_chunks_laid_out_in_parallel_give_the_same_bytes_as_one_after_another(book_copy, tmp_path):
    from bookbuilder.build import build

    def placeless(facts):  # where the laid-out chunks are kept differs with the output folder
        return dataclasses.replace(facts, chunks={}) if isinstance(facts, PagedFacts) else facts

    serial = build(book_copy, tmp_path / "serial", jobs=1)
    parallel = build(book_copy, tmp_path / "parallel", jobs=2)
    from bookbuilder.fingerprint import output_sha256

    assert [r.edition for r in parallel.outputs] == [r.edition for r in serial.outputs] == \
        ["print", "screen", "cover", "epub", "web"]
    for one, other in zip(serial.outputs, parallel.outputs):
        assert output_sha256(one.path) == output_sha256(other.path), one.edition  # the web edition is a folder
        assert one.pages == other.pages and placeless(one.facts) == placeless(other.facts)
    assert [str(f) for f in parallel.findings] == [str(f) for f in serial.findings]


# A layout that fails only in a forked worker: the parent's build reaches it only through the
# worker's pipe (layout_pool._worker and _sendable), as a real failure in a worker would.
FAILING_WORKER = """
import os, sys
from bookbuilder.editions import layout_pool
from bookbuilder.errors import BuildError, SourceError

parent = os.getpid()
real = layout_pool.typeset_chunk

class Unpicklable(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.hook = lambda: None  # a lambda cannot cross the pipe

def typeset_chunk(job, book, *args):
    if os.getpid() == parent:
        raise AssertionError("laid out in the main process: the worker path is not exercised")
    if sys.argv[3] == "source":
        raise BuildError([SourceError(book.root / "essays" / "x.md", "no layout today")])
    raise Unpicklable("the chunk broke in the worker")

layout_pool.typeset_chunk = typeset_chunk  # the forked workers inherit it
from bookbuilder.cli import main
sys.exit(main(["build", sys.argv[1], "--out", sys.argv[2], "--jobs", "2"]))
"""


@pytest.mark.parametrize("kind", ["source", "unpicklable"])
def test_a_layout_failing_in_a_worker_process_is_reported_and_ends_the_build(book_copy, tmp_path, kind):
    """The error crosses the pipe (an unpicklable one as a RuntimeError naming it), the workers stop, no hang."""
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-c", FAILING_WORKER, str(book_copy), str(out), kind],
                            capture_output=True, text=True, timeout=300)  # a pool left waiting would hang here
    assert "Traceback" not in result.stderr and "laid out in the main process" not in result.stderr, result.stderr
    if kind == "source":
        assert result.returncode == 2, result.stderr
        assert "essays/x.md: no layout today" in result.stderr
    else:
        assert result.returncode == 70, result.stderr
        assert "internal error (RuntimeError: Unpicklable: the chunk broke in the worker)" in result.stderr
    assert not list(out.glob("*.pdf")) and not list(out.glob("*.epub"))


def test_an_edit_only_some_editions_read_rebuilds_only_those_and_equals_a_cold_build(book_copy, tmp_path):
    """EPUB styles: only the EPUB and the web edition (made with the EPUB's templates) are rebuilt; cover styles:
    only the cover; web styles: only the site; the files equal a cold build's.

    The screen PDF is written from print's layout, so print styles rebuild both (and what reads them)."""
    from bookbuilder.build import build

    out = tmp_path / "out"
    build(book_copy, out)

    def restyle(folder):
        style = book_copy / "styles" / folder / "95-extra.css"
        style.parent.mkdir(parents=True, exist_ok=True)
        style.write_text("h1 { letter-spacing: 0.01em; }\n", encoding="utf-8")
        before = mtimes(out)
        result = build(book_copy, out)
        after = mtimes(out)
        assert all(after[r.path.name] == before[r.path.name] for r in result.outputs if r.kept)
        return result, {r.edition for r in result.outputs if not r.kept}

    from bookbuilder.fingerprint import output_sha256

    # The web edition's pages are made with the EPUB's templates (templates/epub/): it reads that folder too.
    for folder, expected in (("epub", {"epub", "web"}), ("cover", {"cover"}), ("web", {"web"})):
        result, rebuilt = restyle(folder)
        assert rebuilt == expected
    cold = build(book_copy, tmp_path / "cold")
    for incremental, fresh in zip(result.outputs, cold.outputs):
        assert output_sha256(incremental.path) == output_sha256(fresh.path), incremental.edition
    assert restyle("print")[1] == {"print", "screen", "cover", "epub", "web"}


def build_facets(out):
    """What a reader sees of each PDF (text of every page, bookmarks, links) and the EPUB's bytes (bench/run.py)."""
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[1] / "bench"))
    from run import links, outline, page_texts

    facets = {pdf.name: (page_texts(pdf), outline(pdf), links(pdf)) for pdf in sorted(out.glob("*.pdf"))}
    facets.update({epub.name: epub.read_bytes() for epub in out.glob("*.epub")})
    return facets


def build_telling(book, out):
    from bookbuilder.build import build

    said = []
    result = build(book, out, progress=said.append)
    return result, said


def test_an_essay_edit_lays_out_only_that_essay_and_equals_a_cold_build(book_copy, tmp_path):
    out = tmp_path / "out"
    build_telling(book_copy, out)
    essay = book_copy / "essays" / "card-by-card.md"
    essay.write_text(essay.read_text().replace("the ", "the very ", 1))
    _, said = build_telling(book_copy, out)
    assert "paged editions: 1 of 8 chunks laid out, 7 kept from the last build" in said
    _, cold = build_telling(book_copy, tmp_path / "cold")
    assert "paged editions: 8 of 8 chunks laid out, 0 kept from the last build" in cold
    assert build_facets(out) == build_facets(tmp_path / "cold")


def test_an_edit_that_moves_page_numbers_lays_out_the_chunks_after_it_again(book_copy, tmp_path):
    out = tmp_path / "out"
    first, _ = build_telling(book_copy, out)
    essay = book_copy / "essays" / "reading-capital-on-the-night-shift.md"
    essay.write_text(essay.read_text().rstrip() + "\n\n" + "\n\n".join(["A paragraph added to move the pages on. " * 12] * 8))
    again, said = build_telling(book_copy, out)
    assert again.outputs[0].pages > first.outputs[0].pages
    assert any("page numbers moved after an edit" in line for line in said), said
    build_telling(book_copy, tmp_path / "cold")
    assert build_facets(out) == build_facets(tmp_path / "cold")


def test_an_epub_style_edit_lays_out_no_chunk(book_copy, tmp_path):
    out = tmp_path / "out"
    build_telling(book_copy, out)
    style = book_copy / "styles" / "epub" / "95-extra.css"
    style.parent.mkdir(parents=True, exist_ok=True)
    style.write_text("h1 { letter-spacing: 0.01em; }\n", encoding="utf-8")
    result, said = build_telling(book_copy, out)
    assert {r.edition for r in result.outputs if not r.kept} == {"epub", "web"}  # the web reads templates/epub too
    assert "paged editions: 0 of 8 chunks laid out, 8 kept from the last build" in said


def test_an_image_a_stylesheet_names_is_an_input_of_every_chunk(book_copy, tmp_path):
    """Figures are keyed chunk by chunk; any other file of the book may be read by any chunk (a background)."""
    import shutil

    ornament = book_copy / "images" / "ornament.jpg"
    shutil.copy(book_copy / "images" / "fists.jpg", ornament)
    style = book_copy / "styles" / "print" / "95-ornament.css"
    style.parent.mkdir(parents=True, exist_ok=True)
    style.write_text(".part-opening { background: url(../../images/ornament.jpg) no-repeat; }\n", encoding="utf-8")
    out = tmp_path / "out"
    build_telling(book_copy, out)
    shutil.copy(book_copy / "images" / "rally.jpg", ornament)
    _, said = build_telling(book_copy, out)
    assert "paged editions: 8 of 8 chunks laid out, 0 kept from the last build" in said
    figure = book_copy / "images" / "steel-mill.jpg"  # a figure of one essay: that essay's chunk only
    shutil.copy(book_copy / "images" / "night-shift.jpg", figure)
    _, said = build_telling(book_copy, out)
    assert "paged editions: 1 of 8 chunks laid out, 7 kept from the last build" in said
