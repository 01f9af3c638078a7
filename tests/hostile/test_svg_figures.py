"""Hostile SVG figures are refused with their essay and line, and the EPUB check opens every SVG (issue 17, item 7)."""
from __future__ import annotations

import zipfile

import pytest

from conftest import run_cli

HEAD = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">'
HOSTILE = {
    "namespaced script": '<svg:svg xmlns:svg="http://www.w3.org/2000/svg"><svg:script>alert(1)</svg:script></svg:svg>',
    "set to javascript": HEAD + '<a><set attributeName="href" to="javascript:alert(1)"/></a></svg>',
    "animate": HEAD + '<rect width="5" height="5"><animate attributeName="x" to="9"/></rect></svg>',
    "network path": HEAD + '<image href="//evil.example/x.png" width="5" height="5"/></svg>',
    "entity-encoded url": HEAD + '<image xlink:href="&#x68;ttp://evil.example/x.png"/></svg>',
    "style import": HEAD + '<style>@import "http://evil.example/a.css";</style></svg>',
    "svg data url": HEAD + '<image href="data:image/svg+xml;base64,PHN2Zz48c2NyaXB0Lz48L3N2Zz4="/></svg>',
    "external entity": '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                       + HEAD + '<text>&x;</text></svg>',
    "billion laughs": '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                      + HEAD + '<text>&b;</text></svg>',
    "event handler": HEAD + '<rect width="5" height="5" onclick="alert(1)"/></svg>',
    "foreignObject": HEAD + '<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject></svg>',
    "fill url": HEAD + '<rect width="5" height="5" fill="url(http://evil.example/p.svg#g)"/></svg>',
    "xhtml script": HEAD + '<script xmlns="http://www.w3.org/1999/xhtml">alert(1)</script></svg>',
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_svg_is_named(name):
    from bookbuilder.sources.svg import svg_problems

    assert svg_problems(HOSTILE[name].encode()) != []


def test_a_plain_drawing_with_local_references_passes():
    from bookbuilder.sources.svg import svg_problems

    drawing = HEAD + ('<defs><linearGradient id="g"><stop offset="0"/></linearGradient></defs>'
                      '<rect width="5" height="5" fill="url(#g)" style="stroke: black"/><use href="#g"/>'
                      '<title>A bar of music</title></svg>')
    assert svg_problems(drawing.encode()) == []


@pytest.mark.slow
def test_a_hostile_svg_figure_is_a_source_error_with_essay_and_line(book_copy, tmp_path):
    (book_copy / "images" / "tune.svg").write_text(HOSTILE["set to javascript"])
    essay = book_copy / "essays" / "card-by-card.md"
    text = essay.read_text().rstrip("\n") + "\n\n![A bar of music](../images/tune.svg)\nThe tune. / Image: Anon\n"
    essay.write_text(text)
    line = len(text.splitlines()) - 1
    done = run_cli("build", str(book_copy), "--out", str(tmp_path / "out"), "--edition", "epub")
    assert done.returncode == 2, done.stderr
    assert f"card-by-card.md:{line}" in done.stderr and "<set>" in done.stderr


@pytest.mark.slow
def test_the_epub_check_opens_every_svg(sample, tmp_path):
    from bookbuilder.checks.epub_content import check_epub_content
    from bookbuilder.editions import Rendered

    hostile = tmp_path / "hostile.epub"
    with zipfile.ZipFile(sample.epub) as src, zipfile.ZipFile(hostile, "w") as out:
        for info in src.infolist():
            out.writestr(info, src.read(info))
        out.writestr("EPUB/images/extra.svg", HOSTILE["namespaced script"])
    findings = check_epub_content(Rendered("epub", hostile))
    assert any("extra.svg" in f.message and "<script>" in f.message for f in findings)
