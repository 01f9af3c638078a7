"""The book is laid out in chunks; what names other chunks' pages (contents, credits) gets them right."""
from __future__ import annotations

import re

import pytest

from conftest import pdf_pages_text

pytestmark = pytest.mark.slow  # builds books: `./dev test --fast` leaves these out


def test_a_preface_figure_is_credited_with_its_roman_page(book_copy, tmp_path):
    """The credits (back matter) name a page of the front matter, whose contents name the credits' page."""
    from bookbuilder.build import build

    preface = book_copy / "front" / "preface.md"
    preface.write_text(preface.read_text().rstrip() + "\n\n![A reading group around a kitchen table]"
                       "(../images/reading-group.jpg)\nThe editors' reading group. / Image: Lantern Archive\n")
    result = build(book_copy, tmp_path / "out", ["print"])
    printed = result.outputs[0]
    figure = next(f for essay, f in result_figures(book_copy) if essay == "preface")
    page = printed.facts.anchors[figure]
    label = printed.facts.folios[page - 1]
    assert re.fullmatch(r"[ivx]+", label)
    pages = [re.sub(r"\s+", " ", p) for p in pdf_pages_text(printed.path)]
    credits = next(p for p in pages if "Credits" in p and "p. " in p and "Lantern Archive" in p)
    assert f"p. {label} Image: Lantern Archive" in credits, credits
    contents = next(p for p in pages if p.strip().startswith("Contents"))
    credits_page = printed.facts.anchors["image-credits"]
    assert f"Image Credits {printed.facts.folios[credits_page - 1]}" in contents


def result_figures(book_dir):
    from bookbuilder import transforms
    from bookbuilder.sources import load_book

    book = transforms.apply_all(load_book(book_dir))
    return [(essay.slug, f.id) for essay, f in book.figures]
