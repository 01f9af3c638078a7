"""Credit labels: one definition that the importers, the loader's split, the credits list and the lint all share.

And the lint of a figure's image line: no caption is fine, a size class it does not know is named.
"""
from __future__ import annotations

import pytest
from PIL import Image

from bookbuilder.checks.source import lint_sources
from bookbuilder.importers import CREDIT
from bookbuilder.importers.markup import split_credit
from bookbuilder.sources.conventions import CREDIT_LABELS, UNPRINTED_LABEL, printed_credit
from bookbuilder.transforms.credits import split_caption


@pytest.mark.parametrize("label", CREDIT_LABELS)
def test_every_label_is_a_credit_everywhere(label, tmp_path):
    caption = f"Workers at the gate. / {label}: Ana Ruiz"
    assert split_caption(caption) == ("Workers at the gate.", f"{label}: Ana Ruiz")  # the build
    assert CREDIT.search(" " + caption).group(1) == f"{label}: Ana Ruiz"  # plain-text import
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
