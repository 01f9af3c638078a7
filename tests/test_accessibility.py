"""The EPUB's accessibility: DAISY Ace, the Accessibility 1.1 metadata, roles, alt text, and print page numbers."""
from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

from lxml import etree

import pytest

from conftest import run_cli

NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
      "opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# epub:type → DPUB-ARIA role, the pairs Ace's `epub-type-has-matching-role` rule checks (for the types the house uses)
ROLES = {"appendix": "doc-appendix", "afterword": "doc-afterword", "chapter": "doc-chapter", "epigraph": "doc-epigraph",
         "footnote": "doc-footnote", "noteref": "doc-noteref", "page-list": "doc-pagelist",
         "pagebreak": "doc-pagebreak", "part": "doc-part", "preface": "doc-preface", "toc": "doc-toc",
         "subtitle": "doc-subtitle", "endnotes": "doc-endnotes", "introduction": "doc-introduction",
         "bibliography": "doc-bibliography"}


def opf(sample) -> etree._Element:
    return etree.fromstring(sample.epub_text("EPUB/content.opf").encode())


def documents(sample_or_epub) -> dict[str, etree._Element]:
    epub = getattr(sample_or_epub, "epub", sample_or_epub)
    with zipfile.ZipFile(epub) as z:
        return {n[len("EPUB/"):]: etree.fromstring(z.read(n)) for n in z.namelist() if n.endswith(".xhtml")}


def meta(sample, prop: str) -> list[str]:
    return [m.text for m in opf(sample).xpath(f"//opf:meta[@property='{prop}']", namespaces=NS)]


@pytest.mark.slow
def test_ace_reports_no_violation(sample):
    from bookbuilder.checks.epub import ace_report, ace_violations

    report = ace_report(sample.epub)
    assert report["earl:result"]["earl:outcome"] == "pass", ace_violations(report)
    assert ace_violations(report) == []
    assert report["earl:testSubject"]["metadata"]["dc:language"] == sample.book.language


@pytest.mark.slow
def test_check_command_reports_what_ace_finds(sample, tmp_path):
    """`bookbuilder check` on a copy of the EPUB whose package lost its xml:lang: exit 1, Ace's rule named."""
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(sample.epub) as src, zipfile.ZipFile(broken, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith("content.opf"):
                data = data.replace(b' xml:lang="en"', b"", 1)
            out.writestr(info, data)
    result = run_cli("check", str(broken))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "epub-lang" in result.stdout and "1 problem(s)" in result.stdout


@pytest.mark.slow
def test_accessibility_metadata_is_complete(sample):
    book = sample.book
    assert set(meta(sample, "schema:accessMode")) == {"textual", "visual"}
    assert meta(sample, "schema:accessModeSufficient") == ["textual"]
    features = set(meta(sample, "schema:accessibilityFeature"))
    assert {"structuralNavigation", "tableOfContents", "readingOrder", "alternativeText",
            "printPageNumbers", "pageNavigation"} <= features
    assert meta(sample, "schema:accessibilityHazard") == ["none"]
    summary = meta(sample, "schema:accessibilitySummary")[0]
    assert f"{len(book.figures)} images" in summary and book.editions["print"].isbn in summary
    assert meta(sample, "dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]
    assert meta(sample, "pageBreakSource") == ["urn:isbn:" + book.editions["print"].isbn.replace("-", "")]


@pytest.mark.slow
def test_every_document_and_the_package_declare_their_language(sample):
    assert opf(sample).get(XML_LANG) == sample.book.language
    for name, doc in documents(sample).items():
        assert doc.get(XML_LANG), name
        assert doc.get("lang") == doc.get(XML_LANG), name


@pytest.mark.slow
def test_every_epub_type_has_its_aria_role(sample):
    for name, doc in documents(sample).items():
        for el in doc.iter():
            if not isinstance(el.tag, str) or EPUB_TYPE not in el.attrib:
                continue
            if el.xpath("ancestor-or-self::x:nav[@epub:type='landmarks']", namespaces=NS):
                continue  # landmarks links name targets, they are not those things themselves
            for kind in el.get(EPUB_TYPE).split():
                if kind in ROLES:
                    assert ROLES[kind] in (el.get("role") or "").split(), (name, etree.tostring(el)[:120])


@pytest.mark.slow
def test_image_without_alt_text_is_an_error_naming_essay_and_image(book_copy, tmp_path):
    essay = book_copy / "essays" / "card-by-card.md"
    essay.write_text(re.sub(r"!\[Bar chart[^\]]*\]", "![]", essay.read_text()))
    result = run_cli("build", str(book_copy), "--out", str(tmp_path / "out"), "--edition", "epub")
    assert result.returncode == 2, result.stderr
    assert "essays/card-by-card.md:" in result.stderr and "cards-chart.jpg" in result.stderr
    assert "no alt text" in result.stderr and "Card by Card" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_decorative_image_opts_out_explicitly(book_copy, tmp_path):
    from bookbuilder import transforms
    from bookbuilder.sources import load_book

    essay = book_copy / "essays" / "card-by-card.md"
    essay.write_text(re.sub(r"!\[Bar chart[^\]]*\]\(([^)]*)\)", r"![](\1){: .decorative}", essay.read_text()))
    book = transforms.apply_all(load_book(book_copy))
    chart = next(f for _e, f in book.figures if f.src.name == "cards-chart.jpg")
    assert chart.decorative and chart.alt == ""
    assert all(f.alt for _e, f in book.figures if f is not chart)


# --- print page numbers -------------------------------------------------------------------------------

def page_list(sample_or_epub) -> list[tuple[str, str]]:
    nav = documents(sample_or_epub)["nav.xhtml"]
    return [(a.text, a.get("href")) for a in nav.xpath("//x:nav[@epub:type='page-list']//x:a", namespaces=NS)]


@pytest.mark.slow
def test_page_list_holds_only_the_page_breaks(sample):
    docs = documents(sample)
    entries = page_list(sample)
    assert len(entries) > 20
    for label, href in entries:
        file, frag = href.split("#")
        target = docs[file].xpath(f"//*[@id='{frag}']")
        assert target, href
        el = target[0]
        assert el.get(EPUB_TYPE) == "pagebreak" and el.get("role") == "doc-pagebreak" and el.get("aria-label") == label
    markers = [(el.get("aria-label"), name) for name, doc in docs.items()
               for el in doc.xpath("//*[@epub:type='pagebreak']", namespaces=NS)]
    assert sorted(markers) == sorted((label, href.split("#")[0]) for label, href in entries)
    assert [label for label, _ in entries][:3] == ["i", "iii", "iv"]  # roman in the front matter


# What print adds after a page reference ({: .page}), "(p. 9)", and the EPUB does not.
PRINT_ONLY = re.compile(r"\s*\(p\.\s+[0-9ivxlc]+\)")


def normal(text: str) -> str:
    """Letters and digits only, lower case: what survives pdftotext's spacing, hyphenation and small caps."""
    return re.sub(r"[\W_]+", "", text.lower())


def text_after(doc: etree._Element, marker_id: str) -> str:
    """The document's text from the marker on, in reading order."""
    marker = doc.xpath(f"//*[@id='{marker_id}']")[0]
    found, out = False, []
    for el in doc.iter():
        if el is marker:
            found = True
            out.append(el.tail or "")
            continue
        if found and isinstance(el.tag, str):
            out.append((el.text or "") + (el.tail or ""))
    return "".join(out)


def body_pages(pdf: Path, mode: str = "-layout") -> list[str]:
    """Text of each print page without its running head (the top 17 mm margin).

    `-layout` keeps columns apart; `-raw` keeps each table cell's text together.
    """
    out = subprocess.run(["pdftotext", mode, "-x", "0", "-y", "50", "-W", "2000", "-H", "2000", str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return out.split("\f")


def running_heads(pdf: Path) -> list[str]:
    """The running head of each print page: the folio, an author or a title (the top 17 mm)."""
    out = subprocess.run(["pdftotext", "-layout", "-x", "0", "-y", "0", "-W", "2000", "-H", "50", str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return [" ".join(page.split()) for page in out.split("\f")]


def roman_value(label: str) -> int:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
    total = 0
    for a, b in zip(label, label[1:] + " "):
        total += -values[a] if values.get(b, 0) > values[a] else values[a]
    return total


def assert_markers_begin_print_pages(epub: Path, pdf: Path, book) -> int:
    """For every page-list entry, the EPUB text after the marker is the text its print page begins with."""
    pages, raw_pages = body_pages(pdf), body_pages(pdf, "-raw")
    heads = running_heads(pdf)
    contents = next(p for p in pages if p.strip().startswith("Contents"))
    # the folio of the first essay, as WeasyPrint printed it in the contents, fixes where page 1 is
    first = book.essays[0]
    folio = int(re.search(re.escape(first.title) + r"\s+(\d+)", contents).group(1))
    physical = next(i for i, p in enumerate(pages) if normal(p).startswith(normal(first.title)))
    offset = physical - (folio - 1)
    docs = documents(epub)
    checked = 0
    for label, href in page_list(epub):
        index = roman_value(label) - 1 if label.isalpha() else offset + int(label) - 1
        page = normal(PRINT_ONLY.sub("", pages[index]))
        folio = re.findall(r"^\s*(\d+|[ivxlc]+)\s|\s(\d+|[ivxlc]+)\s*$", heads[index])
        if folio:  # where the page carries a folio, the label is what it prints
            assert label in folio[0], (label, heads[index])
        file, frag = href.split("#")
        following = normal(text_after(docs[file], frag))[:min(30, len(page))]  # a page may hold less
        if file == "nav.xhtml":  # the printed contents has folios after each title; the nav has none
            following = following[:len("contents")]
        assert page and following, (label, href)
        # a word hyphenated across the page break starts the print page but follows the marker
        found = [text.find(following) for text in (page, normal(PRINT_ONLY.sub("", raw_pages[index])))]
        assert any(0 <= at <= 12 for at in found), (label, href, pages[index][:200], following)
        checked += 1
    return checked


@pytest.mark.slow
def test_each_page_marker_is_where_that_print_page_begins(sample):
    assert assert_markers_begin_print_pages(sample.epub, sample.pdf, sample.book) >= 25


@pytest.mark.slow
def test_markers_follow_the_print_layout_of_a_smaller_trim(book_copy, tmp_path):
    """Another trim, other page breaks: the markers move with the print edition."""
    from bookbuilder import transforms
    from bookbuilder.build import build
    from bookbuilder.sources import load_book

    toml = book_copy / "book.toml"
    toml.write_text(toml.read_text().replace('trim = "6x9in"', 'trim = "120x180mm"'))
    result = build(book_copy, tmp_path / "out")
    epub, pdf = (next(r.path for r in result.outputs if r.edition == e) for e in ("epub", "print"))
    book = transforms.apply_all(load_book(book_copy))
    assert assert_markers_begin_print_pages(epub, pdf, book) >= 40


def test_marker_goes_after_a_word_hyphenated_across_the_page_break():
    from bookbuilder.editions.pagebreaks import marker_position

    text = "the steelworkers “went” home"
    assert text[marker_position(text, 8):] == "“went” home"  # page began at "workers" (steel‐ | workers)
    assert text[marker_position(text, 12):] == "“went” home"  # page began at "went": the quote stays with it
    assert marker_position(text, 0) == 0 and marker_position(text, 99) is None
