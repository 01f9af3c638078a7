"""Attribution lines print exactly as written, in every place an epigraph or quotation can stand.

The forms: author only; work only, in italics; author and work; a work with a locator;
author, work and translator. Nothing is moved, doubled or dropped, and the work is in <cite>.
"""
from __future__ import annotations

import html
import re
import textwrap
import zipfile

import pytest

from bookbuilder.sources.conventions import ATTRIBUTION_LINE
from bookbuilder.sources.structure import attribution_html, parse_fragment, written_attribution
from conftest import pdf_pages_text, run_cli

hypothesis = pytest.importorskip("hypothesis")  # a test extra (pyproject [test])
from hypothesis import given, strategies as st  # noqa: E402

# (as written after the dash, in Markdown) → (printed text, the work in <cite>, what the HTML is)
FORMS = [
    ("Rosa Luxemburg", "Rosa Luxemburg", None, "Rosa Luxemburg"),
    ("*Henry VI*", "Henry VI", "Henry VI", "<cite>Henry VI</cite>"),
    ("Leon Trotsky, *History of the Russian Revolution*", "Leon Trotsky, History of the Russian Revolution",
     "History of the Russian Revolution", "Leon Trotsky, <cite>History of the Russian Revolution</cite>"),
    ("*Principles of Political Economy*, Chapter V.", "Principles of Political Economy, Chapter V.",
     "Principles of Political Economy", "<cite>Principles of Political Economy</cite>, Chapter V."),
    ("Homer, *The Iliad*, tr. Emily Wilson", "Homer, The Iliad, tr. Emily Wilson", "The Iliad",
     "Homer, <cite>The Iliad</cite>, tr. Emily Wilson"),
    ("Karl Marx, Capital, Volume I", "Karl Marx, Capital, Volume I", "Capital",
     "Karl Marx, <cite>Capital</cite>, Volume I"),  # no italics written: the work is what follows the first comma
]


def markdown_inline(written: str) -> str:
    return re.sub(r"\*([^*]+)\*", r"<em>\1</em>", written)


def text_of(fragment: str) -> str:
    """The words a reader sees, spaces as HTML shows them (runs as one, none at the ends)."""
    return " ".join(parse_fragment(fragment).text_content().split())


@pytest.mark.parametrize("written, printed, work, expected", FORMS)
def test_each_form_prints_as_written_with_the_work_cited(written, printed, work, expected):
    out = attribution_html(markdown_inline(written))
    assert out == expected
    assert text_of(out) == printed
    assert [c.text_content() for c in parse_fragment(out).iter("cite")] == ([work] if work else [])


@pytest.mark.parametrize("author, source, expected", [
    ("Wilhelm Von Humboldt", "<em>Sphere and Duties of Government</em>",
     "Wilhelm Von Humboldt, <cite>Sphere and Duties of Government</cite>"),
    ("", "Henry VI", "<cite>Henry VI</cite>"),  # `source:` is the work
    ("", "<em>Principles of Political Economy</em>, Chapter V.",
     "<cite>Principles of Political Economy</cite>, Chapter V."),
    ("Rosa Luxemburg", "", "Rosa Luxemburg"),
    ("Homer", "<em>The Iliad</em>, tr. Emily Wilson", "Homer, <cite>The Iliad</cite>, tr. Emily Wilson"),
    ("A & B", "", "A &amp; B"),
])
def test_author_and_source_fields_make_the_same_line(author, source, expected):
    assert written_attribution(author, source) == expected


WORDS = st.text(st.characters(whitelist_categories=("L", "N"), whitelist_characters=" .'’-&<"), min_size=1,
                max_size=30).filter(lambda s: s.strip())


@given(author=WORDS, work=WORDS, tail=st.one_of(st.just(""), WORDS))
def test_nothing_is_lost_or_moved(author, work, tail):
    """Whatever the words, the line prints its text in the order written; the italic part is the one cite."""
    written = f"{html.escape(author)}, <em>{html.escape(work)}</em>" + (f", {html.escape(tail)}" if tail else "")
    out = attribution_html(written)
    assert text_of(out) == text_of(written)
    cites = [" ".join(c.text_content().split()) for c in parse_fragment(out).iter("cite")]
    assert cites == [text_of(f"<em>{html.escape(work)}</em>")]


@given(line=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60))
def test_plain_lines_keep_their_text(line):
    out = attribution_html(html.escape(line))
    assert text_of(out) == text_of(html.escape(line))


@pytest.mark.parametrize("dash", ["—", "–", "―", "--"])
def test_every_dash_opens_an_attribution(dash):
    assert ATTRIBUTION_LINE.match(f"{dash} *Henry VI*").group(1) == "*Henry VI*"
    assert ATTRIBUTION_LINE.match(f"  {dash}Rosa Luxemburg").group(1) == "Rosa Luxemburg"
    assert not ATTRIBUTION_LINE.match(f"{dash} ")


# --- a real build: every place an attribution can stand, in print (pdftotext) and the EPUB ---

def quote(text: str, written: str) -> str:
    return f"> {text}\n> — {written}\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("attributions")
    book = root / "book"
    (book / "essays").mkdir(parents=True)
    (book / "book.toml").write_text(textwrap.dedent('''\
        title = "Attributions"
        date = 2026-11-01

        [[epigraphs]]
        text = "Book epigraph one."
        source = "*Principles of Political Economy*, Chapter V."

        [[epigraphs]]
        text = "Book epigraph two."
        source = "*Henry VI*"

        [contents]
        [[contents.parts]]
        title = "The Part"
        essays = ["essays/one.md"]

        [[contents.parts.epigraphs]]
        text = "Part epigraph."
        author = "Homer"
        source = "*The Iliad*, tr. Emily Wilson"
        '''))
    head = "\n".join(quote(f"Head {n}.", written) for n, (written, *_rest) in enumerate(FORMS, 1))
    body = "\n".join(quote(f"Body {n}.", written) for n, (written, *_rest) in enumerate(FORMS, 1))
    (book / "essays" / "one.md").write_text(
        '---\ntitle: "One"\nauthor: "A. Writer"\nepigraphs:\n  - text: "Front epigraph."\n'
        '    source: "*Henry VI*"\n---\n\n' + head + "\nThe essay begins.\n\n" + body + "\nThe essay ends.\n")
    out = root / "out"
    result = run_cli("build", str(book), "--out", str(out), "--edition", "print", "--edition", "epub",
                     "--jobs", "1")
    assert result.returncode == 0, result.stderr
    text = "\n".join(pdf_pages_text(out / "attributions-print.pdf"))
    with zipfile.ZipFile(out / "attributions.epub") as z:
        xhtml = {name: z.read(name).decode() for name in z.namelist() if name.endswith(".xhtml")}
    return re.sub(r"[ \u00a0]+", " ", text), xhtml


@pytest.mark.slow
def test_printed_attributions_read_as_written(built):
    text, _ = built
    for n, (_written, printed, *_) in enumerate(FORMS, 1):
        for where in ("Head", "Body"):  # an epigraph at the head of the essay, a quotation in its body
            assert re.search(rf"{where} {n}\.\s*— {re.escape(printed)}\n", text), (where, printed)
    for printed in ("Principles of Political Economy, Chapter V.", "Henry VI", "Homer, The Iliad, tr. Emily Wilson"):
        assert f"— {printed}" in text  # book, front-matter and part epigraphs
    assert "— ," not in text and "— —" not in text and "—," not in text


@pytest.mark.slow
def test_epub_attributions_are_marked_up_as_written(built):
    _, xhtml = built
    essay = next(v for k, v in xhtml.items() if k.endswith("one.xhtml"))
    for _written, _printed, _work, expected in FORMS:
        assert f'<p class="attribution">—\u00a0{expected}</p>' in essay, expected
        assert f"<figcaption>—\u00a0{expected}</figcaption>" in essay, expected
    assert '<p class="attribution">—\u00a0<cite>Henry VI</cite></p>' in essay  # front matter `epigraphs:`
    book_epigraphs = next(v for k, v in xhtml.items() if k.endswith("epigraphs.xhtml"))
    assert '—\u00a0<cite>Principles of Political Economy</cite>, Chapter V.</p>' in book_epigraphs
    part = next(v for k, v in xhtml.items() if "Part epigraph" in v and k != "EPUB/nav.xhtml")
    assert '—\u00a0Homer, <cite>The Iliad</cite>, tr. Emily Wilson</p>' in part


@pytest.mark.slow
def test_joined_body_quotations_keep_each_attribution(built):
    """Markdown joins quotations split only by a blank line; each keeps its own attribution, none is left inline."""
    _, xhtml = built
    essay = next(v for k, v in xhtml.items() if k.endswith("one.xhtml"))
    assert essay.count('<figure class="quotation">') == len(FORMS)
    assert not re.search(r"<p[^>]*>[^<]*\n— ", essay)
