"""Reading the source format: epigraphs in either form, credits split from captions."""
from __future__ import annotations

import textwrap

from bookbuilder.errors import Problems
from bookbuilder.sources.essay import load_essay
from bookbuilder.transforms.credits import split_caption


def write_essay(tmp_path, front: str, body: str):
    path = tmp_path / "essay.md"
    path.write_text("---\n" + textwrap.dedent(front).strip() + "\n---\n\n" + textwrap.dedent(body).strip() + "\n")
    problems = Problems()
    essay = load_essay(path, tmp_path, "en", "essay", problems)
    return essay, problems


def test_epigraphs_from_front_matter_and_from_the_head_are_the_same(tmp_path):
    in_body, p1 = write_essay(tmp_path, 'title: "A"', """
        > The sea is everything.
        > — Jules Verne, *Twenty Thousand Leagues*

        Text.
        """)
    in_front, p2 = write_essay(tmp_path, """
        title: "A"
        epigraphs:
          - text: "The sea is everything."
            author: Jules Verne
            source: "Twenty Thousand Leagues"
        """, "Text.")
    assert not p1 and not p2
    assert [(e.text_html, e.attribution_html) for e in in_body.epigraphs] == \
           [(e.text_html, e.attribution_html) for e in in_front.epigraphs] == \
           [("<p>The sea is everything.</p>", "Jules Verne, <cite>Twenty Thousand Leagues</cite>")]


def test_two_head_quotes_separated_by_a_blank_line_are_two_epigraphs(tmp_path):
    essay, problems = write_essay(tmp_path, 'title: "A"', """
        > First quotation.
        > — Ann One, Work One

        > Second quotation.
        > — Bob Two, Work Two

        > A body quote without attribution.

        Text.
        """)
    assert not problems
    assert [e.attribution_html for e in essay.epigraphs] == ["Ann One, <cite>Work One</cite>",
                                                             "Bob Two, <cite>Work Two</cite>"]
    assert "<blockquote>" in essay.body_html


def test_caption_credit_forms():
    assert split_caption("A meeting. / Image: Socialist Revolution") == ("A meeting.", "Image: Socialist Revolution")
    assert split_caption("A rally in 1912. Photo: Mara Lenz") == ("A rally in 1912.", "Photo: Mara Lenz")
    assert split_caption("Ratio 1/2 of the vote") == ("Ratio 1/2 of the vote", "")


def test_figures_notes_and_attributed_quotes(tmp_path):
    from PIL import Image

    Image.new("RGB", (4, 3)).save(tmp_path / "img.jpg")  # images are opened and checked, so it must be a real one
    essay, problems = write_essay(tmp_path, 'title: "A"', """
        Para with a note.[^n]

        ![A boat](img.jpg)
        Rowing together. / Image: Red Lantern

        > Workers of the world, unite!
        > — Karl Marx, *The Communist Manifesto*

        [^n]: The note.
        """)
    assert not problems, problems.errors
    assert len(essay.figures) == 1 and essay.figures[0].alt == "A boat" and essay.figures[0].line == 7
    assert essay.notes[0].html == "<p>The note.</p>" and 'data-note="' in essay.body_html
    assert '<figure class="quotation">' in essay.body_html and "<cite>The Communist Manifesto</cite>" in essay.body_html


def test_a_rebuild_in_the_same_process_converts_only_the_edited_markdown(book_copy, monkeypatch):
    """`serve` rebuilds in its own process after each edit: the texts not edited are not converted again
    (sources/markdown.converted), and the edited one is, with its new words."""
    import uuid

    import markdown

    from bookbuilder.sources.book import load_book

    converted: list[str] = []
    real = markdown.Markdown.convert
    monkeypatch.setattr(markdown.Markdown, "convert", lambda self, text: converted.append(text) or real(self, text))
    load_book(book_copy)  # whatever an earlier test left in the cache, everything is in it after this
    converted.clear()
    assert load_book(book_copy).essays and converted == []
    essay = book_copy / "essays" / "card-by-card.md"
    edit = f"that week {uuid.uuid4().hex}"  # a text no other test converted in this process
    essay.write_text(essay.read_text().replace("The app marked", f"The app, {edit}, marked", 1))
    book = load_book(book_copy)
    assert len(converted) == 1 and edit in converted[0]
    assert edit in next(e for e in book.essays if e.slug == "card-by-card").body_html
