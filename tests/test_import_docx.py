"""Word manuscripts made by a real producer (pandoc's .docx, with Word's and pandoc's standard styles: Title,
Subtitle, Author, Date, Abstract, First Paragraph, Body Text, Block Text, Captioned Figure, Image Caption,
Footnote Text) import as the essay they were made from: the house essay → a contributor's .docx → import →
the same title, byline, epigraphs, figures, notes and words."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import run_cli
from manuscripts import SHARED_BOOKS, load, pandoc, words

pytestmark = pytest.mark.skipif(shutil.which("pandoc") is None,
                                reason="pandoc makes the test manuscripts: ./dev installs it (apt package pandoc)")

SAMPLE_ESSAY = Path(__file__).parents[1] / "book" / "essays" / "from-chomsky-to-marx.md"
ON_LIBERTY = SHARED_BOOKS / "on-liberty" / "essays" / "04-of-the-liberty-of-thought-and-discussion.md"


def make_manuscript(essay: Path, out: Path, keep_first_figure: bool = False, abstract: bool = True) -> Path:
    """pandoc's manuscript of the essay (manuscripts.contributor_markdown says what a contributor writes)."""
    return pandoc(essay, out, keep_figures="first" if keep_first_figure else "none",
                  abstract="metadata" if abstract else "none")


def import_manuscript(docx: Path, tmp_path: Path) -> tuple[Path, str]:
    book = tmp_path / "book"
    assert run_cli("new", str(book)).returncode == 0
    result = run_cli("import", str(docx), "--book", str(book))
    assert result.returncode == 0, result.stderr
    essay = Path(re.search(r" as (\S+\.md), listed", result.stdout).group(1))
    return essay, result.stdout


def editor_lines(report: str) -> list[str]:
    """The lines under "Needs the editor's eye"."""
    _, _, tail = report.partition("Needs the editor's eye:\n")
    return [line[4:].strip() for line in tail.splitlines() if line.startswith("  - ")]


def assert_same_essay(original, imported) -> None:
    assert imported.title == original.title and imported.subtitle == original.subtitle
    assert [a.name for a in imported.authors] == [a.name for a in original.authors]
    assert words(imported.standfirst_html) == words(original.standfirst_html)
    assert imported.date == original.date
    assert [(words(e.text_html), words(e.attribution_html)) for e in imported.epigraphs] == \
        [(words(e.text_html), words(e.attribution_html)) for e in original.epigraphs]
    assert [words(n.html) for n in imported.notes] == [words(n.html) for n in original.notes]
    assert [(words(f.caption_html), f.credit_html) for f in imported.figures] == \
        [(words(f.caption_html), f.credit_html) for f in original.figures]
    assert words(imported.body_html) == words(original.body_html)


def test_sample_essay_from_word(tmp_path):
    """The issue's case: two epigraphs in Block Text, an Author paragraph, captioned figures with credits."""
    docx = make_manuscript(SAMPLE_ESSAY, tmp_path / "from-chomsky-to-marx.docx", keep_first_figure=True)
    essay, report = import_manuscript(docx, tmp_path)
    original = load(SAMPLE_ESSAY, SAMPLE_ESSAY.parents[1])
    original.body_html = re.sub(r"<aside.*?</aside>", "", original.body_html, flags=re.S)  # a house block
    imported = load(essay, essay.parents[1])

    assert "epigraphs: 2" in report and "figures: 3" in report and "notes: 1" in report
    assert len(imported.epigraphs) == 2
    assert imported.epigraphs[1].attribution_html == original.epigraphs[1].attribution_html == \
        "Alan Woods, <cite>Marx versus Bakunin</cite>"
    assert [a.name for a in imported.authors] == ["Daniel Reyes-Whitfield"]
    assert "Reyes-Whitfield" not in essay.read_text(encoding="utf-8").split("---\n", 2)[2]  # the byline left the body
    assert imported.standfirst_html.startswith("An ongoing series on membership in the IMT")
    credits = [f.credit_html for f in imported.figures]
    assert credits == ["Image: Socialist Revolution", "Image: Σ, Wikimedia Commons", "Image: Socialist Revolution"]
    assert not any("/ Image" in f.caption_html for f in imported.figures)  # the credit left the caption
    # the first image kept its own description; the others' descriptions were their captions: the report asks
    assert imported.figures[0].alt == original.figures[0].alt
    assert [f.alt for f in imported.figures[1:]] == ["TODO: describe the image"] * 2
    assert editor_lines(report) == [f"figure {n} has no alt text (its description in the file only repeats its "
                                    "caption or file name): describe the image in the brackets" for n in (2, 3)]
    assert "Unrecognised" not in report
    assert_same_essay(original, imported)


def test_sample_essay_from_opendocument(tmp_path):
    """The same essay as LibreOffice's format (.odt: Quotations, Text body, Figure with Caption, Footnote styles,
    automatic styles over them). pandoc's .odt has no abstract style and no picture descriptions."""
    docx = make_manuscript(SAMPLE_ESSAY, tmp_path / "from-chomsky-to-marx.odt", abstract=False)
    essay, report = import_manuscript(docx, tmp_path)
    original = load(SAMPLE_ESSAY, SAMPLE_ESSAY.parents[1])
    original.body_html = re.sub(r"<aside.*?</aside>", "", original.body_html, flags=re.S)
    original.standfirst_html = ""
    imported = load(essay, essay.parents[1])

    assert "epigraphs: 2" in report and "figures: 3" in report and "notes: 1" in report
    assert editor_lines(report) == [f"figure {n} has no alt text: describe the image in the brackets"
                                    for n in (1, 2, 3)]
    assert [f.credit_html for f in imported.figures] == [f.credit_html for f in original.figures]
    assert all(f.src.is_file() for f in imported.figures)
    assert_same_essay(original, imported)


@pytest.mark.skipif(not ON_LIBERTY.is_file(), reason="the real books are not on this machine")
@pytest.mark.parametrize("suffix", [".docx", ".odt"])
def test_chapter_with_long_notes_from_word(tmp_path, suffix):
    """A chapter of On Liberty: 16,000 words, and a note of two paragraphs."""
    docx = make_manuscript(ON_LIBERTY, tmp_path / f"liberty-of-thought{suffix}")
    essay, report = import_manuscript(docx, tmp_path)
    original = load(ON_LIBERTY, ON_LIBERTY.parents[1])
    imported = load(essay, essay.parents[1])

    assert editor_lines(report) == [] and "Unrecognised" not in report
    assert len(imported.notes) == len(original.notes) == 5
    long_note = next(n for n in imported.notes if "Government Press Prosecutions" in n.html)
    assert long_note.html.count("<p>") == 2 and "If the arguments of the present chapter" in long_note.html
    assert_same_essay(original, imported)


def test_note_with_a_quotation_and_a_trailing_attribution(tmp_path):
    """A note's quotation stays a quotation in the note; two epigraphs in one Block Text paragraph, each
    attribution after a line break, are two epigraphs."""
    source = tmp_path / "notes.md"
    source.write_text("---\ntitle: Notes\nauthor: Ana Ruiz\ndate: 2 May 2024\n---\n\n"
                      "> Power concedes nothing without a demand.\\\n"
                      "> — Frederick Douglass, West India Emancipation\\\n"
                      "> Bread and roses.\\\n> — James Oppenheim\n\n"
                      "The text.[^1] A dash — inside a sentence. — stays.\n\n> We stayed. — and we won.\n\n"
                      "[^1]: First paragraph.\n\n    > A quotation in the note.\n\n    Last paragraph.\n",
                      encoding="utf-8")
    docx = tmp_path / "notes.docx"
    subprocess.run(["pandoc", str(source), "-o", str(docx)], check=True)
    essay, report = import_manuscript(docx, tmp_path)
    text = essay.read_text(encoding="utf-8")
    assert ("> Power concedes nothing without a demand.\n> — Frederick Douglass, West India Emancipation\n\n"
            "> Bread and roses.\n> — James Oppenheim\n\n") in text and "epigraphs: 2" in report
    assert "\n> We stayed. — and we won.\n" in text  # a dash before lower case: no attribution
    assert "The text.[^1] A dash — inside a sentence. — stays." in text and "\ndate: 2024-05-02\n" in text
    assert ("[^1]: First paragraph.\n\n    > A quotation in the note.\n\n    Last paragraph." in text)
    note = load(essay, essay.parents[1]).notes[0]
    assert "<blockquote>" in note.html and note.html.count("<p>") == 3
    assert editor_lines(report) == []


def test_an_odt_that_is_not_one_exits_2(tmp_path):
    book = tmp_path / "book"
    assert run_cli("new", str(book)).returncode == 0
    (tmp_path / "draft.odt").write_text("not a zip")
    result = run_cli("import", str(tmp_path / "draft.odt"), "--book", str(book))
    assert result.returncode == 2 and "is not an OpenDocument .odt file" in result.stderr
    assert "Traceback" not in result.stderr and not list((book / "essays").glob("draft*"))


def test_a_picture_inside_a_sentence_is_reported_not_dropped(tmp_path):
    source = tmp_path / "icon.md"
    source.write_text(f"---\ntitle: Icon\nauthor: Ana Ruiz\n---\n\nSome text ![an icon]({SAMPLE_ESSAY.parents[1]}"
                      "/images/cover.jpg) in the middle.\n", encoding="utf-8")
    subprocess.run(["pandoc", str(source), "-o", str(tmp_path / "icon.docx")], check=True)
    essay, report = import_manuscript(tmp_path / "icon.docx", tmp_path)
    assert editor_lines(report) == ["a picture inside the paragraph beginning 'Some text in the middle.' was saved "
                                    "as images/icon-1.jpg but left out of the text: place it as a figure of its own"]
    assert (essay.parents[1] / "images" / "icon-1.jpg").is_file()
