"""Every essay of the sample book and of the four real books, as a contributor's manuscript made by real
producers, imports as the essay it was made from: the same title, author (the byline out of the body),
standfirst, date, epigraphs (count, text, attribution), figures (caption, credit, alt), notes (count, text,
paragraphs and quotations), section breaks, line breaks (verse), italics, block quotations, tables, list items,
passages in other languages, and body, word for word; and the import summary asks the editor only about what
the manuscript lacks.

The producers: pandoc → .docx (Word's styles), pandoc → .odt (LibreOffice's styles), LibreOffice headless
→ .docx from pandoc's .odt (what a writer working in LibreOffice sends as a Word file), and LibreOffice → .odt
from pandoc's .docx (a Word file opened and saved in Writer: its own styles, frames and drawn rules). The
manuscripts are made once per run: one pandoc call per essay and format, and one LibreOffice run per format.

What the producers cannot carry is said here, not skipped silently:
- house `///` blocks are the house's own syntax; the manuscript leaves them out (manuscripts.HOUSE_BLOCK);
- quotations in a row that the source parts only with a Markdown comment (`<!-- -->`) are one quotation of
  several paragraphs in a word processor: they are counted as one (manuscripts.differences);
- pandoc's .odt writer drops the abstract, so there the standfirst is a paragraph in the Abstract style;
- pandoc's .odt writer writes no picture descriptions, so pandoc's .odt and the LibreOffice .docx made from it
  carry no alt text: each figure must then ask the editor for one (and none may invent one);
- pandoc's .docx writer (2.17) writes no language on runs (`[…]{lang=de}` is lost), so there, and in the
  LibreOffice .odt made from it, the passages in other languages are compared as words only; LibreOffice's
  .docx and pandoc's .odt carry them and are compared.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bookbuilder.importers import import_file
from manuscripts import differences, libreoffice, load, pandoc, sample_and_shared_essays

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("pandoc") is None or shutil.which("soffice") is None,
                                 reason="pandoc and LibreOffice make the manuscripts: ./dev installs them")]

ESSAYS = sample_and_shared_essays()
FORMATS = ("pandoc.docx", "pandoc.odt", "libreoffice.docx", "libreoffice.odt")
FROM_PANDOC_DOCX = ("pandoc.docx", "libreoffice.odt")  # with picture descriptions, without languages


def case_id(essay: Path) -> str:
    return f"{essay.parents[1].name}/{essay.stem}"


@pytest.fixture(scope="module")
def manuscripts(tmp_path_factory) -> dict[tuple[Path, str], Path]:
    out = tmp_path_factory.mktemp("manuscripts")
    made = {}
    for n, essay in enumerate(ESSAYS):
        name = f"{n:02d}-{essay.stem}"
        made[essay, "pandoc.docx"] = pandoc(essay, out / "docx" / f"{name}.docx", keep_figures="all")
        made[essay, "pandoc.odt"] = pandoc(essay, out / "odt" / f"{name}.odt", keep_figures="all",
                                           abstract="paragraph")
    odts = [made[e, "pandoc.odt"] for e in ESSAYS]
    for essay, docx in zip(ESSAYS, libreoffice(odts, out / "libreoffice")):
        made[essay, "libreoffice.docx"] = docx
    docxs = [made[e, "pandoc.docx"] for e in ESSAYS]
    for essay, odt in zip(ESSAYS, libreoffice(docxs, out / "libreoffice-odt", "odt")):
        made[essay, "libreoffice.odt"] = odt
    return made


def new_book(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "book.toml").write_text('title = "Manuscripts"\n\n[contents]\nessays = []\n', encoding="utf-8")
    return folder


@pytest.mark.parametrize("form", FORMATS)
@pytest.mark.parametrize("essay", ESSAYS, ids=case_id)
def test_manuscript_imports_as_its_essay(manuscripts, essay, form, tmp_path):
    result = import_file(manuscripts[essay, form], new_book(tmp_path / "book"))
    original = load(essay, essay.parents[1])
    imported = load(result.essay, result.essay.parents[1])
    alt_kept = form in FROM_PANDOC_DOCX
    assert differences(original, imported, alt_kept, langs_kept=form not in FROM_PANDOC_DOCX) == []
    expected = [f"figure {n} has no alt text: describe the image in the brackets"
                for n, f in enumerate(original.figures, 1) if not alt_kept]
    expected += [f"figure {n} has no credit: end its caption with / Image: who made it"
                 for n, f in enumerate(original.figures, 1) if not f.credit_html]
    assert sorted(result.draft.attention) == sorted(expected)
