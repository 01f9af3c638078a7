"""The book's language drives the words the builder writes, and the typography of its text.

A small French book is made in the test and built for real: its print PDF (pdftotext), its EPUB (the nav's
landmarks, an essay's text) and a `[words]` override are judged; every catalogue has every English key;
French punctuation gets its narrow no-break spaces; a 90-character title's running head fits on one line.
"""
from __future__ import annotations

import re
import subprocess
import tomllib
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import pdf_pages_text, run_cli

LOCALES = Path(__file__).resolve().parents[1] / "styles" / "locales"
NNBSP = "\u202f"

FRENCH_BOOK = '''title = "Pourquoi nous avons adhéré"
language = "fr"
editors = ["Claire Dubois", "Marc Lefèvre"]
publisher = "Éditions de la Lanterne"
description = "Des travailleuses et des travailleurs racontent pourquoi ils ont adhéré."
date = 2021-01-15
{extra}

[editions.print]
trim = "5x8in"

[cover]
credit = "Photo : Agence Lumière"

[contents]
[[contents.parts]]
title = "Quitter les vieilles idées"
essays = ["essays/premier.md"]

[[contents.parts]]
title = "Ramer dans le même sens"
essays = ["essays/second.md"]
'''

FRENCH_ESSAY = '''---
title: "{title}"
author: "{author}"
original:
  name: "Révolution"
  date: 2020-05-01
---

Pourquoi adhérer ? Parce que la question se pose; et elle se pose : ici, maintenant ! Il l'a dit : "nous
gagnerons". Déjà écrit ainsi{nbsp}? Alors rien ne change.

{more}
'''

PARAGRAPH = ("La classe ouvrière n'a pas d'autre choix que de s'organiser, de lire, de débattre et de lutter "
             "pour comprendre le monde qu'elle veut transformer, jour après jour, usine après usine. ")


def make_french_book(root: Path, extra: str = "", first_title: str = "Le premier pas") -> Path:
    (root / "essays").mkdir(parents=True)
    (root / "book.toml").write_text(FRENCH_BOOK.format(extra=extra), encoding="utf-8")
    for name, title, author in (("premier", first_title, "Jeanne Martin"), ("second", "Le second souffle",
                                                                            "Paul Girard")):
        (root / "essays" / f"{name}.md").write_text(FRENCH_ESSAY.format(
            title=title, author=author, nbsp="\u00a0", more="\n\n".join([PARAGRAPH * 4] * 6)), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def french(tmp_path_factory):
    root = make_french_book(tmp_path_factory.mktemp("fr") / "livre")
    out = root.parent / "out"
    built = run_cli("build", str(root), "--out", str(out), "--jobs", "1")
    assert built.returncode == 0, built.stderr
    assert "warning" not in built.stderr, built.stderr
    return out


def epub_member(epub: Path, suffix: str) -> str:
    with zipfile.ZipFile(epub) as z:
        return z.read(next(n for n in z.namelist() if n.endswith(suffix))).decode("utf-8")


def test_every_catalogue_has_every_english_key_with_its_type():
    english = tomllib.loads((LOCALES / "en.toml").read_text(encoding="utf-8"))
    catalogues = sorted(LOCALES.glob("*.toml"))
    assert {p.stem for p in catalogues} >= {"en", "fr", "de", "es", "it"}
    for path in catalogues:
        words = tomllib.loads(path.read_text(encoding="utf-8"))
        assert set(words) == set(english), (path.name, set(english) ^ set(words))
        for key, value in english.items():
            assert type(words[key]) is type(value), (path.name, key)
            if isinstance(value, (list, dict)):
                assert len(words[key]) == len(value), (path.name, key)
                if isinstance(value, dict):
                    assert set(words[key]) == set(value), (path.name, key)


@pytest.mark.parametrize("lang, part, date", [
    ("en", "Part One", "January 2021"), ("fr", "Première partie", "janvier 2021"),
    ("de", "Erster Teil", "Januar 2021"), ("es", "Primera parte", "enero de 2021"), ("it", "Parte prima", "gennaio 2021"),
    ("fr-CA", "Première partie", "janvier 2021"), ("de-AT", "Erster Teil", "Januar 2021"),
])
def test_part_labels_and_dates_in_each_language(lang, part, date):
    import datetime as dt

    from bookbuilder.house import house_dir
    from bookbuilder.words import Words, resolve

    words = Words(resolve([house_dir()], lang)[0], lang)
    assert words.part_label(1) == part
    assert words.month_year(dt.date(2021, 1, 15)) == date
    assert words.part_label(25).endswith("25")


@pytest.mark.slow
def test_french_print_edition_speaks_french(french):
    pages = pdf_pages_text(next(french.glob("*-print.pdf")))
    text = "\n".join(pages)
    squashed = re.sub(r"\s+", "", text)  # letter-spaced small capitals come out of pdftotext as 'C r é d i t s'
    for english in ("Contents", "Contributors", "Image Credits", "Edited by", "Part One", "First edition",
                    "First published", "January", "Cover:"):
        assert english not in text and re.sub(r"\s+", "", english) not in squashed, english
    pages = [" ".join(p.split()) for p in pages]
    squashed_pages = [re.sub(r"\s+", "", p) for p in pages]
    assert any("Tabledesmatières" in p for p in squashed_pages)
    assert any("Contributeurs" in p and "JeanneMartin" in p for p in squashed_pages)
    assert any("Créditsdesimages" in p and "AgenceLumière" in p for p in squashed_pages)
    assert any("Premièrepartie" in p for p in squashed_pages) and any("Deuxièmepartie" in p for p in squashed_pages)
    assert any("Sous la direction de" in p for p in pages)
    copyright_page = next(p for p in pages if "ISBN" in p or "Première édition" in p)
    assert "Première édition, janvier 2021" in copyright_page
    assert any("Paru dans Révolution le 1er mai 2020." in p for p in pages)


@pytest.mark.slow
def test_french_epub_nav_and_notes_speak_french(french):
    epub = next(french.glob("*.epub"))
    nav = etree.fromstring(epub_member(epub, "nav.xhtml").encode())
    ns = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
    landmarks = nav.xpath("//x:nav[@epub:type='landmarks']", namespaces=ns)[0]
    assert landmarks.xpath("string(x:h2)", namespaces=ns) == "Repères"
    labels = [a.text for a in landmarks.xpath(".//x:a", namespaces=ns)]
    assert "Table des matières" in labels and "Début du texte" in labels
    assert nav.xpath("string(//x:nav[@epub:type='toc']/x:h2)", namespaces=ns) == "Table des matières"
    page_list = nav.xpath("//x:nav[@epub:type='page-list']", namespaces=ns)
    assert page_list and page_list[0].xpath("string(x:h2)", namespaces=ns) == "Liste des pages"
    everything = etree.tostring(nav, encoding="unicode")
    for english in ("Landmarks", "Table of Contents", "Start of", "Page list", ">Contents<", "Guide"):
        assert english not in everything, english
    title = epub_member(epub, "title.xhtml")
    assert 'aria-label="Page de titre"' in title
    assert "Sous la direction de Claire Dubois et Marc Lefèvre" in re.sub(r"<[^>]+>", "", title)  # names in spans
    assert "Première édition, janvier 2021" in epub_member(epub, "copyright.xhtml")


@pytest.mark.slow
def test_french_punctuation_gets_narrow_no_break_spaces(french):
    essay = epub_member(next(french.glob("*.epub")), "premier.xhtml")
    text = re.sub(r"<[^>]+>", "", essay)
    assert f"adhérer{NNBSP}?" in text
    assert f"se pose{NNBSP};" in text and f"se pose{NNBSP}:" in text and f"maintenant{NNBSP}!" in text
    assert f"«{NNBSP}nous" in text and f"gagnerons{NNBSP}»" in text  # straight quotes become guillemets
    assert "ainsi\u00a0?" in text  # the author's own no-break space is kept, not doubled
    assert not re.search(r"[ \u00a0]\u202f|\u202f[ \u00a0\u202f]", text)
    assert "http" not in text or "http\u202f:" not in text


@pytest.mark.slow
def test_a_words_table_overrides_one_label(tmp_path):
    root = make_french_book(tmp_path / "livre", extra='[words]\ncontents = "Sommaire"')
    built = run_cli("build", str(root), "--out", str(tmp_path / "out"), "--edition", "print", "--jobs", "1")
    assert built.returncode == 0, built.stderr
    text = "\n".join(pdf_pages_text(next((tmp_path / "out").glob("*-print.pdf"))))
    squashed = re.sub(r"\s+", "", text)  # letter-spaced small capitals: 'S o m m a i r e'
    assert "Sommaire" in squashed and "Tabledesmatières" not in squashed
    assert "Contributeurs" in squashed  # the rest stays the catalogue's


@pytest.mark.slow
def test_an_unknown_words_key_is_an_error_with_a_suggestion(tmp_path):
    root = make_french_book(tmp_path / "livre", extra='[words]\ncontnets = "Sommaire"\npart_ordinals = ["Une"]')
    built = run_cli("build", str(root), "--out", str(tmp_path / "out"))
    assert built.returncode == 2
    assert "book.toml:8: words.contnets: unknown key" in built.stderr and "did you mean 'contents'?" in built.stderr
    assert "book.toml:9: words.part_ordinals: expected a list of 20 strings" in built.stderr
    assert "Traceback" not in built.stderr


@pytest.mark.slow
def test_an_unknown_language_falls_back_to_english_with_a_warning(tmp_path):
    root = make_french_book(tmp_path / "livre")
    toml = root / "book.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('language = "fr"', 'language = "tlh"'), encoding="utf-8")
    built = run_cli("build", str(root), "--out", str(tmp_path / "out"), "--edition", "epub", "--jobs", "1")
    assert built.returncode == 0, built.stderr
    assert re.search(r"book\.toml:2: language = 'tlh': .*English is used", built.stderr), built.stderr
    assert "Contents" in epub_member(next((tmp_path / "out").glob("*.epub")), "nav.xhtml")


def running_head_lines(pdf: Path, page: int) -> list[tuple[float, float, float, str]]:
    """(xMin, xMax, yMin, text) of each line at the head of a page, from pdftotext -bbox-layout."""
    html = subprocess.run(["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    tree = etree.fromstring(html.encode(), etree.HTMLParser(encoding="utf-8"))
    lines = []
    for line in tree.iter("line"):
        words = line.findall("word")
        lines.append((float(line.get("xmin")), float(line.get("xmax")), float(line.get("ymin")),
                      " ".join(w.text for w in words)))
    return sorted(lines, key=lambda l: l[2])


@pytest.mark.slow
def test_a_long_title_gives_a_one_line_running_head_ending_in_an_ellipsis(tmp_path):
    long_title = ("On Certain Modern Writers and the Institution of the Family, with Notes on Some Others Too")
    assert len(long_title) == 90
    root = make_french_book(tmp_path / "livre", first_title=long_title)
    built = run_cli("build", str(root), "--out", str(tmp_path / "out"), "--edition", "print", "--jobs", "1")
    assert built.returncode == 0, built.stderr
    pdf = next((tmp_path / "out").glob("*-print.pdf"))
    pages = pdf_pages_text(pdf)
    recto = next(n for n, p in enumerate(pages, 1) if n % 2 and n > 1 and p.strip().startswith("On Certain")
                 and "Jeanne Martin" not in p)
    lines = running_head_lines(pdf, recto)
    top = lines[0][2]
    head_lines = [l for l in lines if l[2] < top + 8 and not l[3].isdigit()]  # the folio is a line of its own
    body = [l for l in lines if l[2] >= top + 8]
    assert len(head_lines) == 1, head_lines
    head = head_lines[0]
    assert head[3].startswith("On Certain Modern") and head[3].endswith("…"), head
    assert body[0][2] - top > 12, "the line under the head is the text block's, not the head's second line"
    text_left = min(b[0] for b in body)
    text_right = max(b[1] for b in body)
    assert text_left - 1 <= head[0] and head[1] <= text_right + 1


@pytest.mark.slow
def test_french_cover_release_page_and_offprints_speak_french(tmp_path, monkeypatch):
    from bookbuilder.checks.registry import EDITION_CHECKS, load_checks
    from bookbuilder.release import release

    load_checks()
    monkeypatch.setitem(EDITION_CHECKS, "epub", [])  # EPUBCheck and Ace judge the French EPUB elsewhere
    root = make_french_book(tmp_path / "livre")
    done = release(root, tmp_path / "out")
    page = (done.folder / "index.html").read_text(encoding="utf-8")
    words_of_page = re.sub(r"<span[^>]*>|</span>", "", page)  # each name is a span of its own
    for french in ("Sous la direction de Claire Dubois et Marc Lefèvre", "À propos du livre", "Télécharger le livre",
                   "Table des matières", "Tiré à part (PDF,", "Première partie", " Ko", "Accessibilité",
                   "Cet EPUB recomposable"):
        assert french in words_of_page, french
    text = re.sub(r"<[^>]+>", " ", page)
    for english in ("Edited by", "Download the book", "Contents", "Offprint", " KB", "About the book", "built",
                    "This reflowable"):
        assert english not in text, english
    assert ">Accessibility<" not in page  # the standard's name, "EPUB Accessibility 1.1", stays as it is
    cover = next(done.folder.glob("*-cover.pdf"))
    cover_text = " ".join(pdf_pages_text(cover)[0].split())
    assert "Sous la direction de Claire Dubois et Marc Lefèvre" in cover_text and "Edited" not in cover_text
    offprint = done.folder / "offprints" / "premier.pdf"
    opening = " ".join(pdf_pages_text(offprint)[0].split())
    assert "Extrait de Pourquoi nous avons adhéré, Éditions de la Lanterne, 2021" in opening
    assert "From " not in opening


def first_lines(pdf: Path) -> list[str]:
    """Each page's first line of text under its running head and folio."""
    out = []
    for page in pdf_pages_text(pdf):
        lines = [" ".join(l.split()) for l in page.splitlines() if l.strip()]
        out.append(next((l for l in lines[:3] if not re.fullmatch(r"\d+\s*.*|.*\s\d+|Jeanne Martin|Le premier pas", l)),
                        ""))
    return out


@pytest.mark.slow
def test_the_first_published_line_never_stands_alone_at_the_top_of_a_page(tmp_path):
    """With 20 more sentences the essay's text ends at the foot of a page: without the house rule (a book
    stylesheet turns it off) its 'Paru dans' line opens the next page alone; with it, lines come along."""
    def build(name: str, rule_off: bool) -> list[str]:
        root = make_french_book(tmp_path / name)
        essay = root / "essays" / "premier.md"
        essay.write_text(essay.read_text(encoding="utf-8") + "\n\n" + " ".join(
            ["Une phrase de plus pour allonger."] * 20) + "\n", encoding="utf-8")
        if rule_off:
            (root / "styles" / "print").mkdir(parents=True)
            (root / "styles" / "print" / "95-off.css").write_text(".first-published { break-before: auto; }")
        built = run_cli("build", str(root), "--out", str(tmp_path / f"{name}-out"), "--edition", "print",
                        "--jobs", "1")
        assert built.returncode == 0, built.stderr
        return first_lines(next((tmp_path / f"{name}-out").glob("*-print.pdf")))

    assert any(l.startswith("Paru dans") for l in build("off", rule_off=True)), "the case this test is about"
    assert not any(l.startswith("Paru dans") for l in build("house", rule_off=False))


@pytest.mark.slow
def test_a_books_own_catalogue_is_read_over_the_house_one_and_checked(tmp_path):
    from bookbuilder.sources import load_book

    root = make_french_book(tmp_path / "livre")
    locales = root / "styles" / "locales"
    locales.mkdir(parents=True)
    (locales / "fr.toml").write_text('contents = "Sommaire général"\n', encoding="utf-8")
    book = load_book(root)
    assert book.words["contents"] == "Sommaire général" and book.words["contributors"] == "Contributeurs"

    (locales / "fr.toml").write_text('contents = "Sommaire"\nfirst_edition = "Première édition, {mois}"\n'
                                     'imagecredits = "Crédits"\n', encoding="utf-8")
    built = run_cli("build", str(root), "--out", str(tmp_path / "out"))
    assert built.returncode == 2, built.stderr
    assert "styles/locales/fr.toml:2: first_edition: 'Première édition, {mois}' names {mois}" in built.stderr
    assert "this entry can use: {date}" in built.stderr
    assert "styles/locales/fr.toml:3: imagecredits: unknown key" in built.stderr
    assert "did you mean 'image_credits'?" in built.stderr


def test_straight_quotes_become_the_languages_marks_and_typed_ones_stay():
    from bookbuilder.sources.markdown import to_html

    assert to_html('Er sagte "ja".', "de") == "<p>Er sagte „ja“.</p>"
    assert to_html('Dijo "sí".', "es-MX") == "<p>Dijo «sí».</p>"
    assert to_html('He said "yes".', "en-GB") == "<p>He said “yes”.</p>"
    assert to_html('Il a dit “oui” et "non".', "fr") == "<p>Il a dit “oui” et «non».</p>"


def test_an_essays_own_language_decides_its_typography(tmp_path):
    from bookbuilder import transforms
    from bookbuilder.sources import load_book

    root = make_french_book(tmp_path / "livre")
    second = root / "essays" / "second.md"
    second.write_text(second.read_text(encoding="utf-8").replace("---\n\n", "lang: en\n---\n\n", 1), encoding="utf-8")
    book = transforms.apply_all(load_book(root))
    french, english = book.essays
    assert english.lang == "en" and french.lang == "fr"
    assert f"adhérer{NNBSP}?" in french.body_html and "«" in french.body_html
    assert NNBSP not in english.body_html and "adhérer ?" in english.body_html and "“nous" in english.body_html


def test_the_running_head_rule_as_documented():
    from bookbuilder.transforms.running_heads import fit_head, head_budget

    assert head_budget(152.4) == 52 and head_budget(127.0) == 40  # 6×9 in and 5×8 in, as the README says
    title = "On Certain Modern Writers and the Institution of the Family"
    assert fit_head(title, 52) == "On Certain Modern Writers and the Institution…"  # not '… of…'
    assert fit_head("Mr. Bernard Shaw", 52) == "Mr. Bernard Shaw"
    assert fit_head(f"Pourquoi adhérer{NNBSP}? Une question très longue qui ne tient pas", 40) == \
        f"Pourquoi adhérer{NNBSP}? Une question très…"
