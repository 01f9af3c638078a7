"""`bookbuilder release`: the sample book released once (for real: EPUBCheck, Ace, preflight), then judged.

The checksums verify, release.json says what is there, each offprint is its essay's pages of
the print edition under the book's page numbers, the download page works on a phone in
Debian's chromium with every link resolving inside the folder, and a second release of the
same source is byte-identical.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from conftest import SAMPLE, pdf_pages_text, run_cli

pytestmark = pytest.mark.slow  # builds books: `./dev test --fast` leaves these out

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
VERSION = "1.0"
SLUG = "why-we-joined"
SCREENSHOT_DIR = os.environ.get("BOOKBUILDER_SCREENSHOT_DIR")  # set it to keep the page's screenshot to look at


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    out = tmp_path_factory.mktemp("release") / "release"
    run = run_cli("release", str(SAMPLE), "--out", str(out))
    assert run.returncode == 0, run.stderr
    return out, run


@pytest.fixture(scope="module")
def manifest(released) -> dict:
    return json.loads((released[0] / "release.json").read_text())


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def every_file(folder: Path) -> dict[str, Path]:
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()}


def test_editions_are_named_by_slug_edition_and_version(released):
    out, run = released
    names = set(every_file(out))
    assert {f"{SLUG}-{VERSION}-print.pdf", f"{SLUG}-{VERSION}-screen.pdf", f"{SLUG}-{VERSION}-cover.pdf",
            f"{SLUG}-{VERSION}.epub", "index.html", "release.json", "SHA256SUMS", "cover.jpg"} <= names
    assert f"{SLUG}-{VERSION}-print.pdf" in run.stdout
    assert not [n for n in os.listdir(out.parent) if n.startswith(".")]  # nothing left beside it


def test_checksums_verify_with_sha256sum(released):
    out, _ = released
    check = subprocess.run(["sha256sum", "--check", "--strict", "SHA256SUMS"], cwd=out, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    listed = [line.split("  ", 1)[1] for line in (out / "SHA256SUMS").read_text().splitlines()]
    assert sorted(listed) == sorted(set(every_file(out)) - {"SHA256SUMS"})  # every file, each once


def test_release_json_lists_files_isbns_page_counts_and_build_date(released, manifest):
    out, _ = released
    files = {f["path"]: f for f in manifest["files"]}
    assert set(files) == set(every_file(out)) - {"SHA256SUMS", "release.json"}  # it cannot hold its own sum
    for path, f in files.items():
        assert f["bytes"] == (out / path).stat().st_size and f["sha256"] == sha256(out / path), path
        if f["media_type"] == "application/pdf":
            with pikepdf.open(out / path) as pdf:
                assert f["pages"] == len(pdf.pages), path
    assert manifest["isbn"] == {"print": "979-8-9871234-0-9", "epub": "979-8-9871234-1-6"}
    assert files[f"{SLUG}-{VERSION}.epub"]["isbn"] == "979-8-9871234-1-6"
    assert manifest["version"] == VERSION and manifest["build_date"] == "2026-11-01T00:00:00Z"


def offprints(manifest) -> list[dict]:
    return [f for f in manifest["files"] if f["kind"] == "offprint"]


def test_one_offprint_per_essay(manifest):
    from bookbuilder.sources import load_book

    essays = [e.slug for e in load_book(SAMPLE).essays]
    assert [f["essay"] for f in offprints(manifest)] == essays
    assert all(f["path"] == f"offprints/{f['essay']}.pdf" for f in offprints(manifest))


def words(page: str) -> list[str]:
    """A page's lines with their spacing evened out (pdftotext's columns shift when a line is added)."""
    return [" ".join(line.split()) for line in page.splitlines() if line.strip()]


def test_offprint_pages_are_the_print_editions_with_its_page_numbers(released, manifest):
    """Each offprint page reads as the same page of the print edition: running heads and folios included."""
    out, _ = released
    from bookbuilder.sources import load_book

    titles = {e.slug: e.title for e in load_book(SAMPLE).essays}
    printed = pdf_pages_text(out / f"{SLUG}-{VERSION}-print.pdf")
    contents = next(p for p in printed if p.lstrip().startswith("Contents"))
    for f in offprints(manifest):
        pdf_path = out / f["path"]
        first, last = (int(n) for n in f["page_numbers"].split("–"))
        with pikepdf.open(pdf_path) as pdf:
            labels = [p.label for p in pdf.pages]
        assert labels == [str(n) for n in range(first, last + 1)], f["path"]
        title = titles[f["essay"]]
        assert re.search(re.escape(title) + r"[\s.]*" + str(first) + r"\b", contents), (title, first)
        opening = next(i for i, p in enumerate(printed) if p.strip() and p.strip().splitlines()[0].strip() == title)
        pages = [words(p) for p in pdf_pages_text(pdf_path)]
        expected = [words(p) for p in printed[opening: opening + last - first + 1]]
        assert len(pages) == len(expected) == f["pages"]
        assert pages[0] == expected[0] + ["From Why We Joined, Red Lantern Press, 2026"]  # the source line, at the foot
        assert pages[1:] == expected[1:]
        assert pages[1][0].split()[0] == str(first + 1)  # the verso's running head begins with its folio


def test_offprints_are_tagged_with_their_essays_structure(released, manifest):
    """Each offprint keeps the screen edition's tags for its own pages; the source line is an artifact."""
    out, _ = released
    for f in offprints(manifest):
        with pikepdf.open(out / f["path"]) as pdf:
            assert pdf.Root.MarkInfo.Marked and "/StructTreeRoot" in pdf.Root
            parents = dict(pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree).items())
            kinds = set()
            for page in pdf.pages:
                for element in parents[int(page.obj.StructParents)]:
                    assert element.Pg.objgen == page.obj.objgen
                    while element.get("/Type") != "/StructTreeRoot":  # up to the root: the tree is whole
                        kinds.add(str(element.S))
                        element = element.P
                for annot in page.obj.get("/Annots", []):
                    assert isinstance(annot.get("/Dest"), pikepdf.String)  # links within the essay only
            assert {"/H1", "/P"} <= kinds, (f["path"], kinds)
            assert b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC" in b"".join(
                c.read_bytes() for c in pdf.pages[0].obj.Contents)


def test_offprints_name_their_essay_author_and_book(released, manifest):
    out, _ = released
    from bookbuilder.sources import load_book

    from bookbuilder.words import Words

    book = load_book(SAMPLE)
    essays, words = {e.slug: e for e in book.essays}, Words.of(book)
    for f in offprints(manifest):
        essay = essays[f["essay"]]
        with pikepdf.open(out / f["path"]) as pdf:
            assert str(pdf.docinfo["/Title"]).startswith(essay.title)
            assert str(pdf.docinfo["/Author"]) == words.names(essay.authors)
            assert str(pdf.docinfo["/Subject"]) == "From Why We Joined, Red Lantern Press, 2026"
            meta = pdf.open_metadata()
            assert meta["dc:title"].startswith(essay.title)
            assert str(pdf.Root.Lang) == essay.lang
        assert "From Why We Joined, Red Lantern Press, 2026" in pdf_pages_text(out / f["path"])[0]


def test_a_second_release_is_byte_identical_and_replaces_an_earlier_one(released, tmp_path):
    from bookbuilder.release import release

    first, _ = released
    again = tmp_path / "again"
    again.mkdir()
    (again / "release.json").write_text("{}")  # an earlier release, with a file the new one does not have
    (again / "stale.pdf").write_text("old")
    (again / "SHA256SUMS").write_text("".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}\n"
                                              for p in sorted(again.iterdir())))
    done = release(SAMPLE, again)
    assert done.folder == again
    mine, theirs = every_file(first), every_file(again)
    assert set(mine) == set(theirs)
    for name in mine:
        assert mine[name].read_bytes() == theirs[name].read_bytes(), name


@pytest.fixture()
def failing_validators(monkeypatch):
    """The EPUB's validators replaced by one that fails and one that could not run (a fast, sure refusal)."""
    from bookbuilder.checks import Finding
    from bookbuilder.checks.registry import EDITION_CHECKS, load_checks

    load_checks()

    def epubcheck_says_no(epub):
        return [Finding("epub", "EPUBCheck ERROR RSC-005: something is wrong")]

    def ace_missing(epub):
        return [Finding("epub", "DAISY Ace did not run: not installed", fatal=False, did_not_run=True)]

    monkeypatch.setitem(EDITION_CHECKS, "epub", [epubcheck_says_no, ace_missing])


def test_a_failing_check_refuses_the_release_and_leaves_the_earlier_one(failing_validators, tmp_path, capsys):
    from bookbuilder.cli import main

    out = tmp_path / "release"
    out.mkdir()
    (out / "release.json").write_text('{"earlier": true}')
    digest = hashlib.sha256(b'{"earlier": true}').hexdigest()
    (out / "SHA256SUMS").write_text(f"{digest}  release.json\n")  # what makes it a release this command wrote
    assert main(["release", str(SAMPLE), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "release refused" in err and "EPUBCheck ERROR RSC-005" in err and "DAISY Ace did not run" in err
    assert sorted(p.name for p in out.iterdir()) == ["SHA256SUMS", "release.json"]
    assert (out / "release.json").read_text() == '{"earlier": true}'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["release"]  # no half-written folder beside it


def test_a_folder_that_is_not_a_release_is_never_replaced(tmp_path, capsys):
    from bookbuilder.cli import main

    (tmp_path / "notes.txt").write_text("mine")
    assert main(["release", str(SAMPLE), "--out", str(tmp_path)]) == 2
    assert "is not an earlier release" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize("written, message", [("1.0", "the number 1.0"), ('"1.0/beta"', "file name")])
def test_version_must_be_a_string_fit_for_a_file_name(book_copy, written, message):
    from bookbuilder.errors import BuildError
    from bookbuilder.sources import load_book

    toml = book_copy / "book.toml"
    toml.write_text(toml.read_text().replace('version = "1.0"', f"version = {written}"))
    line = next(n for n, text in enumerate(toml.read_text().splitlines(), 1) if text.startswith("version"))
    with pytest.raises(BuildError) as caught:
        load_book(book_copy)
    (error,) = caught.value.errors
    assert error.line == line and "version" in error.message and message in error.message


def test_download_page_works_on_a_phone_in_a_real_browser(released, manifest):
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).is_file():
        pytest.skip("Debian's chromium is not installed")
    out, _ = released
    index = out / "index.html"
    html = index.read_text()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html)  # nothing from elsewhere
    assert not re.search(r"url\(|@import", html)
    outside: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://")
                       else (outside.append(route.request.url), route.abort()))
            page.goto(index.as_uri())
            page.wait_for_load_state("load")
            assert page.locator("h1").inner_text() == "Why We Joined"
            assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
            assert page.evaluate("document.querySelector('header img').naturalWidth") > 0
            links = page.evaluate("[...document.querySelectorAll('[href], [src]')]"
                                  ".map(e => e.getAttribute('href') ?? e.getAttribute('src'))")
            text = page.inner_text("body")
            shot = Path(SCREENSHOT_DIR or out.parent) / "bookbuilder-release-index.png"
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert not outside and shot.stat().st_size > 0
    targets = {link for link in links if not link.startswith("#")}
    assert all((out / link).resolve().is_file() and (out / link).resolve().is_relative_to(out.resolve())
               for link in targets), targets
    site = {f["path"] for f in manifest["files"] if f["kind"] == "web file"}  # reached from the site's home page
    downloadable = {f["path"] for f in manifest["files"]} - {"index.html", "cover.jpg"} - site | {"SHA256SUMS"}
    assert downloadable <= targets  # every edition, offprint and checksum file is linked
    for essay_title, author in [("Card by Card", "Tomasz Wróbel"),
                                ("What the Mill Taught Us", "Frank Kowalczyk and Jess Kowalczyk")]:
        assert essay_title in text and author in text
    assert "Accessibility" in text and "page list follow the print edition" in text


def test_a_book_without_cover_art_shows_its_cover_pdfs_front(tmp_path, monkeypatch):
    """A new book has no cover image: the page shows the front panel of the cover PDF the release ships."""
    from bookbuilder.checks.registry import EDITION_CHECKS, load_checks
    from bookbuilder.release import release

    load_checks()
    monkeypatch.setitem(EDITION_CHECKS, "epub", [])  # validated elsewhere; here only the picture matters
    book = tmp_path / "book"
    assert run_cli("new", str(book)).returncode == 0
    done = release(book, tmp_path / "out")
    assert (done.folder / "cover.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert 'src="cover.png"' in (done.folder / "index.html").read_text()
    assert [f.path for f in done.files if f.kind == "offprint"] == ["offprints/example.pdf"]


def test_no_released_file_holds_a_machine_path_or_file_url(released, tmp_path):
    """release.json, the page, the checksums, the editions and the offprints name no path of the machine."""
    from test_no_paths import readable_contents

    out, _ = released
    found = []
    for name, path in every_file(out).items():
        for member, data in readable_contents(path, tmp_path).items():
            for needle in (str(out.parent).encode(), str(SAMPLE).encode(), b"file:"):
                if needle in data:
                    found.append(f"{name} ({member}): {needle!r}")
    assert found == []


def test_the_web_edition_is_released_beside_the_others_and_checksummed(released, manifest):
    out, _ = released
    site = out / f"{SLUG}-{VERSION}-web"
    files = {f["path"]: f for f in manifest["files"]}
    assert files[f"{SLUG}-{VERSION}-web/index.html"]["edition"] == "web"
    listed = {line.split("  ", 1)[1] for line in (out / "SHA256SUMS").read_text().splitlines()}
    on_disk = {p.relative_to(out).as_posix() for p in site.rglob("*") if p.is_file()}
    assert len(on_disk) > 30 and on_disk <= listed and on_disk <= set(files)
    # The site's download links name the editions as the release names them.
    home = (site / "index.html").read_text()
    for name in (f"{SLUG}-{VERSION}.epub", f"{SLUG}-{VERSION}-screen.pdf", f"{SLUG}-{VERSION}-print.pdf"):
        assert f'href="../{name}"' in home and (out / name).is_file()
    assert f'href="{SLUG}-{VERSION}-web/index.html"' in (out / "index.html").read_text()
