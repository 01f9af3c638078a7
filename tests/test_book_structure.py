"""Structures of real books: a book by its own author(s), numbered chapters and labelled parts,
signatures, dedication pages without a heading, year-only dates. Small books, real builds."""
from __future__ import annotations

import re
import textwrap
import zipfile
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

from conftest import pdf_pages_text, run_cli

pytestmark = pytest.mark.slow  # builds books: `./dev test --fast` leaves these out

NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
      "opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}

MILL_TOML = """\
title = "On Liberty"
authors = ["John Stuart Mill", { name = "Ann Other", role = "translator" }]
date = 1883

[[epigraphs]]
text = "The grand, leading principle."
author = "Wilhelm von Humboldt"

[contents]
numbering = "roman"
chapter_label = "Chapter {n}"
running_heads_numbered = true
epigraphs_after = "dedication"
essay_dates = "end"
front = ["essays/dedication.md", "essays/introduction.md"]

[[contents.parts]]
title = "Book I"
essays = ["essays/introductory.md"]

[[contents.parts]]
title = "Of Society"
label = "Book II"
essays = ["essays/limits.md", "essays/reply.md"]
"""

MILL_ESSAYS = {
    "dedication": """\
        ---
        title: "Dedication"
        kind: dedication
        author: "John Stuart Mill"
        ---

        To the beloved and deplored memory of her who was the inspirer.
        """,
    "introduction": """\
        ---
        title: "Introduction"
        author: "W. L. Courtney"
        ---

        /// dateline
        London, 1901
        ///

        John Stuart Mill was born on 20th May 1806.

        /// signature
        W. L. Courtney

        London, July 5th, 1901
        ///
        """,
    "introductory": """\
        ---
        title: "Introductory"
        author: "John Stuart Mill"
        date: 1859
        ---

        The subject of this Essay is not the so-called Liberty of the Will.
        """,
    "limits": """\
        ---
        title: "Of the Limits to the Authority of Society"
        number: IV
        author: "John Stuart Mill"
        ---

        What, then, is the rightful limit to the sovereignty of the individual over himself?

        {filler}
        """.format(filler="\n\n        ".join(["Where does the authority of society begin? How much of human life should "
                                              "be assigned to individuality, and how much to society?"] * 40)),
    "reply": """\
        ---
        title: "A Reply"
        label: ""
        author: "Harriet Taylor"
        ---

        A reply by another hand keeps its byline.
        """,
}


def make_book(folder: Path, toml: str, essays: dict[str, str]) -> Path:
    (folder / "essays").mkdir(parents=True)
    (folder / "book.toml").write_text(toml, encoding="utf-8")
    for name, text in essays.items():
        (folder / "essays" / f"{name}.md").write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def build_book(folder: Path, out: Path):
    from bookbuilder.build import build

    result = build(folder, out, jobs=1)
    assert not result.failed, [str(f) for f in result.findings]
    return {r.edition: r.path for r in result.outputs}


@pytest.fixture(scope="module")
def mill(tmp_path_factory):
    folder = make_book(tmp_path_factory.mktemp("mill") / "book", MILL_TOML, MILL_ESSAYS)
    return build_book(folder, folder.parent / "out")


def page_with(pages: list[str], needle: str) -> str:
    return next(p for p in pages if needle in p)


def epub_xhtml(epub: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(epub) as z:
        return etree.fromstring(z.read(f"EPUB/text/{name}"))


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def squeezed(text: str) -> str:
    """Without spaces: pdftotext splits letter-spaced small capitals ("J ohn")."""
    return re.sub(r"\s+", "", text)


def test_title_page_names_the_author_not_an_editor(mill):
    pages = pdf_pages_text(mill["print"])
    title = squeezed(page_with(pages, "Translated by"))
    assert "JohnStuartMill" in title and "TranslatedbyAnnOther" in title
    assert "Edited by" not in "".join(pages)
    assert words(epub_xhtml(mill["epub"], "title.xhtml").xpath("string(//x:section)", namespaces=NS)).count(
        "John Stuart Mill") == 1


def test_opf_names_the_author_as_creator_and_the_translator_by_role(mill):
    with zipfile.ZipFile(mill["epub"]) as z:
        opf = etree.fromstring(z.read("EPUB/content.opf"))
    role = {m.get("refines")[1:]: m.text for m in opf.xpath("//opf:meta[@property='role']", namespaces=NS)}
    creators = {c.text: role[c.get("id")] for c in opf.xpath("//dc:creator", namespaces=NS)}
    contributors = {c.text: role[c.get("id")] for c in opf.xpath("//dc:contributor", namespaces=NS)}
    assert creators == {"John Stuart Mill": "aut"}
    assert contributors["Ann Other"] == "trl" and contributors["Harriet Taylor"] == "aut"
    assert opf.xpath("string(//dc:date)", namespaces=NS) == "1883"


def test_no_byline_for_the_books_own_author_but_one_for_a_guest(mill):
    pages = pdf_pages_text(mill["print"])
    contents = page_with(pages, "Contents")
    assert "JohnStuartMill" not in squeezed(contents) and "HarrietTaylor" in squeezed(contents)
    opening = page_with(pages, "The subject of this Essay")
    assert "Mill" not in opening
    assert "HarrietTaylor" in squeezed(page_with(pages, "A reply by another hand"))
    introductory = epub_xhtml(mill["epub"], "introductory.xhtml")
    assert not introductory.xpath("//*[@class='byline']", namespaces=NS)
    reply = epub_xhtml(mill["epub"], "reply.xhtml")
    assert reply.xpath("string(//x:p[@class='byline'])", namespaces=NS) == "Harriet Taylor"


def test_chapter_label_from_the_number_field_and_from_roman_numbering(mill):
    pages = pdf_pages_text(mill["print"])
    contents = words(page_with(pages, "Contents"))
    assert "Chapter IV Of the Limits" in contents and "Chapter I Introductory" in contents
    assert "Chapter" not in contents.split("A Reply")[0].split("Of the Limits")[1]  # label: "" prints none
    assert "ChapterIV" in squeezed(page_with(pages, "What, then, is the rightful limit"))
    limits = epub_xhtml(mill["epub"], "limits.xhtml")
    assert limits.xpath("string(//x:p[@class='essay-label'])", namespaces=NS) == "Chapter IV"


def test_a_part_titled_book_i_gets_no_part_one(mill):
    pages = pdf_pages_text(mill["print"])
    text = "".join(pages)
    assert "Part One" not in text and "Part Two" not in text
    assert "BookII" in squeezed(page_with(pages, "Of Society"))
    with zipfile.ZipFile(mill["epub"]) as z:
        nav = z.read("EPUB/nav.xhtml").decode()
    assert "Book II: Of Society" in nav and "Part One" not in nav


def test_running_heads_show_the_book_title_on_versos_and_the_label_on_rectos(mill):
    pages = pdf_pages_text(mill["print"])
    limits = [p for p in pages if "how much to society?" in p][1:]
    heads = [words(p.strip().splitlines()[0]) for p in limits[:2]]
    assert any(re.fullmatch(r"\d+ On Liberty", h) for h in heads), heads  # verso: the book, not "John Stuart Mill"
    assert any("Chapter IV · Of the Limits" in h for h in heads), heads  # recto: label and title


def test_dateline_block_is_kept_in_the_epub(mill):
    intro = epub_xhtml(mill["epub"], "introduction.xhtml")
    assert words(intro.xpath("string(//x:div[@class='dateline'])", namespaces=NS)) == "London, 1901"


def test_signature_block_is_set_right_in_the_epub(mill):
    intro = epub_xhtml(mill["epub"], "introduction.xhtml")
    sig = intro.xpath("//x:div[@class='signature']", namespaces=NS)
    assert sig and words(sig[0].xpath("string()")) == "W. L. Courtney London, July 5th, 1901"
    assert not intro.xpath("//x:p[@class='signature']", namespaces=NS)  # the name is not printed twice
    with zipfile.ZipFile(mill["epub"]) as z:
        css = z.read("EPUB/styles/book.css").decode()
    assert re.search(r"\.signature \{[^}]*text-align: right", css)


def test_dedication_page_prints_no_heading_and_the_epigraph_follows_it(mill):
    pages = pdf_pages_text(mill["print"])
    i = next(n for n, p in enumerate(pages) if "beloved and deplored" in p)
    assert words(pages[i]) == "To the beloved and deplored memory of her who was the inspirer."
    following = [p for p in pages[i + 1:] if p.strip()]
    assert "The grand, leading principle." in following[0]
    assert "Contents" in following[1]
    assert "Dedication" not in page_with(pages, "Contents")
    ded = epub_xhtml(mill["epub"], "dedication.xhtml")
    assert not ded.xpath("//x:h1", namespaces=NS)
    assert ded.xpath("//x:section/@epub:type", namespaces=NS) == ["dedication"]
    with zipfile.ZipFile(mill["epub"]) as z:
        nav = z.read("EPUB/nav.xhtml").decode()
        opf = z.read("EPUB/content.opf").decode()
    assert ">Dedication<" in nav
    spine = re.findall(r'itemref idref="([^"]+)"', opf)
    assert spine.index("dedication") < spine.index("epigraphs") < spine.index("nav")


def test_year_only_dates_build_and_print_the_year(mill):
    pages = pdf_pages_text(mill["print"])
    assert "First edition, 1883" in words(page_with(pages, "First edition"))
    assert "1859" in page_with(pages, "The subject of this Essay")  # essay_dates = "end"


def test_a_book_by_one_author_without_bios_has_no_contributors_page(tmp_path):
    folder = make_book(tmp_path / "book", textwrap.dedent("""\
        title = "Heretics"
        authors = ["G. K. Chesterton"]
        date = 1905
        [contents]
        essays = ["essays/one.md", "essays/two.md"]
        """), {
        "one": '---\ntitle: "On the Negative Spirit"\nauthor: "G. K. Chesterton"\n---\n\nMuch has been said.\n',
        "two": '---\ntitle: "Mr. Bernard Shaw"\n---\n\nIn the glad old days.\n'})
    out = build_book(folder, tmp_path / "out")
    text = "".join(pdf_pages_text(out["print"]))
    assert "Contributors" not in text and "Chesterton" in text
    assert squeezed(text).count("G.K.Chesterton") == 1  # the title page only: no bylines, no list
    with zipfile.ZipFile(out["epub"]) as z:
        assert "EPUB/text/contributors.xhtml" not in z.namelist()
    with pikepdf.open(out["print"]) as pdf, pdf.open_outline() as outline:  # no parts: essays are top-level
        assert [item.title for item in outline.root] == ["Contents", "On the Negative Spirit", "Mr. Bernard Shaw"]


def test_signature_stays_on_the_page_of_the_last_paragraph(tmp_path):
    """One-line paragraphs fill the page exactly; the signature must take the last line over with it."""
    def book(lines: int, folder: Path) -> Path:
        body = "\n\n".join(f"Line {n} of the letter." for n in range(1, lines + 1))
        return make_book(folder, 'title = "Letters"\ndate = 2026-01-01\n[contents]\nfront = ["essays/letter.md"]\n'
                         'essays = ["essays/text.md"]\n', {
                             "letter": f'---\ntitle: "A Letter"\nauthor: "A. Writer"\n---\n\n{body}\n\n'
                                       '/// signature\nA. Writer\n\nLondon, 1888\n///\n',
                             "text": '---\ntitle: "Text"\n---\n\nText.\n'})

    pages = pdf_pages_text(build_book(book(120, tmp_path / "probe"), tmp_path / "probe-out")["print"])
    letter = [p for p in pages if "of the letter." in p]
    first, full = (len(re.findall(r"Line \d+ of", p)) for p in letter[:2])
    lines = first + full  # the last paragraph ends the second page: no room left for the signature
    pages = pdf_pages_text(build_book(book(lines, tmp_path / "exact"), tmp_path / "exact-out")["print"])
    signed = page_with(pages, "London, 1888")
    assert f"Line {lines} of the letter." in signed
    assert re.search(r"\n\s{20,}A\. WRITER|\n\s{20,}A\. Writer", signed, re.I)  # set to the right


GOOD_TOML = 'title = "T"\ndate = 2026-01-01\n[contents]\nessays = ["essays/one.md"]\n'
BAD_VALUES = [  # (book.toml, an essay's front-matter line, the key named, "file:line" in the message)
    ('title = "T"\nauthors = [{ name = "A", role = "writer" }]\ndate = 2026-01-01\n'
     '[contents]\nessays = ["essays/one.md"]\n', "", "authors[0].role", "book.toml:2"),
    ('title = "T"\ndate = 2026-01-01\n[contents]\nnumbering = "greek"\nessays = ["essays/one.md"]\n', "",
     "contents.numbering", "book.toml:4"),
    ('title = "T"\ndate = 2026-01-01\n[contents]\nchapter_label = "Chapter"\nessays = ["essays/one.md"]\n', "",
     "contents.chapter_label", "book.toml:4"),
    ('title = "T"\ndate = 18830\n[contents]\nessays = ["essays/one.md"]\n', "", "date", "book.toml:2"),
    (GOOD_TOML, "number: [4]", "number", "one.md:3"),
    (GOOD_TOML, "kind: colophon", "kind", "one.md:3"),
    (GOOD_TOML, 'number: 4\nlabel: "No. 4"', "label", "one.md:4"),
    (GOOD_TOML, "kind: dedication", "kind", "one.md:3"),  # listed among the essays, not in front
]


@pytest.mark.parametrize("toml, front_line, key, where", BAD_VALUES)
def test_bad_structure_values_exit_2_naming_key_and_line(tmp_path, toml, front_line, key, where):
    folder = make_book(tmp_path / "book", toml, {
        "one": '---\ntitle: "One"\n' + (front_line + "\n" if front_line else "") + '---\n\nText.\n'})
    result = run_cli("build", str(folder), "--out", str(tmp_path / "out"))
    assert result.returncode == 2, result.stderr
    assert key in result.stderr and "Traceback" not in result.stderr
    assert where in result.stderr, result.stderr
