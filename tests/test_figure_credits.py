"""Credit labels: one definition that the importers, the loader's split, the credits list and the lint all share.

The rule lives in sources/conventions.py (CREDIT_LABELS, split_caption, printed_credit); the last test follows
every label from an imported file through `check`'s lint to the Image Credits page of a built book.

And the lint of a figure's image line: no caption is fine, a size class it does not know is named.
"""
from __future__ import annotations

import pytest
from PIL import Image

from bookbuilder.checks.source import lint_sources
from bookbuilder.build import build
from bookbuilder.importers import import_file
from bookbuilder.importers.markup import split_credit
from bookbuilder.sources.conventions import CREDIT_LABELS, UNPRINTED_LABEL, is_credit, printed_credit, split_caption
from conftest import BuiltBook


@pytest.mark.parametrize("label", CREDIT_LABELS)
def test_every_label_is_a_credit_everywhere(label, tmp_path):
    caption = f"Workers at the gate. / {label}: Ana Ruiz"
    assert split_caption(caption) == ("Workers at the gate.", f"{label}: Ana Ruiz")  # the build
    assert split_caption(caption, after_sentence=False)[1] == f"{label}: Ana Ruiz"  # plain-text import
    assert is_credit(f"{label.lower()}: Ana Ruiz") and not is_credit(f"Sculpture: Ana Ruiz")  # a credit element
    assert split_credit(caption)[1].endswith(": Ana Ruiz")  # HTML and .docx import
    assert not lint(tmp_path, f"![Workers](../images/a.jpg)\n{caption}\n")  # `check`
    assert printed_credit(f"{label}: Ana Ruiz") == ("Ana Ruiz" if label == UNPRINTED_LABEL else f"{label}: Ana Ruiz")


def lint(tmp_path, body: str) -> list[str]:
    (tmp_path / "essays").mkdir(exist_ok=True)
    (tmp_path / "images").mkdir(exist_ok=True)
    Image.new("L", (8, 8)).save(tmp_path / "images" / "a.jpg")
    (tmp_path / "book.toml").write_text('title = "T"\n[contents]\nessays = ["essays/one.md"]\n')
    (tmp_path / "essays" / "one.md").write_text('---\ntitle: "One"\n---\n\nText.\n\n' + body)
    return [f"{'error' if f.fatal else 'warning'}: {f}" for f in lint_sources(tmp_path)]


def test_a_figure_without_caption_or_credit_is_fine(tmp_path):
    assert lint(tmp_path, "![A bar of music](../images/a.jpg)\n\nText after.\n") == []


def test_an_unknown_label_is_named_and_a_missing_credit_is_worth_a_look(tmp_path):
    found = lint(tmp_path, "![A](../images/a.jpg)\nA caption. / Sculpture: Ana Ruiz\n")
    assert len(found) == 1 and found[0].startswith("warning: essays/one.md:8:") and "“Sculpture:”" in found[0]
    found = lint(tmp_path, "![A](../images/a.jpg)\nA caption without a credit.\n")
    assert len(found) == 1 and found[0].startswith("warning:") and "caption without a credit" in found[0]


def test_the_lint_names_a_size_it_does_not_know(tmp_path):
    assert lint(tmp_path, "![A](../images/a.jpg){: .half-width }\nA caption. / Photo: Ana Ruiz\n") == []
    found = lint(tmp_path, "![A](../images/a.jpg){: .fullwidth }\nA caption. / Photo: Ana Ruiz\n")
    assert len(found) == 1 and found[0].startswith("warning: essays/one.md:7:") and ".fullwidth" in found[0]
    assert ".full-width" in found[0]
    found = lint(tmp_path, "![A](../images/a.jpg){: .inline .full-page }\n")
    assert len(found) == 1 and "more than one size" in found[0]


def test_a_prose_paragraph_that_ends_in_a_source_is_no_figure_to_an_importer():
    assert split_caption("Wages rose by 3%. Source: ONS", after_sentence=False) == ("Wages rose by 3%. Source: ONS", "")
    assert split_caption("Wages rose by 3%. Source: ONS") == ("Wages rose by 3%.", "Source: ONS")  # a caption


@pytest.mark.slow
def test_every_label_goes_from_import_through_check_to_the_image_credits_page(tmp_path):
    book = tmp_path / "book"
    (book / "essays").mkdir(parents=True)
    (book / "book.toml").write_text('title = "Credits"\nauthors = ["Ed Itor"]\nlanguage = "en"\ndate = 2024\n'
                                    '[contents]\nessays = []\n', encoding="utf-8")
    source = tmp_path / "manuscript"
    source.mkdir()
    figures = []
    for n, label in enumerate(CREDIT_LABELS):
        Image.new("RGB", (300, 200), (n * 15, 90, 120)).save(source / f"f{n}.png", dpi=(300, 300))
        figures.append(f'<figure><img src="f{n}.png" alt="A gate, number {n}"/>'
                       f"<figcaption>Gate {n}. / {label}: Ana Ruiz {n}</figcaption></figure>")
    (source / "gates.html").write_text("<html><head><title>Gates</title></head><body><h1>Gates</h1>"
                                       "<p>By Ana Ruiz.</p><p>Text before the gates.</p>" + "".join(figures)
                                       + "</body></html>", encoding="utf-8")
    essay = import_file(source / "gates.html", book, author="Ana Ruiz").essay.read_text(encoding="utf-8")
    for n, label in enumerate(CREDIT_LABELS):
        assert f"Gate {n}. / {label}: Ana Ruiz {n}\n" in essay  # the import kept each credit as written
    assert lint_sources(book) == []  # `check` takes every label

    result = build(book, tmp_path / "out", editions=["epub"])
    assert not result.failed, [str(f) for f in result.findings]
    credits = BuiltBook(tmp_path / "out", result, None).epub_text("EPUB/text/image-credits.xhtml")
    for n, label in enumerate(CREDIT_LABELS):
        printed = f"Ana Ruiz {n}" if label == UNPRINTED_LABEL else f"{label}: Ana Ruiz {n}"
        assert printed in credits, (label, credits)
    assert "Credit:" not in credits
