"""Issue 12: EPUB ids and file names are valid, unique XML names whatever the essays' file names are."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from conftest import linked_book, run_cli
from bookbuilder.checks.epub import epubcheck_report
from bookbuilder.editions.epub import package_name
from bookbuilder.names import ascii_slug, is_ncname, unique_name, xml_name
from bookbuilder.sources.book import is_reserved

FILE_NAMES = st.text(st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)), min_size=1,
                     max_size=300)


@given(st.lists(FILE_NAMES, min_size=1, max_size=12))
@settings(max_examples=300)
def test_names_from_any_file_names_are_ascii_ncnames_and_unique(stems):
    taken: set[str] = set()
    for stem in stems:  # as load_book names the essays
        slug = unique_name(xml_name(stem), lambda s: s in taken or is_reserved(s))
        assert is_ncname(slug) and slug.isascii() and slug == slug.strip() and " " not in slug, (stem, slug)
        assert len(slug) <= 50
        assert not is_reserved(slug) and slug not in taken
        taken.add(slug)
        heading_id = f"{slug}-{ascii_slug(stem)[:60].strip('-') or 'section'}"  # as transforms/ids.py names ids
        assert is_ncname(heading_id)
    files: list[str] = []
    for stem in stems:  # as the EPUB names its images and fonts
        files.append("images/" + package_name(Path(stem + ".JPG"), files, "image"))
    assert len(set(files)) == len(files)
    assert all(is_ncname(f[len("images/"):-len(".jpg")]) and f.endswith(".jpg") for f in files)


def test_digits_spaces_accents_dots_and_long_names():
    assert xml_name("05-the-same-subject") == "e-05-the-same-subject"
    assert xml_name("2 deux") == "e-2-deux"
    assert xml_name("é.t.é") == "e-t-e"
    assert xml_name("Ελληνικά") == "essay"
    assert len(xml_name("a" * 500)) == 40
    assert unique_name("one", {"one", "one-2"}) == "one-3"


@pytest.mark.slow
def test_real_file_names_build_an_epub_that_passes_epubcheck(tmp_path):
    book = linked_book(tmp_path / "book", names=("01-intro.md", "2 deux.md", "é.t.é.md"))
    out = tmp_path / "out"
    result = run_cli("build", str(book), "--out", str(out), "--edition", "epub", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    epub = out / "linked.epub"
    with zipfile.ZipFile(epub) as z:
        names = z.namelist()
        opf = z.read("EPUB/content.opf").decode()
    assert {"EPUB/text/e-01-intro.xhtml", "EPUB/text/e-2-deux.xhtml", "EPUB/text/e-t-e.xhtml"} <= set(names)
    assert 'id="e-01-intro"' in opf and all(n.isascii() for n in names)
    report = epubcheck_report(epub)
    assert [m["ID"] + " " + m["message"] for m in report["messages"]] == []


@pytest.mark.slow
def test_two_essays_named_alike_and_one_named_like_a_page(tmp_path):
    book = linked_book(tmp_path / "book", names=("01 intro.md", "01-intro.md", "contents.md"))
    result = run_cli("build", str(book), "--out", str(tmp_path / "out"), "--edition", "epub", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "out" / "linked.epub") as z:
        names = set(z.namelist())
    assert {"EPUB/text/e-01-intro.xhtml", "EPUB/text/e-01-intro-2.xhtml", "EPUB/text/contents-2.xhtml"} <= names


@pytest.mark.slow
def test_build_fails_on_an_epub_that_breaks_package_rules(tmp_path):
    """A book's own template that writes a bad id and a dangling link: the self-check refuses, naming both."""
    book = linked_book(tmp_path / "book")
    (book / "styles" / "templates" / "epub").mkdir(parents=True)
    (book / "styles" / "templates" / "epub" / "title.xhtml").write_text(
        '<section id="1st" class="title-page"><h1>{{ book.title }}</h1>'
        '<p><a href="missing.xhtml">gone</a> <a href="e-t-e.xhtml#nowhere">nowhere</a></p></section>')
    result = run_cli("build", str(book), "--out", str(tmp_path / "out"), "--edition", "epub", "--jobs", "1")
    assert result.returncode == 1, result.stdout + result.stderr
    for expected in ("EPUB/text/title.xhtml: the id '1st' is not an XML name",
                     "EPUB/text/title.xhtml: the link 'missing.xhtml' goes to a file that is not in the package",
                     "EPUB/text/title.xhtml: the link 'e-t-e.xhtml#nowhere' goes to no element of "
                     "EPUB/text/e-t-e.xhtml"):
        assert expected in result.stderr, result.stderr
    assert not (tmp_path / "out" / "linked.epub").exists()


@pytest.mark.slow
def test_check_judges_an_epub_made_elsewhere_by_the_same_package_rules(tmp_path):
    book = linked_book(tmp_path / "book")
    assert run_cli("build", str(book), "--out", str(tmp_path / "out"), "--edition", "epub").returncode == 0
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(tmp_path / "out" / "linked.epub") as z, zipfile.ZipFile(broken, "w") as w:
        for info in z.infolist():
            data = z.read(info)
            if info.filename == "EPUB/content.opf":
                data = data.replace(b'id="e-01-intro"', b'id="01-intro"')
            w.writestr(info, data)
    result = run_cli("check", str(broken))
    assert result.returncode == 1
    assert "package: EPUB/content.opf: the id '01-intro' is not an XML name (NCName)" in result.stdout, result.stdout


def test_a_name_whose_every_numbered_form_is_reserved_still_gets_one():
    """Two essays called part.md (part-2, part-3 … are part pages' names) or page.md (page-… are page breaks') ended
    in a loop without end; found by the hypothesis test above."""
    taken = {"part", "page"}
    assert unique_name("part", lambda s: s in taken or is_reserved(s)) == "part2"
    assert unique_name("page", lambda s: s in taken or is_reserved(s)) == "page2"
    assert unique_name("essay", {"essay", "essay-2"}) == "essay-3"
