"""An essay opens with its first words in small capitals, and only there: not on every page its first paragraph reaches."""
from __future__ import annotations

from conftest import run_cli


def test_the_opening_words_stop_at_five_or_at_the_first_clause():
    from bookbuilder.sources.structure import parse_fragment, serialise
    from bookbuilder.transforms.typography import mark_opening_words

    def marked(html: str) -> str:
        body = parse_fragment(html)
        mark_opening_words(body)
        return serialise(body)

    assert marked("<p>The subject of this Essay is not</p>") == \
        '<p><span class="opening-words">The subject of this Essay</span> is not</p>'
    assert marked("<p>The time, it is to be hoped</p>") == \
        '<p><span class="opening-words">The time,</span> it is to be hoped</p>'
    assert marked('<p class="x">Five words, <em>then</em> more</p>') == \
        '<p class="x"><span class="opening-words">Five words,</span> <em>then</em> more</p>'
    assert marked("<p>Marx &amp; Engels wrote it</p>") == \
        '<p><span class="opening-words">Marx &amp; Engels wrote it</span></p>'  # "&" ends no clause
    assert marked("<h2>I</h2><p>Text</p>") == "<h2>I</h2><p>Text</p>"  # opens with a heading: none
    assert marked("<p><em>Text</em> here</p>") == "<p><em>Text</em> here</p>"  # opens with no text of its own: none


def test_the_print_edition_marks_the_opening_words_and_uses_no_first_line_rule(tmp_path):
    """WeasyPrint 70 sets ::first-line on the first line of every page a paragraph reaches (seen in On Liberty, where a
    two-page opening paragraph began page 14 in small capitals too); pdftotext cannot tell small capitals from lower
    case, so the test reads the print HTML and the house stylesheets instead."""
    from bookbuilder.theme import house_dir

    book = tmp_path / "book"
    assert run_cli("new", str(book)).returncode == 0
    out = tmp_path / "out"
    done = run_cli("build", str(book), "--out", str(out), "--edition", "print", "--html")
    assert done.returncode == 0, done.stderr[-2000:]
    html = next(out.glob("*.html")).read_text(encoding="utf-8")
    assert html.count('<span class="opening-words">') == 1
    assert '<span class="opening-words">A block quotation at the</span>' in html
    assert not any("::first-line" in css.read_text() for css in (house_dir() / "print").glob("*.css"))
