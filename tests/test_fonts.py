"""The faces for what EB Garamond lacks: registered, embedded, named in the build, never a system font."""
from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from lxml import etree

from bookbuilder.checks.pdf import characters_set_in, font_names
from bookbuilder.theme import FONT_FAMILIES, house_dir

from conftest import run_cli
from test_epub_edition import NS, epubcheck_report

SCRIPTS = """---
title: "Letters from Elsewhere"
author: "A. Writer"
---

The philosopher Ἀριστοτέλης taught that virtue is a habit, and *Ἀριστοτέλης* says so in italic.

Russian readers know Достоевский; the Komi letter Ԁ is rarer.

The greeting שָׁלוֹם is written from right to left, and ֑ is a cantillation mark.

A column of dots ⋮ and an arrow → lead on; a proof says x ⟹ y.
"""

NO_FACE = """---
title: "Beyond the Faces"
author: "A. Writer"
---

Plain text first.

A smile 😀 and the Tamil letter த have no face here.
"""


def write_book(root: Path, essay: str) -> Path:
    (root / "essays").mkdir(parents=True)
    (root / "book.toml").write_text('title = "Many Scripts"\ndate = 2026-11-01\n'
                                    '[editions.epub]\nisbn = "979-8-9871234-1-6"\n'
                                    '[contents]\nessays = ["essays/one.md"]\n', encoding="utf-8")
    (root / "essays" / "one.md").write_text(essay, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def scripts(tmp_path_factory):
    """A book in five scripts and some signs, built with the CLI: (output folder, the run)."""
    root = tmp_path_factory.mktemp("scripts")
    book = write_book(root / "book", SCRIPTS)
    run = run_cli("build", str(book), "--out", str(root / "out"), "--jobs", "1")
    assert run.returncode == 0, run.stderr
    return root / "out", run


def pdffonts(pdf: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [row.split() for row in out.splitlines()[2:]]


@pytest.mark.slow
def test_print_pdf_uses_only_registered_faces_all_embedded(scripts):
    out, _ = scripts
    rows = pdffonts(out / "many-scripts-print.pdf")
    registered = tuple(f.name.replace(" ", "-") for f in FONT_FAMILIES)
    for row in rows:
        assert row[0].split("+")[-1].startswith(registered), row
        assert row[-5] == "yes", row  # emb
    names = {row[0].split("+")[-1] for row in rows}
    assert not any("DejaVu" in n for n in names), names
    # Each fallback family sets what comes to it: Hebrew and ⋮ Libertine, cantillation Cardo, Komi Gentium, ⟹ STIX.
    assert {"Linux-Libertine-House", "Cardo-House", "Gentium-House", "STIX-House"} <= names, names


@pytest.mark.slow
def test_greek_and_cyrillic_stay_in_the_book_face(scripts):
    out, _ = scripts
    pdf = out / "many-scripts-print.pdf"
    drawn = characters_set_in(pdf, font_names(pdf))
    assert {"Ἀ", "έ", "Д", "й", "→"} <= drawn["EB-Garamond-House"]
    assert "Ἀ" in drawn["EB-Garamond-House-Italic"]
    assert {"ש", "ל", "⋮"} <= drawn["Linux-Libertine-House"]
    assert "\u0591" in drawn["Cardo-House"] and "Ԁ" in drawn["Gentium-House"] and "⟹" in drawn["STIX-House"]


@pytest.mark.slow
def test_build_names_each_fallback_face_with_its_characters_and_file(scripts):
    _, run = scripts
    found = re.finditer(r"fallback face ([\w ]+?) for \d+ character\(s\): .*", run.stderr)
    lines = {m.group(1): m.group(0) for m in found}
    assert set(lines) == {"Linux Libertine", "Cardo", "Gentium", "STIX"}, run.stderr
    assert "ש" in lines["Linux Libertine"] and "⋮" in lines["Linux Libertine"]
    assert "Ἀ" not in run.stderr.split("fallback face", 1)[1]  # the book face has Greek: not a fallback's
    assert all(line.endswith("in essays/one.md") for line in lines.values()), lines
    assert "Ԁ" in lines["Gentium"] and "⟹" in lines["STIX"] and "\u25cc\u0591" in lines["Cardo"]
    assert "warning" not in run.stderr, run.stderr


@pytest.mark.slow
def test_epub_declares_and_carries_only_the_fallbacks_it_needs_subset(scripts):
    out, _ = scripts
    epub = out / "many-scripts.epub"
    report = epubcheck_report(epub)
    messages = [(m["severity"], m["ID"], m["message"]) for m in report["messages"]]
    assert report["checker"]["nError"] == 0 and report["checker"]["nWarning"] == 0, messages
    with zipfile.ZipFile(epub) as z:
        opf = etree.fromstring(z.read("EPUB/content.opf"))
        fonts = {i.get("href"): i.get("media-type")
                 for i in opf.xpath("//opf:manifest/opf:item[starts-with(@href, 'fonts/')]", namespaces=NS)}
        assert fonts["fonts/EBGaramond12-Regular.ttf"] == "font/ttf"
        assert fonts["fonts/LinLibertine_R.otf"] == "font/otf" and fonts["fonts/Cardo104s.ttf"] == "font/ttf"
        libertine = z.read("EPUB/fonts/LinLibertine_R.otf")
        css = z.read("EPUB/styles/book.css").decode()
    assert len(libertine) < 20_000  # a subset, not the 500 KB face
    cmap = TTFont(io.BytesIO(libertine)).getBestCmap()
    assert {ord("ש"), ord("⋮")} <= set(cmap) and ord("Ж") not in cmap
    assert 'font-family: "Linux Libertine House"' in css and "../fonts/LinLibertine_RI.otf" in css


@pytest.mark.slow
def test_character_no_face_has_is_a_warning_with_file_and_line(tmp_path):
    book = write_book(tmp_path / "book", NO_FACE)
    run = run_cli("build", str(book), "--out", str(tmp_path / "out"), "--jobs", "1", "--edition", "print",
                  "--edition", "epub")
    assert run.returncode == 0, run.stderr
    line = next(n for n, text in enumerate(NO_FACE.splitlines(), 1) if "😀" in text)
    warning = next(w for w in run.stderr.splitlines() if "no registered face has" in w)
    assert warning.startswith("warning: print:"), warning
    assert f"😀 (U+1F600) at essays/one.md:{line}" in warning and f"த (U+0BA4) at essays/one.md:{line}" in warning
    system = [w for w in run.stderr.splitlines() if "the system font" in w]
    assert system and all(w.startswith("warning: ") for w in system) and any("😀" in w for w in system), run.stderr
    assert "fallback face" not in run.stderr
    with zipfile.ZipFile(tmp_path / "out" / "many-scripts.epub") as z:  # no fallback needed: none carried
        assert not [n for n in z.namelist() if "/fonts/" in n and "EBGaramond" not in n]


def test_every_stack_names_the_registered_families_in_order():
    stack = ", ".join(f'"{family.name}"' for family in FONT_FAMILIES)
    for relative in ("print/20-text.css", "epub/20-text.css", "cover/10-cover.css",
                     "templates/release/offprint-source.html"):
        text = re.sub(r"\s+", " ", (house_dir() / relative).read_text(encoding="utf-8"))
        assert f"font-family: {stack}" in text, relative


@pytest.mark.slow
def test_epub_fallback_subsets_are_the_same_on_every_build(scripts, tmp_path):
    out, _ = scripts
    run = run_cli("build", str(out.parent / "book"), "--out", str(tmp_path), "--jobs", "1", "--edition", "epub")
    assert run.returncode == 0, run.stderr

    def fonts(epub: Path) -> dict[str, bytes]:
        with zipfile.ZipFile(epub) as z:
            return {n: z.read(n) for n in z.namelist() if n.startswith("EPUB/fonts/")}
    again, first = fonts(tmp_path / "many-scripts.epub"), fonts(out / "many-scripts.epub")
    assert "EPUB/fonts/Cardo104s.ttf" in first and again == first  # no subset stamped with the time of the build
