"""Issue 12: a note keeps every block Markdown allows in it, in print, on screen and in the EPUB.

A note with a block quotation used to print as an empty "1.", verse lost its lines, a list
vanished, and two paragraphs ran into one; a link in a note carried the rest of the note into
the running text of the PDFs.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import pdf_pages_text
from bookbuilder.build import build
from bookbuilder.sources.markdown import to_html

ESSAY = """---
title: "Notes Full of Things"
author: "A. Writer"
---

The essay calls a note here.[^long] The running text goes on after the call for a line or two, so that
the note has a page to sit on and the call a line to sit in.

[^long]: Opening paragraph of the note, with *emphasis* and a [link to elsewhere](https://example.org/).

    > Quoted prose inside the note, set off as a block quotation.

    Tyger Tyger, burning bright,  
    In the forests of the night;\\
    What immortal hand or eye

    - first listed thing
    - second listed thing

    Closing paragraph of the note.
"""

XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, object]:
    root = tmp_path_factory.mktemp("notes-book")
    (root / "essays").mkdir()
    (root / "book.toml").write_text('title = "Notes"\ndate = 2026-11-01\n[contents]\nessays = ["essays/one.md"]\n')
    (root / "essays" / "one.md").write_text(ESSAY)
    result = build(root, root / "out", ["print", "screen", "epub"], jobs=1)
    assert not result.failed, [str(f) for f in result.findings]
    return root / "out", result


def essay_page(pdf: Path) -> str:
    return next(p for p in pdf_pages_text(pdf) if "The essay calls a note here" in p)


@pytest.mark.parametrize("edition", ["print", "screen"])
def test_every_block_of_the_note_is_on_its_calls_page(built, edition):
    out, result = built
    rendered = next(r for r in result.outputs if r.edition == edition)
    page = essay_page(rendered.path)
    lines = [line.strip() for line in page.splitlines()]
    for words in ("Opening paragraph of the note", "Quoted prose inside the note", "Closing paragraph of the note",
                  "first listed thing", "second listed thing", "link to elsewhere"):
        assert words in page, (words, page)
    # verse keeps its lines: each line of the poem begins a line of the page
    assert "Tyger Tyger, burning bright," in lines
    assert "In the forests of the night;" in lines and "What immortal hand or eye" in lines
    # the quotation and the closing paragraph are blocks of their own, not run into the opening
    assert any(line.startswith("Quoted prose") for line in lines)
    assert any(line.startswith("Closing paragraph") for line in lines)
    # the link did not carry the note into the running text: its words sit below the call's paragraph
    assert page.index("link to elsewhere") > page.index("has a page to sit on")
    assert "\\" not in page
    notes = rendered.facts.footnotes
    assert notes and all(call == body for _note, call, body in notes)


def test_the_epub_note_keeps_its_elements(built):
    out, result = built
    epub = next(r for r in result.outputs if r.edition == "epub").path
    with zipfile.ZipFile(epub) as z:
        name = next(n for n in z.namelist() if n.endswith("/one.xhtml"))
        root = etree.fromstring(z.read(name))
    aside = root.find(f".//{XHTML}aside[@id='one-note-1']")
    assert aside is not None
    paragraphs = aside.findall(f"{XHTML}p")
    assert len(paragraphs) >= 3  # opening, verse, closing
    first = paragraphs[0]
    assert first.find(f"{XHTML}a").get("class") == "note-number"  # the number opens the first paragraph
    assert "Opening paragraph" in "".join(first.itertext())
    assert aside.find(f"{XHTML}blockquote/{XHTML}p") is not None
    verse = next(p for p in paragraphs if "Tyger" in "".join(p.itertext()))
    assert len(verse.findall(f"{XHTML}br")) == 2
    assert [li.text for li in aside.findall(f"{XHTML}ul/{XHTML}li")] == ["first listed thing", "second listed thing"]
    assert aside.find(f".//{XHTML}a[@href='https://example.org/']") is not None
    assert "Closing paragraph of the note." in "".join(paragraphs[-1].itertext())
    assert "footnote-backref" not in z_text(epub)


def z_text(epub: Path) -> str:
    with zipfile.ZipFile(epub) as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xhtml"))


def test_a_backslash_at_a_lines_end_breaks_the_line():
    html = to_html("one line\\\nthe next\n\nkept \\\\\nas is")
    assert re.search(r"one line<br ?/>\s*the next", html)
    assert "as is" in html and "kept \\" in html and html.count("<br") == 1
