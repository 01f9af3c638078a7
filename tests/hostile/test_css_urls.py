"""Stylesheets are checked with a CSS tokenizer: escaped, commented and image-set() addresses are all caught (item 8)."""
from __future__ import annotations

import pytest

from conftest import run_cli


@pytest.mark.parametrize("css", [
    'p { background: url("ht\\74 p://evil.example/x.png") }',
    '@import/**/"http://evil.example/a.css";',
    '@import url(https://evil.example/a.css);',
    'p { background-image: image-set("https://evil.example/x.png" 1x) }',
    '@font-face { font-family: X; src: url(//evil.example/f.woff) }',
    'p { background: url( HTTPS://evil.example/x.png ) }',
    '@media print { p { background: url("\\68ttp://evil.example") } }',
])
def test_every_way_of_writing_a_remote_address_is_found(css):
    from bookbuilder.cssurls import remote_urls

    assert [url for _, url in remote_urls(css)] != []


@pytest.mark.parametrize("css", [
    'p { background: url(data:image/png;base64,AAAA) }',
    'p { background: url("../images/paper.jpg") }',
    '@import "90-more.css";',
    'p::before { content: "http://not-fetched.example" }',
])
def test_local_and_data_addresses_and_plain_strings_are_not(css):
    from bookbuilder.cssurls import remote_urls

    assert remote_urls(css) == []


@pytest.mark.slow
def test_an_escaped_remote_url_in_a_book_stylesheet_is_a_source_error_with_its_line(book_copy, tmp_path):
    css = book_copy / "styles" / "print" / "90-book.css"
    css.parent.mkdir(parents=True, exist_ok=True)
    css.write_text('p { color: black }\n\np { background: url("ht\\74 p://evil.example/x.png") }\n')
    done = run_cli("build", str(book_copy), "--out", str(tmp_path / "out"), "--edition", "epub")
    assert done.returncode == 2, done.stderr
    assert "90-book.css:3" in done.stderr and "http://evil.example/x.png" in done.stderr
