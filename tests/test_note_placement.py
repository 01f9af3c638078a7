"""Notes stay on their call's page even where WeasyPrint would push them on to keep widows and orphans.

At A5 the sample book has pages where WeasyPrint defers a note to fit one more line of the
page's last paragraph; the print edition lays such pages out again with that paragraph
allowed a one-line orphan or widow, and the screen edition follows the same pages.
"""
from __future__ import annotations

from bookbuilder.build import build


def test_notes_are_brought_back_to_their_call_page_at_a5(book_copy, tmp_path):
    toml = book_copy / "book.toml"
    toml.write_text(toml.read_text().replace('trim = "6x9in"', 'trim = "A5"'))
    result = build(book_copy, tmp_path / "out", ["print", "screen"])
    printed = next(r for r in result.outputs if r.edition == "print")
    screen = next(r for r in result.outputs if r.edition == "screen")
    assert printed.facts["relaxed_blocks"], "A5 no longer needs a repair: pick a size that does"
    for facts in (printed.facts, screen.facts):
        late = [(note, call, body) for note, call, body in facts["footnotes"] if call != body]
        assert not late
    assert screen.facts["essay_pages"] == printed.facts["essay_pages"]
    assert screen.facts["relaxed_blocks"] == printed.facts["relaxed_blocks"]
