"""Attribute lists cannot smuggle event handlers or other attributes past the allow-list (issue 17, item 9)."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("text, attribute", [
    ("A paragraph.\n{ onclick=alert(1) }", "onclick"),
    ("A paragraph.\n{: onmouseover=steal }", "onmouseover"),
    ("*word*{ onfocus=x tabindex=1 }", "onfocus"),
    ("A paragraph.\n{: formaction=x }", "formaction"),
])
def test_attribute_lists_are_sanitised_like_raw_html(text, attribute):
    from bookbuilder.sources.markdown import to_html_checked

    html, removed = to_html_checked(text)
    assert attribute not in html
    assert any(attribute in str(r) for r in removed)


@pytest.mark.slow
def test_a_handler_in_an_attribute_list_is_a_source_error_with_its_line(book_copy, tmp_path):
    from conftest import run_cli

    essay = book_copy / "essays" / "card-by-card.md"
    lines = essay.read_text().splitlines()
    lines.append("")
    lines.append("Click here.")
    lines.append("{ onclick=alert(1) }")
    essay.write_text("\n".join(lines) + "\n")
    done = run_cli("build", str(book_copy), "--out", str(tmp_path / "out"), "--edition", "epub")
    assert done.returncode == 2, done.stderr
    assert f"card-by-card.md:{len(lines)}" in done.stderr and "onclick" in done.stderr
