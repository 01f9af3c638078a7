"""What a manuscript carries besides prose, made by real producers and imported: section breaks, tables, lists,
smart quotes, no-break spaces, italics, small capitals and passages in another language (pandoc's .docx and
.odt, and LibreOffice's .docx made from pandoc's .odt); comments and tracked changes (LibreOffice's .odt and
.docx, converted from a flat OpenDocument file written here by hand: neither pandoc nor LibreOffice makes a
comment or a tracked change from a command line, but LibreOffice writes each in its own format's XML as Word
and Writer do)."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import run_cli
from manuscripts import libreoffice

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("pandoc") is None or shutil.which("soffice") is None,
                                 reason="pandoc and LibreOffice make the manuscripts: ./dev installs them")]

FEATURES = """---
title: Features
author: Ana Ruiz
---

The “first” part, with *italics*, [small capitals]{.smallcaps}, a no-break space in 10\u00a0kg and
[Proletarier aller Länder]{lang=de} inside a sentence.

* * *

After the break, as [the minutes](../minutes.docx) say, and [the first part](first-part.md).

| Shift | Workers |
|-------|--------:|
| Early | 62 |
| Late | 30 |

- one
    - one a
    - one b
- two

+-------+--------+
| Cell  | Other  |
+=======+========+
| first |  2     |
|       |        |
| again |        |
+-------+--------+

1. first
2. second

::: {lang=fr}
Une phrase entière en français.
:::
"""

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"')
INFO = ("<office:change-info><dc:creator>Ana Ruiz</dc:creator><dc:date>2024-05-02T10:00:00</dc:date>"
        "</office:change-info>")


def flat_odt(body: str, styles: str = "", automatic: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {NS} office:version="1.3" '
            f'office:mimetype="application/vnd.oasis.opendocument.text"><office:styles>{styles}</office:styles>'
            f'<office:automatic-styles>{automatic}</office:automatic-styles><office:body><office:text>'
            f'<text:p text:style-name="Title">Edited</text:p>{body}</office:text></office:body></office:document>')


# As a writer sets them in Writer: a Byline and an Epigraph paragraph style of their own, a paragraph whose
# language is German (its paragraph style), a French phrase in italics, small capitals, an empty Horizontal Line.
WRITER = flat_odt(
    '<text:p text:style-name="Byline">By Ana Ruiz</text:p>'
    '<text:p text:style-name="Epigraph">Bread and roses. — James Oppenheim</text:p>'
    '<text:p text:style-name="Text_20_body">The text, with <text:span text:style-name="T1">la belle époque</text:span>'
    ' and <text:span text:style-name="T2">small capitals</text:span>.</text:p>'
    '<text:p text:style-name="Horizontal_20_Line"/>'
    '<text:p text:style-name="P1">Proletarier aller Länder, vereinigt euch!</text:p>'
    '<text:p text:style-name="Text_20_body">The end.<text:note text:id="n1" text:note-class="endnote">'
    '<text:note-citation>i</text:note-citation><text:note-body>'
    '<text:p text:style-name="Endnote">An endnote of two paragraphs.</text:p>'
    '<text:p text:style-name="Quotations">A quotation in the endnote.</text:p>'
    '<text:p text:style-name="Endnote">Its last paragraph.</text:p></text:note-body></text:note></text:p>',
    styles='<style:default-style style:family="paragraph"><style:text-properties fo:language="en" fo:country="GB"/>'
           '</style:default-style>'
           '<style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph"/>'
           '<style:style style:name="Horizontal_20_Line" style:display-name="Horizontal Line" '
           'style:family="paragraph"/>'
           '<style:style style:name="Byline" style:family="paragraph" style:parent-style-name="Text_20_body"/>'
           '<style:style style:name="Endnote" style:family="paragraph"/>'
           '<style:style style:name="Quotations" style:family="paragraph"/>'
           '<style:style style:name="Epigraph" style:family="paragraph" style:parent-style-name="Text_20_body"/>',
    automatic='<style:style style:name="P1" style:family="paragraph" style:parent-style-name="Text_20_body">'
              '<style:text-properties fo:language="de" fo:country="DE"/></style:style>'
              '<style:style style:name="T1" style:family="text"><style:text-properties fo:font-style="italic" '
              'fo:language="fr" fo:country="FR"/></style:style>'
              '<style:style style:name="T2" style:family="text"><style:text-properties fo:font-variant="small-caps"/>'
              '</style:style>')


COMMENTED = flat_odt(
    '<text:p text:style-name="Text_20_body">The strike began on a <office:annotation office:name="c1">'
    '<dc:creator>Tomasz Wróbel</dc:creator><dc:date>2024-05-02T10:00:00</dc:date>'
    '<text:p>Check this date against the minutes.</text:p></office:annotation>Tuesday'
    '<office:annotation-end office:name="c1"/> in March.</text:p>')
TRACKED = flat_odt(
    '<text:tracked-changes><text:changed-region text:id="ct1"><text:deletion>' + INFO +
    '<text:p>struck-out words</text:p></text:deletion></text:changed-region>'
    '<text:changed-region text:id="ct2"><text:insertion>' + INFO + '</text:insertion></text:changed-region>'
    '</text:tracked-changes>'
    '<text:p text:style-name="Text_20_body">The kept text <text:change text:change-id="ct1"/>and '
    '<text:change-start text:change-id="ct2"/>the inserted words<text:change-end text:change-id="ct2"/>.</text:p>')


# An essay typed in English on a machine set to German: the default language is German, the paragraphs say
# English (their style), one italic word says German again.
GERMAN_MACHINE = flat_odt(
    '<text:p text:style-name="P1">An essay typed in English, with one <text:span text:style-name="T1">Wort</text:span>'
    ' in German.</text:p><text:p text:style-name="P1">A second English paragraph.</text:p>',
    styles='<style:default-style style:family="paragraph"><style:text-properties fo:language="de" fo:country="DE"/>'
           '</style:default-style>'
           '<style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph"/>',
    automatic='<style:style style:name="P1" style:family="paragraph" style:parent-style-name="Text_20_body">'
              '<style:text-properties fo:language="en" fo:country="GB"/></style:style>'
              '<style:style style:name="T1" style:family="text"><style:text-properties fo:font-style="italic" '
              'fo:language="de" fo:country="DE"/></style:style>')


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("features")
    (out / "features.md").write_text(FEATURES, encoding="utf-8")
    for suffix in ("docx", "odt"):
        subprocess.run(["pandoc", "features.md", "-o", f"features.{suffix}"], cwd=out, check=True)
    (out / "commented.fodt").write_text(COMMENTED, encoding="utf-8")
    (out / "tracked.fodt").write_text(TRACKED, encoding="utf-8")
    (out / "writer.fodt").write_text(WRITER, encoding="utf-8")
    (out / "german.fodt").write_text(GERMAN_MACHINE, encoding="utf-8")
    flat = [out / f"{name}.fodt" for name in ("commented", "tracked", "writer", "german")]
    lo = libreoffice([out / "features.odt", *flat], out / "lo")
    lo += libreoffice(flat, out / "lo", "odt")
    return {"pandoc.docx": out / "features.docx", "pandoc.odt": out / "features.odt", "libreoffice.docx": lo[0],
            "commented.docx": lo[1], "tracked.docx": lo[2], "writer.docx": lo[3], "german.docx": lo[4],
            "commented.odt": lo[5], "tracked.odt": lo[6], "writer.odt": lo[7], "german.odt": lo[8]}


@pytest.fixture
def book(tmp_path) -> Path:
    assert run_cli("new", str(tmp_path / "book")).returncode == 0
    return tmp_path / "book"


def imported(source: Path, book: Path, *options: str) -> tuple[str, str]:
    result = run_cli("import", str(source), "--book", str(book), *options)
    assert result.returncode == 0, result.stderr
    essay = Path(re.search(r" as (\S+\.md), listed", result.stdout).group(1))
    return essay.read_text(encoding="utf-8").split("---\n", 2)[2], result.stdout


@pytest.mark.parametrize("form", ["pandoc.docx", "pandoc.odt", "libreoffice.docx"])
def test_breaks_tables_lists_quotes_and_languages(made, book, form):
    body, report = imported(made[form], book)
    assert "The “first” part, with *italics*," in body  # smart quotes and italics kept
    assert '<span style="font-variant: small-caps">small capitals</span>' in body
    assert "10\u00a0kg" in body  # the no-break space kept
    assert "\n\n* * *\n\nAfter the break," in body  # the section break, as the house writes it
    assert "| Shift | Workers |\n|---|---|\n| Early | 62 |\n| Late | 30 |" in body
    assert "- one\n    - one a\n    - one b\n- two" in body and "1. first\n2. second" in body
    assert "| Cell | Other |\n|---|---|\n| first<br>again | 2 |" in body  # a cell of two paragraphs
    if form != "pandoc.docx":  # pandoc 2.17's .docx writer writes no language on runs
        assert '<span lang="de">Proletarier aller Länder</span> inside a sentence' in body
        assert "Une phrase entière en français.\n{: lang=fr }" in body
    else:
        assert "Proletarier aller Länder inside a sentence" in body and "Une phrase entière en français." in body
    assert "as the minutes say, and [the first part](first-part.md)." in body  # another essay of the book
    eye = report.partition("Needs the editor's eye:\n")[2].splitlines()
    assert len(eye) == 1 and re.match(r"  - the link on 'the minutes' to \S*minutes\.docx was left out \(its words "
                                      r"are kept\)", eye[0])  # a file on the writer's machine: only that


@pytest.mark.parametrize("suffix", ["docx", "odt"])
def test_comments_are_listed_for_the_editor_never_printed(made, book, suffix):
    body, report = imported(made[f"commented.{suffix}"], book)
    assert "The strike began on a Tuesday in March." in body and "minutes" not in body
    eye = report.partition("Needs the editor's eye:\n")[2]
    assert '- comment by Tomasz Wróbel on "Tuesday": Check this date against the minutes.' in eye


@pytest.mark.parametrize("suffix", ["docx", "odt"])
def test_tracked_changes_are_refused_unless_accepted(made, book, suffix):
    source = made[f"tracked.{suffix}"]
    refused = run_cli("import", str(source), "--book", str(book))
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert str(source) in refused.stderr and "tracked change" in refused.stderr
    assert "--accept-changes" in refused.stderr and not list((book / "essays").glob("edited*"))
    body, _ = imported(source, book, "--accept-changes")
    assert "The kept text and the inserted words." in body and "struck-out" not in body


@pytest.mark.parametrize("suffix", ["docx", "odt"])
def test_writers_own_styles_and_languages(made, book, suffix):
    """Writer's own .odt and .docx: a custom Byline and Epigraph style, a paragraph in German (set on its
    paragraph style in the .odt, on its runs in the .docx), a French phrase in italics, small capitals, an
    endnote of several paragraphs with a quotation in it."""
    body, report = imported(made[f"writer.{suffix}"], book)
    assert "author: Ana Ruiz" in report and "Ana Ruiz" not in body  # the byline left the body
    assert "epigraphs: 1" in report and body.lstrip().startswith("> Bread and roses.\n> — James Oppenheim\n\n")
    assert "The text, with *la belle époque*{: lang=fr }" in body  # fr-FR, as an editor writes it
    assert '<span style="font-variant: small-caps">small capitals</span>.' in body
    assert "\n\n* * *\n\nProletarier aller Länder, vereinigt euch!\n{: lang=de }" in body
    assert "Needs the editor's eye" not in report
    assert "The end.[^1]\n\n[^1]: An endnote of two paragraphs.\n\n    > A quotation in the endnote.\n\n" \
           "    Its last paragraph." in body and "notes: 1" in report


@pytest.mark.parametrize("suffix", ["docx", "odt"])
def test_the_essays_language_is_the_one_its_text_is_in(made, book, suffix):
    """Marks are for what is in another language than the essay, not than the machine it was typed on."""
    body, report = imported(made[f"german.{suffix}"], book, "--author", "Ana Ruiz")
    assert "An essay typed in English, with one *Wort*{: lang=de } in German.\n\nA second English paragraph.\n" \
        in body and "lang=en" not in body
    assert "Needs the editor's eye" not in report  # --author answered the request for an author
