"""Issue 16: an essay's body is parsed once, from the Markdown's HTML, and stays one tree through the
transforms to the editions (each works on a copy); the HTML it writes is what the string-passing code wrote."""
from __future__ import annotations

from pathlib import Path

from lxml import html as lxml_html

from conftest import linked_book

from bookbuilder import transforms
from bookbuilder.editions.weave import weave_body
from bookbuilder.sources import load_book

# The third essay of the linked book, with a head epigraph, a note, French spacing, an {#id}, a figure with a credit,
# an attributed quotation ("p. 12" tied), links within the essay, to another and an empty one named by its heading.
RICH = """---
title: "Été"
author: "C. Writer"
lang: fr
---

> La mer est tout.
> — Jules Verne, *Vingt mille lieues*

Le premier paragraphe, avec une note[^n] ; et « guillemets » ! Zanzibar.

## Une section {#ici}

![A grey field](../images/pic-one.jpg)
Un champ gris. / Image: Someone

> Une citation.
> — Karl Marx, *Le Capital*, p. 12

Voir [la section](#ici), [l’intro](01-intro.md#later-on) et [](#ici){: .page}. Quagga.

[^n]: La note.
"""

# What the string-passing code (before issue 16) wrote for RICH's body after the transforms.
GOLDEN = (
    '<p data-block="e-t-e-b1"><span class="opening-words">Le premier paragraphe,</span> avec une note'
    '<a data-note="e-t-e-note-1"/>\u202f; et «\u202fguillemets\u202f»\u202f! Zanzibar.</p>\n'
    '<h2 id="e-t-e-ici" data-block="e-t-e-b2">Une section</h2>\n'
    '<figure data-figure="e-t-e-fig-1"/>\n'
    '<figure class="quotation"><blockquote data-block="e-t-e-b3"><p data-block="e-t-e-b4">Une citation.</p>\n'
    '</blockquote><figcaption>—\u00a0Karl Marx, <cite>Le Capital</cite>, p.\u00a012</figcaption></figure>\n'
    '<p data-block="e-t-e-b5">Voir <a href="#e-t-e-ici">la section</a>, <a href="#e-01-intro-later-on">l’intro</a> '
    'et <a class="page" href="#e-t-e-ici">Une section</a>. Quagga.</p>\n')


def rich_book(root):
    book = linked_book(root)
    (book / "essays" / "é.t.é.md").write_text(RICH, encoding="utf-8")
    return book


def test_each_body_is_parsed_once_from_the_markdown_to_the_editions(tmp_path, monkeypatch):
    """Every HTML fragment parsed is counted by the words only the bodies hold (lxml's parser, which
    parse_fragment calls: patching the name the modules imported would miss some). The loader parses
    the Markdown's HTML and what the sanitiser (nh3, which reads and writes strings) gave back, then
    nothing parses a body again: not the transforms, not an edition weaving its notes in, not the model
    writing its HTML."""
    parsed: list[str] = []
    real = lxml_html.fragment_fromstring

    def counting(html, *args, **kwargs):
        parsed.append(html)
        return real(html, *args, **kwargs)

    monkeypatch.setattr(lxml_html, "fragment_fromstring", counting)
    words = ("Zanzibar", "Quagga", "Body.", "More, and")
    book = load_book(rich_book(tmp_path / "book"))
    assert [sum(word in html for html in parsed) for word in words] == [2] * len(words)  # Markdown's, nh3's
    parsed.clear()
    transforms.apply_all(book)
    for essay in book.pieces:
        weave_body(essay, lambda f: "<figure/>", lambda n: "<a/>")
        assert essay.body_html
    assert [html for html in parsed if any(word in html for word in words)] == []


def test_the_body_written_is_the_one_the_string_passing_code_wrote(tmp_path):
    book = transforms.apply_all(load_book(rich_book(tmp_path / "book")))
    essay = next(e for e in book.pieces if e.slug == "e-t-e")
    assert essay.body_html == GOLDEN
    assert [e.attribution_html for e in essay.epigraphs] == ["Jules Verne, <cite>Vingt mille lieues</cite>"]
    assert essay.notes[0].html == "<p>La note.</p>"


def test_a_body_set_as_html_is_read_back_the_same():
    """Tests and importers may write a body as HTML; the model keeps it as a tree."""
    from bookbuilder.model import Essay

    essay = Essay(slug="x", path=Path("x.md"), title="X", title_html="X")
    assert essay.body_html == ""
    essay.body_html = '<p>One <a data-note="x-note-1"/> two.</p>\n<figure data-figure="x-fig-1"/>'
    assert essay.body.tag == "div" and essay.body_html == '<p>One <a data-note="x-note-1"/> two.</p>\n' \
                                                          '<figure data-figure="x-fig-1"/>'
