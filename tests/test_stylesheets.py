"""Linked stylesheets parsed once per process and lent to every document: the same PDFs as parsing them afresh."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow  # lays out seven small documents with WeasyPrint

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<style>@page {{ size: 100mm 140mm; }}</style>
<link rel="stylesheet" href="{href}">
</head><body><h1>{title}</h1><p class="lead">{text}</p><p>{text}</p></body></html>"""

SHEET = """@page { margin: 12mm; @bottom-center { content: counter(page); } }
@page :first { margin-top: 30mm; }
h1 { font-size: 20pt; color: rgb(200, 20, 20); }
p { font-size: 11pt; line-height: 1.4; }
.lead { font-style: italic; }
"""


def test_lent_sheets_make_the_same_pdf_as_sheets_parsed_afresh(tmp_path, monkeypatch):
    import weasyprint.css as css

    from bookbuilder.engine import stylesheets

    (tmp_path / "house.css").write_text(SHEET, encoding="utf-8")
    own = getattr(css.find_stylesheets, "original", css.find_stylesheets)  # WeasyPrint's, even once installed
    afresh = [render_with(tmp_path, title, own) for title in ("One", "Two")]
    monkeypatch.setattr(stylesheets, "_parsed", {})
    lent = [render_with(tmp_path, title, stylesheets._find_stylesheets) for title in ("One", "Two")]
    assert len(stylesheets._parsed) == 1  # parsed once, lent to the second document
    assert lent == afresh
    assert lent[0] != lent[1]


def test_an_edited_sheet_is_parsed_again(tmp_path, monkeypatch):
    from bookbuilder.engine import stylesheets

    monkeypatch.setattr(stylesheets, "_parsed", {})
    (tmp_path / "house.css").write_text(SHEET, encoding="utf-8")
    before = render_with(tmp_path, "One", stylesheets._find_stylesheets)
    (tmp_path / "house.css").write_text(SHEET.replace("margin: 12mm", "margin: 30mm"), encoding="utf-8")
    after = render_with(tmp_path, "One", stylesheets._find_stylesheets)
    assert len(stylesheets._parsed) == 2
    assert before != after


def test_a_sheet_that_declares_fonts_is_not_lent(tmp_path, monkeypatch):
    from bookbuilder.engine import stylesheets

    monkeypatch.setattr(stylesheets, "_parsed", {})
    (tmp_path / "house.css").write_text(SHEET + '@font-face { font-family: "X"; src: local("DejaVu Sans"); }\n',
                                        encoding="utf-8")
    render_with(tmp_path, "One", stylesheets._find_stylesheets)
    assert list(stylesheets._parsed.values()) == [None]


def render_with(tmp_path, title: str, find_stylesheets) -> bytes:
    import weasyprint.css as css
    from weasyprint import HTML

    original = css.find_stylesheets
    css.find_stylesheets = find_stylesheets
    try:
        html = PAGE.format(href=(tmp_path / "house.css").as_uri(), title=title, text="A sentence of the essay. " * 200)
        return HTML(string=html, base_url=tmp_path.as_uri() + "/").write_pdf()
    finally:
        css.find_stylesheets = original
