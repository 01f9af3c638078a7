"""Citations ([@key, p. 12]) resolved from a book's BibTeX or CSL-JSON by a CSL style, and each essay's
reference list, in every edition; bad keys, files and styles are source errors naming file and line."""
from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from bookbuilder.errors import Problems
from bookbuilder.sources.citations import load_bibliography
from bookbuilder.sources.citations import cite as resolve
from conftest import pdf_pages_text, run_cli
from test_epub_edition import epubcheck_report

BIB = """@book{marx1867,
  author = {Marx, Karl},
  title = {Capital: A Critique of Political Economy},
  publisher = {Verlag von Otto Meissner},
  address = {Hamburg},
  year = {1867},
}
@book{trotsky1932,
  author = {Trotsky, Leon},
  title = {History of the Russian Revolution},
  publisher = {Victor Gollancz},
  address = {London},
  year = {1932},
}
@article{luxemburg1900,
  author = {Luxemburg, Rosa},
  title = {Reform or Revolution},
  journal = {Leipziger Volkszeitung},
  year = {1900},
  volume = {12},
  pages = {1--20},
}
"""
ESSAY = """---
title: "On Capital"
author: "A. Writer"
---

Value is congealed labour [@marx1867, p. 12]. The revolution was a mass event
[see @trotsky1932, chap. 3; @luxemburg1900].[^a] Write to [me@example.com], not `[@code]`.

A second paragraph cites nothing.

[^a]: As argued by [@Marx1867, pp. 45–47].
"""
AUTHOR_DATE = "chicago-author-date-16th-edition"
NOTES = "chicago-notes-bibliography-16th-edition"


def bibliography(tmp_path: Path, style: str = AUTHOR_DATE, placement: str = "essay"):
    (tmp_path / "references.bib").write_text(BIB)
    return load_bibliography(tmp_path, {"file": "references.bib", "style": style, "list": placement}, "en")


def cited(tmp_path, body: str, style: str = AUTHOR_DATE, placement: str = "essay"):
    problems = Problems()
    result = resolve(body, bibliography(tmp_path, style, placement), Path("essays/one.md"), 5, problems, slug="one")
    return result, problems


def test_author_date_citations_become_their_text_and_the_essay_lists_what_it_cites(tmp_path):
    result, problems = cited(tmp_path, ESSAY.split("---\n", 2)[2])
    assert not problems.errors
    assert '<span class="citation">(<a class="citation-link" href="#one--ref-marx1867">Marx 1867, 12</a>)</span>.' \
        in result.body  # each work a link to its entry in the essay's list
    assert ('<span class="citation">(<a class="citation-link" href="#one--ref-luxemburg1900">Luxemburg 1900</a>; '
            'see <a class="citation-link" href="#one--ref-trotsky1932">Trotsky 1932, chap. 3</a>)</span>.[^a]') \
        in result.body
    assert ('[^a]: As argued by <span class="citation">(<a class="citation-link" href="#one--ref-marx1867">'
            'Marx 1867, 45–47</a>)</span>.') in result.body
    assert "Write to [me@example.com], not `[@code]`." in result.body  # an address and code are not citations
    assert [r.id for r in result.references] == ["one--ref-luxemburg1900", "one--ref-marx1867", "one--ref-trotsky1932"]
    assert [r.html for r in result.references] == [  # by author, as the style sorts them, each work once
        "Luxemburg, Rosa. 1900. “Reform or Revolution”. <i>Leipziger Volkszeitung</i> 12: 1–20.",
        "Marx, Karl. 1867. <i>Capital: A Critique of Political Economy</i>. Hamburg: Verlag von Otto Meissner.",
        "Trotsky, Leon. 1932. <i>History of the Russian Revolution</i>. London: Victor Gollancz."]


def test_a_note_style_makes_each_citation_a_note_after_the_punctuation(tmp_path):
    result, problems = cited(tmp_path, ESSAY.split("---\n", 2)[2], NOTES)
    assert not problems.errors
    assert "Value is congealed labour.[^cite-1] The revolution was a mass event.[^cite-2][^a]" in result.body
    assert ('[^cite-1]: <a class="citation-link" href="#one--ref-marx1867">Karl Marx, <i>Capital: A Critique of '
            'Political Economy</i> (Hamburg: Verlag von Otto Meissner, 1867), 12</a>.') in result.body
    # inside a note it is the note's text (a note cannot call a note), ending the sentence once
    assert ('[^a]: As argued by <span class="citation"><a class="citation-link" href="#one--ref-marx1867">Marx, '
            "<i>Capital: A Critique of Political Economy</i>, 1867, 45–47</a></span>.") in result.body
    assert "A second paragraph" in result.body.split("\n\n")[1]  # the paragraphs stay apart


def test_no_list_when_the_book_asks_for_none(tmp_path):
    result, _ = cited(tmp_path, "Text [@marx1867].\n", placement="none")
    assert result.references == [] and '<span class="citation">(Marx 1867)</span>' in result.body  # and no link


@pytest.mark.parametrize("body, message, hint", [
    ("Text.\n\nAs shown [@marks1867, p. 3].\n", "essays/one.md:7: the citation @marks1867 is not in the bibliography "
     "(references.bib)", "did you mean @marx1867?"),
    ("As shown [-@marx1867].\n", "essays/one.md:5: -@marx1867 (a citation without its author) is not supported",
     "write [@marx1867]"),
])
def test_bad_citations_name_the_file_and_line(tmp_path, body, message, hint):
    _, problems = cited(tmp_path, body)
    shown = "\n".join(str(p) for p in problems.errors)
    assert message in shown and hint in shown, shown


def test_html_in_a_bibliography_entry_is_removed_and_reported(tmp_path):
    (tmp_path / "references.bib").write_text(
        "@book{x, author = {Doe, Jane}, title = {Plain <script>alert(1)</script> Title}, year = {1900}}\n")
    bib = load_bibliography(tmp_path, {"file": "references.bib", "style": AUTHOR_DATE, "list": "essay"}, "en")
    problems = Problems()
    result = resolve("Text [@x].\n", bib, Path("essays/one.md"), 5, problems)
    assert "script" not in result.references[0].html and "alert" not in result.references[0].html
    assert "references.bib holds HTML that was removed" in "\n".join(str(p) for p in problems.errors)


def test_csl_json_and_the_books_language(tmp_path):
    (tmp_path / "refs.json").write_text(json.dumps([{
        "id": "weil1949", "type": "book", "title": "L’Enracinement", "publisher": "Gallimard",
        "publisher-place": "Paris", "author": [{"family": "Weil", "given": "Simone"}], "issued": {"date-parts": [[1949]]}}]))
    bib = load_bibliography(tmp_path, {"file": "refs.json", "style": AUTHOR_DATE, "list": "essay"}, "fr")
    problems = Problems()
    result = resolve("Texte [@weil1949, p. 3].\n", bib, Path("essays/un.md"), 5, problems)
    assert not problems.errors
    assert '(<a class="citation-link" href="#essay--ref-weil1949">Weil 1949, 3</a>)' in result.body
    assert [r.html for r in result.references] == ["Weil, Simone. 1949. <i>L’Enracinement</i>. Paris: Gallimard."]


PREFACE = '---\ntitle: "Preface"\n---\n\nWe begin with Trotsky [@trotsky1932, p. 9].\n'


def write_book(root: Path, bibliography: str, essay: str = ESSAY) -> Path:
    (root / "essays").mkdir(parents=True)
    (root / "front").mkdir()
    (root / "references.bib").write_text(BIB)
    (root / "book.toml").write_text(f'title = "Cited"\ndate = 2026-11-01\n\n{bibliography}\n'
                                    '[contents]\nfront = ["front/preface.md"]\nessays = ["essays/one.md"]\n')
    (root / "essays" / "one.md").write_text(essay)
    (root / "front" / "preface.md").write_text(PREFACE)  # a front piece cites too
    return root


@pytest.mark.parametrize("bibliography, message", [
    ('[bibliography]\nfile = "missing.bib"\n', "book.toml:5: bibliography.file: file 'missing.bib' does not exist"),
    ('[bibliography]\nfile = "references.bib"\nstyle = "chicago-nonesuch"\n',
     "book.toml:6: bibliography.style: no CSL style is called 'chicago-nonesuch'"),
    ('[bibliography]\nfile = "essays/one.md"\n', "bibliography.file: essays/one.md: cannot be read as BibTeX"),
    ('[bibliography]\nfile = "references.bib"\nstyle = "x.csl"\n', "bibliography.style: 'x.csl' is not a .csl file"),
])
def test_bad_bibliography_settings_exit_2_naming_the_key(tmp_path, bibliography, message):
    book = write_book(tmp_path / "book", bibliography)
    result = run_cli("build", str(book), "--out", str(tmp_path / "out"), "--edition", "epub")
    assert result.returncode == 2, result.stderr
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_key_stops_the_build_naming_the_line(tmp_path):
    book = write_book(tmp_path / "book", '[bibliography]\nfile = "references.bib"\n',
                      ESSAY.replace("[@marx1867, p. 12]", "[@marxx1867, p. 12]"))
    result = run_cli("build", str(book), "--out", str(tmp_path / "out"), "--edition", "epub")
    assert result.returncode == 2
    assert "essays/one.md:6: the citation @marxx1867 is not in the bibliography (references.bib)" in result.stderr
    assert not (tmp_path / "out" / "cited.epub").exists()


@pytest.mark.slow
@pytest.mark.parametrize("style", [AUTHOR_DATE, NOTES])
def test_citations_and_references_reach_every_edition(tmp_path, style):
    book = write_book(tmp_path / "book", f'[bibliography]\nfile = "references.bib"\nstyle = "{style}"\n')
    out = tmp_path / "out"
    result = run_cli("build", str(book), "--out", str(out), "--edition", "print", "--edition", "epub")
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr.lower(), result.stderr
    text = " ".join(" ".join(pdf_pages_text(out / "cited-print.pdf")).split())
    with zipfile.ZipFile(out / "cited.epub") as z:
        xhtml = z.read("EPUB/text/one.xhtml").decode()
        preface = z.read("EPUB/text/preface.xhtml").decode()
    assert 'role="doc-bibliography" epub:type="bibliography"' in xhtml
    assert '<li id="preface--ref-trotsky1932">Trotsky, Leon' in preface  # a piece lists what it cites too
    assert "References Luxemburg, Rosa." in text
    if style == AUTHOR_DATE:
        assert "Value is congealed labour (Marx 1867, 12)." in text
        assert '<span class="citation">(<a class="citation-link" href="#one--ref-marx1867">Marx 1867, 12</a>)</span>' \
            in xhtml and '<li id="one--ref-marx1867">' in xhtml  # the link goes to the essay's own list
        assert xhtml.count('epub:type="footnote"') == 1
    else:  # every citation a footnote at the page's foot, the author's own note among them
        assert "1. Karl Marx, Capital: A Critique of Political Economy (Hamburg: Verlag von Otto Meissner, 1867), 12." \
            in text
        assert xhtml.count('epub:type="footnote"') == 3
    report = epubcheck_report(out / "cited.epub")
    assert not report["messages"], report["messages"]


# --- [bibliography] list = "book": one reference list for the whole book -------------------------------------

SECOND = """---
title: "On Reform"
author: "B. Writer"
---

Reform is not revolution [@luxemburg1900, p. 3]. Capital again [@marx1867]; wages too [@marx1849].
"""
MARX_1849 = """@book{marx1849,
  author = {Marx, Karl},
  title = {Wage Labour and Capital},
  publisher = {Neue Rheinische Zeitung},
  address = {Cologne},
  year = {1849},
}
"""


def test_a_book_list_leaves_the_essay_none_and_links_each_citation_to_the_books_entry(tmp_path):
    result, problems = cited(tmp_path, ESSAY.split("---\n", 2)[2], placement="book")
    assert not problems.errors
    assert result.references == []  # no list after the essay
    assert result.keys == ["marx1867", "trotsky1932", "luxemburg1900"]  # each once, in the order first cited
    assert '(<a class="citation-link" href="#bibliography--marx1867">Marx 1867, 12</a>)' in result.body


def test_the_books_list_holds_each_work_once_sorted_by_the_style_with_the_chicago_dash(tmp_path):
    from bookbuilder.sources.citations import book_references

    (tmp_path / "references.bib").write_text(BIB + MARX_1849)
    bib = load_bibliography(tmp_path, {"file": "references.bib", "style": AUTHOR_DATE, "list": "book"}, "en")
    refs = book_references(bib, ["trotsky1932", "marx1867", "luxemburg1900", "marx1849"])
    assert [r.id for r in refs] == ["bibliography--luxemburg1900", "bibliography--marx1849", "bibliography--marx1867",
                                    "bibliography--trotsky1932"]
    assert refs[1].html.startswith("Marx, Karl. 1849. <i>Wage Labour and Capital</i>")
    # Chicago's subsequent-author-substitute, which citeproc-py leaves out: the same author again is "———"
    assert refs[2].html.startswith("———. 1867. <i>Capital")
    assert refs[3].html.startswith("Trotsky, Leon.")


def test_entry_ids_are_ascii_and_unique_whatever_the_keys(tmp_path):
    (tmp_path / "references.bib").write_text(
        "@book{Marx:1867, author = {Marx, Karl}, title = {A}, year = {1867}}\n"
        "@book{marx-1867, author = {Marx, Karl}, title = {B}, year = {1867}}\n"
        "@book{é1, author = {Doe, Jane}, title = {C}, year = {1900}}\n")
    bib = load_bibliography(tmp_path, {"file": "references.bib", "style": AUTHOR_DATE, "list": "book"}, "en")
    ids = {key: bib.anchor(key, "x") for key in bib.source}
    assert len(set(ids.values())) == 3 and all(i.isascii() and i.startswith("bibliography--") for i in ids.values())


def test_a_wrong_list_value_is_a_source_error(tmp_path):
    book = write_book(tmp_path / "book", '[bibliography]\nfile = "references.bib"\nlist = "books"\n')
    result = run_cli("build", str(book), "--out", str(tmp_path / "out"), "--edition", "epub")
    assert result.returncode == 2, result.stderr
    assert "book.toml:6: bibliography.list" in result.stderr and '"book"' in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


@pytest.mark.slow
def test_one_reference_list_for_the_whole_book_in_every_edition(tmp_path):
    book = write_book(tmp_path / "book", '[bibliography]\nfile = "references.bib"\nlist = "book"\n')
    (book / "references.bib").write_text(BIB + MARX_1849)
    (book / "essays" / "two.md").write_text(SECOND)
    toml = book / "book.toml"
    toml.write_text(toml.read_text().replace('essays = ["essays/one.md"]', 'essays = ["essays/one.md", "essays/two.md"]'))
    out = tmp_path / "out"
    result = run_cli("build", str(book), "--out", str(out), "--edition", "print", "--edition", "epub", "--edition", "web")
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr.lower(), result.stderr

    # print: one list, on a page after the last essay's, each work once; no list after an essay
    pages = [" ".join(p.split()) for p in pdf_pages_text(out / "cited-print.pdf")]
    last_essay = max(i for i, p in enumerate(pages) if "Reform is not revolution" in p)
    listed = [i for i, p in enumerate(pages) if "Luxemburg, Rosa. 1900." in p]
    assert len(listed) == 1 and listed[0] > last_essay, pages
    text = " ".join(pages)
    for work in ("Luxemburg, Rosa. 1900.", "Marx, Karl. 1849.", "———. 1867.", "Trotsky, Leon. 1932."):
        assert text.count(work) == 1, work
    assert "References 5" in " ".join(pages[:last_essay]).replace("R eferences", "References")  # in the contents

    with zipfile.ZipFile(out / "cited.epub") as z:
        names = z.namelist()
        essays = [z.read(f"EPUB/text/{n}.xhtml").decode() for n in ("one", "two")]
        listing = z.read("EPUB/text/bibliography.xhtml").decode()
        nav = z.read("EPUB/nav.xhtml").decode()
        opf = z.read("EPUB/content.opf").decode()
    assert all('class="references"' not in x for x in essays)  # no per-essay lists
    assert 'epub:type="bibliography"' in listing and 'role="doc-bibliography"' in listing
    assert listing.count("<li id=") == 4 and ">References</h1>" in listing
    assert 'epub:type="bibliography" href="text/bibliography.xhtml"' in nav  # landmarks
    assert 'href="text/bibliography.xhtml">References</a>' in nav  # the table of contents
    assert opf.index('idref="two"') < opf.index('idref="bibliography"')  # after the last essay in the spine
    ids = set(re.findall(r'<li id="([^"]+)"', listing))
    links = re.findall(r'class="citation-link" href="([^"]+)"', " ".join(essays))
    assert len(links) == 7 and {href.partition("#")[0] for href in links} == {"bibliography.xhtml"}
    assert {href.partition("#")[2] for href in links} == ids  # every citation resolves, every entry is cited
    assert "EPUB/text/bibliography.xhtml" in names
    report = epubcheck_report(out / "cited.epub")
    assert not report["messages"], report["messages"]

    site = out / "cited-web"
    page = (site / "bibliography.html").read_text()
    assert "Marx, Karl. 1849." in page and 'href="bibliography.html#bibliography--marx1867"' in \
        (site / "two.html").read_text()
