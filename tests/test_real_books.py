"""The four real public-domain books in ../shared/books build into valid, complete editions (issue 12).

Each is built twice, for real: as it is, and as an editor would write it with what the format now
expresses (tests/fixtures/real-books-as-edited.diff: book-level authors and translators, chapter
numbers as data, dedication pages, signature blocks). Every build: exit 0 (the build's own checks,
text conservation among them, pass), EPUBCheck 0 errors and 0 warnings, DAISY Ace 0 violations, and
as many notes and epigraphs in the EPUB as the source has. They stand for a class of input: real
books, not our sample.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import ROOT, run_cli

pytestmark = pytest.mark.slow  # builds books: `./dev test --fast` leaves these out

BOOKS = ROOT.parent / "shared" / "books"
NAMES = ["on-liberty", "communist-manifesto", "darkwater", "heretics"]
EDITED = Path(__file__).parent / "fixtures" / "real-books-as-edited.diff"
AS_EDITED = [f"{name}/as-edited" for name in NAMES]
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


@pytest.fixture(scope="module", params=NAMES + AS_EDITED)
def real_book(request, tmp_path_factory):
    name, edited = request.param.split("/")[0], request.param.endswith("/as-edited")
    source = BOOKS / name
    assert (source / "book.toml").is_file(), f"the shared real books are missing: {source}"
    book = tmp_path_factory.mktemp(name) / name
    shutil.copytree(source, book)
    for p in [book, *book.rglob("*")]:
        p.chmod(p.stat().st_mode | 0o200)  # shared/ is read-only
    if edited:
        apply_edits(name, book.parent)
    out = book.parent / "out"
    done = run_cli("build", str(book), "--out", str(out))
    return request.param, book, out, done


def apply_edits(name: str, folder: Path) -> None:
    """The editor's changes to one book: its part of the patch, applied in the folder that holds the book."""
    sections = EDITED.read_text(encoding="utf-8").split("\ndiff ")
    mine = [s if s.startswith("diff ") else "diff " + s for s in sections if f" a/{name}/" in s.split("\n", 1)[0]]
    assert mine, f"no edits for {name} in {EDITED.name}"
    subprocess.run(["patch", "-s", "-p1"], input="\n".join(mine) + "\n", text=True, cwd=folder, check=True)


def sources(book: Path) -> list[Path]:
    contents = tomllib.loads((book / "book.toml").read_text())["contents"]
    names = [*contents.get("front", []), *contents.get("essays", []),
             *(e for part in contents.get("parts", []) for e in part["essays"]), *contents.get("back", [])]
    return [book / n for n in names]


def epub_documents(out: Path) -> dict[str, etree._Element]:
    (epub,) = out.glob("*.epub")
    with zipfile.ZipFile(epub) as z:
        return {n: etree.fromstring(z.read(n)) for n in z.namelist() if n.endswith(".xhtml")}


def typed(documents, word: str) -> list[etree._Element]:
    return [el for doc in documents.values() for el in doc.iter()
            if isinstance(el.tag, str) and word in (el.get(EPUB_TYPE) or "").split()]


def test_builds_with_exit_0_and_no_warning(real_book):
    name, _, out, done = real_book
    assert done.returncode == 0, done.stderr[-3000:]
    assert "warning" not in done.stderr.lower(), done.stderr[-3000:]
    assert sorted(p.suffix for p in out.iterdir() if p.is_file() and not p.name.startswith(".")) == \
        [".epub", ".pdf", ".pdf", ".pdf"]


def test_epubcheck_reports_nothing(real_book):
    from bookbuilder.checks.epub import epubcheck_report

    _, _, out, done = real_book
    assert done.returncode == 0, done.stderr[-3000:]
    (epub,) = out.glob("*.epub")
    messages = [(m["severity"], m["ID"], m["message"]) for m in epubcheck_report(epub)["messages"]]
    assert messages == []


def test_ace_reports_no_violation(real_book):
    from bookbuilder.checks.epub import ace_report, ace_violations

    _, _, out, done = real_book
    assert done.returncode == 0, done.stderr[-3000:]
    (epub,) = out.glob("*.epub")
    assert ace_violations(ace_report(epub)) == []


def test_every_note_and_epigraph_reaches_the_epub(real_book):
    _, book, out, done = real_book
    assert done.returncode == 0, done.stderr[-3000:]
    texts = [p.read_text(encoding="utf-8") for p in sources(book)]
    notes = sum(len(re.findall(r"^\[\^[^\]]+\]:", t, re.M)) for t in texts)
    config = tomllib.loads((book / "book.toml").read_text())
    epigraphs = len(config.get("epigraphs", [])) + sum(len(p.get("epigraphs", [])) for p in
                                                       config.get("contents", {}).get("parts", []))
    documents = epub_documents(out)
    assert len(typed(documents, "footnote")) + len(typed(documents, "endnote")) == notes
    assert len(typed(documents, "epigraph")) >= epigraphs


def test_no_output_names_the_build_machine(real_book):
    _, book, out, done = real_book
    assert done.returncode == 0, done.stderr[-3000:]
    (epub,) = out.glob("*.epub")
    with zipfile.ZipFile(epub) as z:
        for member in z.namelist():
            data = z.read(member)
            assert str(book.parent).encode() not in data and b"file:" not in data, member


FIRST_CHAPTERS = {"on-liberty": "Introductory", "communist-manifesto": "Bourgeois and Proletarians",
                  "darkwater": "The Shadow of Years", "heretics": "Introductory Remarks on the Importance of Orthodoxy"}
TITLE_PAGES = {  # what each book's title page says once its authors are declared
    "on-liberty": ["John Stuart Mill", "With an introduction by W. L. Courtney"],
    "communist-manifesto": ["Karl Marx and Friedrich Engels", "Translated by Samuel Moore"],
    "darkwater": ["W. E. B. Du Bois"],
    "heretics": ["G. K. Chesterton"],
}


def test_the_title_page_names_the_authors_once_declared_and_never_an_empty_edited_by(real_book):
    from conftest import pdf_pages_text

    key, _, out, done = real_book
    assert done.returncode == 0, done.stderr[-3000:]
    name = key.split("/")[0]
    pages = [" ".join(p.upper().split()) for p in pdf_pages_text(next(out.glob("*-print.pdf")))]
    assert not any("EDITED BY" in p for p in pages)
    if key.endswith("/as-edited"):
        bare = [p.replace(" ", "") for p in pages]  # letter-spaced small capitals come out as "J OHN S TUART"
        title_page = next(p for p in bare[:4] if TITLE_PAGES[name][0].upper().replace(" ", "") in p)
        assert all(line.upper().replace(" ", "") in title_page for line in TITLE_PAGES[name][1:])
        contents = next(p for p in pages if "CONTENTS" in p)
        first = " ".join(FIRST_CHAPTERS[name].upper().split()[:3])  # the number is data now, printed before the title
        assert re.search(rf"\bI\s+{re.escape(first)}", contents), contents[:400]
