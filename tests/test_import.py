"""`bookbuilder import`: real files in, house essays out, and the book still builds."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import run_cli

SEED = Path("/work/shared/seed/from-chomsky-to-marx.txt")


@pytest.fixture()
def new_book(tmp_path) -> Path:
    book = tmp_path / "book"
    assert run_cli("new", str(book)).returncode == 0
    return book


def front_matter_and_body(essay: Path) -> tuple[dict, str]:
    _, fm, body = essay.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(fm), body


def essay_xhtml(out: Path, slug: str) -> str:
    with zipfile.ZipFile(next(out.glob("*.epub"))) as z:
        return next(z.read(n).decode() for n in z.namelist() if n.endswith(f"{slug}.xhtml"))


def build_epub(book: Path, out: Path) -> None:
    built = run_cli("build", str(book), "--out", str(out), "--edition", "epub")
    assert built.returncode == 0, built.stderr


@pytest.mark.slow
@pytest.mark.skipif(not SEED.is_file(), reason="the seed essay is not on this machine")
def test_import_seed_text(new_book, tmp_path):
    result = run_cli("import", str(SEED), "--book", str(new_book))
    assert result.returncode == 0, result.stderr
    assert "epigraphs: 2" in result.stdout and "figures: 3 (3 without an image file)" in result.stdout
    assert "images/from-chomsky-to-marx-2.jpg" in result.stdout and "no author" in result.stdout
    essay = new_book / "essays" / "from-chomsky-to-marx.md"
    meta, body = front_matter_and_body(essay)
    assert meta["title"] == "From Chomsky to Marx" and meta["subtitle"] == "Why I Joined the IMT"
    assert meta["standfirst"].startswith("An ongoing series on membership in the IMT")
    assert body.lstrip().startswith("> A revolutionary organization is not the prototype")
    assert "> — Leon Trotsky, History of the Russian Revolution" in body
    assert "> — Alan Woods, Marx versus Bakunin" in body
    assert body.count("<!-- TODO figure") == 3
    assert "![Revolutionary Philosophy of Marxism Book Cover](../images/from-chomsky-to-marx-1.jpg)" in body
    assert "/ Image: Σ, Wikimedia Commons" in body
    assert "As Alan Woods explains in Marx versus Bakunin:\n\n> In reality, anarchist organizations" in body
    assert "/// aside | call-to-action\n**Are you a communist?**\nThen apply to join your party!\n///" in body
    toml = (new_book / "book.toml").read_text()
    assert '"essays/from-chomsky-to-marx.md"' in toml and "# A book in parts lists" in toml

    build_epub(new_book, tmp_path / "out")
    xhtml = essay_xhtml(tmp_path / "out", "from-chomsky-to-marx")
    assert xhtml.count('epub:type="epigraph"') == 2 and "Why I Joined the IMT" in xhtml
    assert "call-to-action" in xhtml

    again = run_cli("import", str(SEED), "--book", str(new_book))
    assert again.returncode == 2 and "--force" in again.stderr
    assert run_cli("import", str(SEED), "--book", str(new_book), "--force").returncode == 0
    assert (new_book / "book.toml").read_text().count("from-chomsky-to-marx.md") == 1


def make_docx(path: Path, image: Path) -> Path:
    """A contributor's Word file, made with python-docx; the footnote is added to the XML by hand
    (python-docx cannot write footnotes)."""
    import re
    import docx
    from docx.shared import Inches

    d = docx.Document()
    d.core_properties.author = "python-docx"
    d.add_paragraph("Reading Capital on the Night Shift", style="Title")
    d.add_paragraph("By Amara Okafor")
    d.add_paragraph("The emancipation of the working classes must be conquered by the working classes themselves.",
                    style="Quote")
    d.add_paragraph("— Karl Marx, General Rules of the International", style="Quote")
    d.add_paragraph("Freedom is always the freedom of the one who thinks differently.", style="Quote")
    d.add_paragraph("— Rosa Luxemburg, The Russian Revolution")  # the attribution in the Normal style
    p = d.add_paragraph("I read ")
    p.add_run("Capital").italic = True
    p.add_run(" between two rounds on the ward.")
    p.add_run("FOOTNOTE1")
    d.add_heading("The reading group", level=2)
    d.add_paragraph("As the old pamphlet puts it:")
    d.add_paragraph("Knowledge is power, and the bosses know it.", style="Intense Quote")
    d.add_picture(str(image), width=Inches(3))
    d.add_paragraph("Night shift at the county hospital. / Photo: Lena Park", style="Caption")
    d.add_paragraph("The end of the essay.")
    d.save(path)

    with zipfile.ZipFile(path) as z:
        files = {n: z.read(n) for n in z.namelist()}
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    files["word/document.xml"] = re.sub(
        rb"<w:r>(<w:rPr>.*?</w:rPr>)?<w:t>FOOTNOTE1</w:t></w:r>",
        b'<w:r><w:footnoteReference w:id="1"/></w:r>', files["word/document.xml"])
    assert b"footnoteReference" in files["word/document.xml"]
    files["word/footnotes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{w}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="1"><w:p><w:r><w:t>The 1867 edition, in the Penguin translation.</w:t></w:r></w:p></w:footnote>'
        "</w:footnotes>").encode()
    files["word/_rels/document.xml.rels"] = files["word/_rels/document.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdFootnotes1" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>')
    files["[Content_Types].xml"] = files["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.wordprocessingml.footnotes+xml"/></Types>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return path


@pytest.mark.slow
def test_import_docx(new_book, tmp_path):
    from PIL import Image
    picture = tmp_path / "ward.png"
    Image.new("RGB", (600, 400), (150, 28, 32)).save(picture)
    source = make_docx(tmp_path / "Okafor final v3.docx", picture)

    result = run_cli("import", str(source), "--book", str(new_book))
    assert result.returncode == 0, result.stderr
    assert "epigraphs: 2" in result.stdout and "figures: 1" in result.stdout and "notes: 1" in result.stdout
    assert "no alt text" in result.stdout  # python-docx writes no description
    essay = new_book / "essays" / "reading-capital-on-the-night-shift.md"
    meta, body = front_matter_and_body(essay)
    assert meta["title"] == "Reading Capital on the Night Shift"
    assert meta["authors"] == [{"name": "Amara Okafor"}]
    assert body.lstrip().startswith("> The emancipation of the working classes")
    assert "> — Karl Marx, General Rules of the International" in body
    assert "> Freedom is always the freedom of the one who thinks differently.\n> — Rosa Luxemburg, The Russian" in body
    assert "I read *Capital* between two rounds on the ward.[^1]" in body
    assert "## The reading group" in body
    assert "As the old pamphlet puts it:\n\n> Knowledge is power, and the bosses know it." in body
    image = next((new_book / "images").glob("reading-capital-on-the-night-shift-1.png"))
    assert image.read_bytes() == picture.read_bytes()
    assert f"(../images/{image.name})\nNight shift at the county hospital. / Photo: Lena Park" in body
    assert "[^1]: The 1867 edition, in the Penguin translation." in body

    build_epub(new_book, tmp_path / "out")
    xhtml = essay_xhtml(tmp_path / "out", "reading-capital-on-the-night-shift")
    assert xhtml.count('epub:type="epigraph"') == 2 and 'epub:type="footnote"' in xhtml
    assert "Lena Park" in xhtml and "<em>Capital</em>" in xhtml


@pytest.mark.slow
def test_import_saved_web_article(new_book, tmp_path):
    import shutil
    from PIL import Image
    page_dir = tmp_path / "saved"
    shutil.copytree(Path(__file__).parent / "fixtures" / "saved-article", page_dir)
    (page_dir / "card-by-card_files").mkdir()
    Image.new("RGB", (800, 500), (40, 36, 34)).save(page_dir / "card-by-card_files" / "depot.jpg")

    result = run_cli("import", str(page_dir / "card-by-card.html"), "--book", str(new_book))
    assert result.returncode == 0, result.stderr
    assert "epigraphs: 1" in result.stdout and "figures: 2 (1 without an image file)" in result.stdout
    assert "notes: 1" in result.stdout and "is on the web: it was not downloaded" in result.stdout and "&secret;" in result.stdout
    meta, body = front_matter_and_body(new_book / "essays" / "card-by-card.md")
    assert meta["title"] == "Card by Card" and meta["subtitle"] == "Why I Joined the IMT"
    assert meta["authors"] == [{"name": "Tomasz Wróbel"}]
    assert str(meta["date"]) == "2025-01-20" and meta["standfirst"].startswith("An ongoing series")
    assert meta["original"] == {"name": "Red Lantern Bulletin", "date": meta["date"],
                                "url": "https://bulletin.redlantern.example/2025/01/card-by-card/"}
    assert body.lstrip().startswith("> Power concedes nothing without a demand.")
    assert "> — Frederick Douglass, *West India Emancipation*" in body
    for chrome in ("News", "Search", "cookies", "Share on X", "inbox", "Related", "Great article", "All rights",
                   "trackEverything", "loadComments", "By Tomasz", "root:", "&secret;"):
        assert chrome not in body, chrome
    assert "named Andre.[^1] I signed it" in body and "[^1]: Andre later became the steward of the depot." in body
    assert "*not a speech*" in body and "[our report on the heat](https://bulletin.redlantern.example/heat)" in body
    assert ("![Drivers gathered at the depot gate before dawn](../images/card-by-card-1.jpg)\n"
            "The depot gate at the start of the morning shift. / Photo: Ana Ruiz") in body
    assert (new_book / "images" / "card-by-card-1.jpg").is_file()
    assert "<!-- TODO figure 2" in body and "The rally after the vote. / Image: Red Lantern Bulletin" in body
    assert "## Making lists" in body and "told us:\n\n> A union is not a card" in body

    build_epub(new_book, tmp_path / "out")
    xhtml = essay_xhtml(tmp_path / "out", "card-by-card")
    assert 'epub:type="epigraph"' in xhtml and "Ana Ruiz" in xhtml and 'epub:type="footnote"' in xhtml


def test_import_bad_input_exits_2_and_writes_nothing(new_book, tmp_path):
    toml_before = (new_book / "book.toml").read_text()
    (tmp_path / "draft.docx").write_text("not a zip")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 workers\n".encode("latin-1"))
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4")
    for name, message in (("draft.docx", "is not a Word .docx file"), ("latin1.txt", "is not valid UTF-8"),
                          ("scan.pdf", "cannot import .pdf files"), ("missing.txt", "not found")):
        result = run_cli("import", str(tmp_path / name), "--book", str(new_book))
        assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert (new_book / "book.toml").read_text() == toml_before
    assert sorted(p.name for p in (new_book / "essays").iterdir()) == ["example.md"]


def test_import_house_markdown_copies_its_images(new_book, tmp_path):
    from PIL import Image
    (tmp_path / "pics").mkdir()
    Image.new("RGB", (300, 200), (40, 36, 34)).save(tmp_path / "pics" / "mill.jpg")
    (tmp_path / "mill.md").write_text('''---
title: "What the Mill Taught Us"
author:
  name: "Ruth Kowalczyk"
  bio: "Ruth Kowalczyk worked at the mill for thirty years."
lang: en
---

> Solidarity forever.
> — Ralph Chaplin, *Solidarity Forever*

![The mill at night](pics/mill.jpg)
The mill. / Photo: Ruth Kowalczyk

Text.[^a]

[^a]: A note.
''')
    result = run_cli("import", str(tmp_path / "mill.md"), "--book", str(new_book))
    assert result.returncode == 0, result.stderr
    assert "epigraphs: 1" in result.stdout and "figures: 1" in result.stdout and "notes: 1" in result.stdout
    meta, body = front_matter_and_body(new_book / "essays" / "what-the-mill-taught-us.md")
    assert meta == {"title": "What the Mill Taught Us", "lang": "en", "author": {
        "name": "Ruth Kowalczyk", "bio": "Ruth Kowalczyk worked at the mill for thirty years."}}
    assert "![The mill at night](../images/what-the-mill-taught-us-1.jpg)\nThe mill. / Photo: Ruth" in body
    assert (new_book / "images" / "what-the-mill-taught-us-1.jpg").is_file()
    assert run_cli("check", str(new_book), "--no-build").returncode == 0


@pytest.mark.skipif(not SEED.is_file(), reason="the seed essay is not on this machine")
def test_import_into_a_book_in_parts_keeps_book_toml_as_written(book_copy):
    toml = book_copy / "book.toml"
    before = toml.read_text()
    result = run_cli("import", str(SEED), "--book", str(book_copy), "--force")  # replaces the sample's own essay
    assert result.returncode == 0 and "already in the contents" in result.stdout, result.stderr
    assert toml.read_text() == before
    result = run_cli("import", str(SEED), "--book", str(book_copy), "--title", "Another Road: Why I Joined")
    assert result.returncode == 0, result.stderr
    listed = 'essays = ["essays/card-by-card.md", "essays/what-the-mill-taught-us.md"]'
    assert listed in before
    assert toml.read_text() == before.replace(listed, 'essays = [\n    "essays/card-by-card.md",\n'
                                              '    "essays/what-the-mill-taught-us.md",\n    "essays/another-road.md",\n]')


def test_import_page_without_charset_is_read_as_utf8(new_book, tmp_path):
    page = tmp_path / "bare.htm"
    page.write_text("<html><head><title>Bare Page – Some Blog</title></head><body><div id=menu>Home</div>"
                    "<blockquote><p>Solidarity forever.</p><p>— Ralph Chaplin, Solidarity Forever</p></blockquote>"
                    "<p>Café workers said 1 < 2 and *not* more.</p></body></html>", encoding="utf-8")
    result = run_cli("import", str(page), "--book", str(new_book), "--author", "Jo Bloggs")
    assert result.returncode == 0, result.stderr
    meta, body = front_matter_and_body(new_book / "essays" / "bare-page.md")
    assert meta["title"] == "Bare Page" and meta["authors"] == [{"name": "Jo Bloggs"}]
    assert body.lstrip().startswith("> Solidarity forever.\n> — Ralph Chaplin, Solidarity Forever")
    assert "Café workers said 1 &lt; 2 and \\*not\\* more." in body and "Home" not in body
