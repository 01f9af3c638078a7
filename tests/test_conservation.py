"""Issue 12: nothing in a source vanishes. The build compares each essay's words with its pages
of the print PDF and its EPUB document, and fails (exit 1) naming the essay and the lost words.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_cli
from bookbuilder.build import build
from bookbuilder.checks.conservation import Words, first_loss, source_words

ESSAY = """---
title: "Keeping Every Word"
author: "A. Writer"
standfirst: "What the standfirst says."
---

The first paragraph opens the essay and calls a note.[^1]

The second paragraph says something about marmalade and quinces that must not vanish.

The third paragraph closes the essay.

[^1]: The note talks of persimmons.

    A second paragraph of the note names the medlar.
"""

SHARED_BOOKS = Path("/work/shared/books")


def small_book(root: Path, styles: dict[str, str] | None = None) -> Path:
    (root / "essays").mkdir(parents=True)
    (root / "book.toml").write_text('title = "Words"\ndate = 2026-11-01\n[contents]\nessays = ["essays/one.md"]\n')
    (root / "essays" / "one.md").write_text(ESSAY)
    for relative, text in (styles or {}).items():
        (root / "styles" / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / "styles" / relative).write_text(text)
    return root


def lost(source: str, output: str) -> str | None:
    """The lost passage as the check quotes it, or None."""
    words = Words.of(source)
    loss = first_loss(words, Words.of(output).mended(set(words.words)))
    return words.passage(*loss) if loss else None


# --- what the comparison forgives: the PDF's ways of writing the same words ------------------

def test_typography_and_pdf_text_extraction_are_not_losses():
    source = ("\u201cIt\u2019s a well-known fact,\u201d she said -- affirmatively -- that the office\u00ad worker "
              "was fine and final; its Introduction was long.")
    output = ("\u201cIt\u2019s a well-\nknown fact,\u201d she said \u2014 af\u2010\nfirmatively \u2014 that the "
              "oﬃce worker was ﬁne and ﬁnal; its I NTRODUCTION was long. 12")
    assert lost(source, output) is None


def test_a_word_hyphenated_across_a_page_turn_is_one_word():
    source = "a trifling drawback from the benefit of the doubt"
    output = "a trifling draw\u2010\n\n\f38\n\nOf the Liberty of Thought\n\nback from the benefit of the doubt"
    assert lost(source, output) is None


def test_a_word_hyphenated_at_the_foot_above_a_note_or_in_a_table_cell_is_one_word():
    source = "a nurse named Priya who was, at twenty-three, already talking\u2029Karl Marx, Capital"
    output = ("a nurse named Priya who was, at twenty-\n\n1. Karl Marx, Capital\n\f12\n\nReading Capital\n\n"
              "three, already talking")
    assert lost(source, output) is None
    source = "Shift\u2029Workers\u2029Cards by week\u2029Early\u2029forty"
    output = "Shift    Work-      Cards by week\n           ers\nEarly     forty"
    assert lost(source, output) is None


def test_a_note_set_at_the_foot_of_another_page_is_not_lost():
    source = "Body one calls a note. Body two goes on.\u2029The note text is here."
    output = "Body one calls a note.1\n\n1. The note text is here.\n\f2\nBody two goes on."
    assert lost(source, output) is None
    # with a real loss besides, the loss is what is quoted, not the note that moved
    source = source.replace("goes on.", "goes on. Body three is lost here.")
    assert lost(source, output) == "…a note. Body two goes on. \u201cBody three is lost here\u201d"


def test_a_missing_passage_is_quoted_with_words_before_it():
    source = "One two three four five six seven.\u2029The lost sentence about quinces.\u2029Eight nine."
    assert lost(source, "One two three four five six seven. Eight nine.") == \
        "…two three four five six seven. \u201cThe lost sentence about quinces\u201d"


def test_one_lost_word_is_found():
    assert lost("the cat sat on the mat", "the cat on the mat") is not None


def test_the_source_words_are_read_from_the_file_front_matter_and_notes_included():
    words = source_words(ESSAY).words
    for word in ("keeping", "writer", "standfirst", "quinces", "persimmons", "medlar"):
        assert word in words
    assert "title" not in words and "author" not in words  # the keys are not text


# --- the build fails on a real loss -----------------------------------------------------------

@pytest.mark.slow
def test_a_stylesheet_hiding_a_paragraph_in_print_fails_the_build(tmp_path):
    book = small_book(tmp_path / "book", {"print/90-book.css": ".essay-body p:nth-child(2) { display: none; }"})
    result = run_cli("build", str(book), "--out", str(tmp_path / "out"), "--jobs", "1", "--edition", "print")
    assert result.returncode == 1, result.stderr
    assert "essays/one.md" in result.stderr
    assert "The second paragraph" in result.stderr and "says something about marmalade" in result.stderr
    assert "print:" in result.stderr and "Traceback" not in result.stderr
    assert not list((tmp_path / "out").glob("*.pdf"))  # nothing written


@pytest.mark.slow
def test_a_note_template_that_keeps_only_the_first_paragraph_fails_the_build(tmp_path):
    override = '<span class="footnote" id="{{ note.id }}">{{ note.html.split("</p>")[0]|footnote_spans|safe }}</span>'
    book = small_book(tmp_path / "book", {"templates/print/note.html": override})
    result = run_cli("build", str(book), "--out", str(tmp_path / "out"), "--jobs", "1", "--edition", "print")
    assert result.returncode == 1, result.stderr
    assert "essays/one.md" in result.stderr and "second paragraph of the note names" in result.stderr


@pytest.mark.slow
def test_an_epub_template_that_drops_the_notes_fails_the_build(tmp_path):
    book = small_book(tmp_path / "book", {"templates/epub/notes.html": ""})
    result = run_cli("build", str(book), "--out", str(tmp_path / "out"), "--jobs", "1", "--edition", "epub")
    assert result.returncode == 1, result.stderr
    assert "epub: essays/one.md" in result.stderr and "persimmons" in result.stderr


@pytest.mark.slow
def test_the_small_book_passes_in_every_edition(tmp_path):
    result = build(small_book(tmp_path / "book"), tmp_path / "out", jobs=1)
    assert not result.failed, [str(f) for f in result.findings]


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED_BOOKS / "on-liberty").is_dir(), reason="the shared real books are not on this machine")
def test_on_liberty_keeps_every_word(tmp_path):
    """A real book: 14 notes, one of several paragraphs, long ones, passages in five languages."""
    import shutil

    book = tmp_path / "on-liberty"
    shutil.copytree(SHARED_BOOKS / "on-liberty", book)
    result = build(book, tmp_path / "out", ["print", "epub"])
    words_lost = [str(f) for f in result.findings if "words of the source" in f.message]
    assert not words_lost
    assert not result.failed, [str(f) for f in result.findings]


def test_text_in_scripts_without_spaces_may_break_anywhere():
    assert lost("人民的力量是无穷的", "人民的力\n量是无穷的") is None
    assert lost("人民的力量是无穷的", "人民的力是无穷的") is not None


def test_source_words_are_the_same_when_two_checks_read_at_once():
    """The print and EPUB checks run in two threads; one shared Markdown converter mixed one's stashed
    smart quotes into the other's text ("wzxhzdk"), a false loss that failed the build at random."""
    from concurrent.futures import ThreadPoolExecutor

    from bookbuilder.sources.markdown import to_html

    texts = [f'Essay {n}: he said "missed." and *she* said "no"\u2014twice, it\'s {n} o\'clock.\n\n' * 40
             for n in range(40)]
    expected = [to_html(t) for t in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        for _ in range(3):
            assert list(pool.map(to_html, texts)) == expected
