"""Template overrides (docs/templates.md): one block replaced, and the ids the build reads kept or named."""
from __future__ import annotations

import pytest

from bookbuilder import transforms
from bookbuilder.editions.chunks import plan
from bookbuilder.editions.paged_document import document_of
from bookbuilder.sources import load_book
from conftest import SAMPLE, pdf_pages_text, run_cli

TITLE_BLOCK = """{% extends "house/print/book.html" %}
{% block title_page %}
<section class="title-page" id="title-page">
<h1 class="book-title">{{ book.title }}</h1>
<p class="colophon">Hand-set at the Quince Press</p>
</section>
{% endblock %}
"""


def override(book, template: str, text: str) -> None:
    path = book / "styles" / "templates" / template
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_every_piece_is_in_exactly_one_chunk_document_and_the_whole_book_holds_all():
    book = transforms.apply_all(load_book(SAMPLE))
    chunks = plan(book)
    documents = [document_of(book, c) for c in chunks]
    laid_out = [e.slug for d in documents for e in d.pieces]
    assert sorted(laid_out) == sorted(e.slug for e in book.essays + book.back)
    assert [d.front for d in documents].count(True) == 1 and documents[0].front
    assert [d.back_lists for d in documents].count(True) == (1 if chunks[-1].key == "back-lists" else 0)
    parts = [o.part.id for d in documents for o in d.main or [] if o.part]
    assert parts == [p.id for p in book.parts if p.title]
    whole = document_of(book)
    assert whole.front and whole.back_lists and [e.slug for e in whole.pieces] == sorted(
        laid_out, key=[e.slug for e in book.essays + book.back].index)
    openers = [o for o in whole.main if o.starts_mainmatter]
    assert len(openers) == 1 and openers[0] is whole.main[0]


@pytest.mark.slow
def test_a_book_overriding_one_block_gets_it_and_the_rest_of_the_house_template(book_copy, tmp_path):
    override(book_copy, "print/book.html", TITLE_BLOCK)
    out = tmp_path / "out"
    done = run_cli("build", str(book_copy), "--out", str(out), "--edition", "print")
    assert done.returncode == 0, done.stderr
    pages = pdf_pages_text(next(out.glob("*-print.pdf")))
    title = next(n for n, page in enumerate(pages) if "Hand-set at the Quince Press" in page)
    assert title < 4  # the title page, in the front matter
    text = "\n".join(pages)
    assert "ISBN" in text and "Contents" in text  # the copyright page and the contents are still the house's
    book = load_book(book_copy)
    assert all(essay.title in text for essay in book.essays if "<" not in essay.title_html)  # the essays are there


@pytest.mark.slow
@pytest.mark.parametrize("template, text, named", [
    ("print/title-page.html", '<section class="title-page"><h1>{{ book.title }}</h1></section>\n',
     "styles/templates/print/title-page.html"),
    ("print/book.html", TITLE_BLOCK.replace(' id="title-page"', ""), "styles/templates/print/book.html"),
])
def test_an_override_dropping_a_required_id_is_named_with_the_id(book_copy, tmp_path, template, text, named):
    override(book_copy, template, text)
    done = run_cli("build", str(book_copy), "--out", str(tmp_path / "out"), "--edition", "print")
    assert done.returncode == 2, done.stderr
    assert named in done.stderr and 'no element with id="title-page"' in done.stderr
    assert "the title_page block of print/book.html" in done.stderr
    assert "Traceback" not in done.stderr and not list((tmp_path / "out").glob("*.pdf"))


@pytest.mark.slow
def test_an_essay_override_moving_the_essay_out_of_the_main_matter_is_refused(book_copy, tmp_path):
    house = (SAMPLE.parent / "styles" / "templates" / "print" / "essay.html").read_text(encoding="utf-8")
    override(book_copy, "print/essay.html", "<div class=\"wrapper\">\n" + house + "</div>\n")
    done = run_cli("build", str(book_copy), "--out", str(tmp_path / "out"), "--edition", "print")
    assert done.returncode == 2, done.stderr
    assert "styles/templates/print/essay.html" in done.stderr
    assert 'elsewhere than directly in <div class="mainmatter">' in done.stderr and "Traceback" not in done.stderr
