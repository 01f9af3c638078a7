"""Issue 12: links between essays go to the right place in every edition; links that go nowhere are source errors."""
from __future__ import annotations

import zipfile

import pikepdf
import pytest

from conftest import linked_book, pdf_pages_text, run_cli

PAGE_REFERENCES = ("\nAs [the second essay](<2 deux.md#the-same-subject>){: .page} argues, and "
                   "[later on](#later-on){: .page} too, see [Été](%C3%A9.t.%C3%A9.md){: .page}.[^pr]\n\n"
                   "[^pr]: A note that sends the reader to [Été](%C3%A9.t.%C3%A9.md){: .page} as well.\n")


def link_targets(pdf_path, page_text_has: str | None = None) -> list[str]:
    """Every link annotation of the PDF as 'dest:NAME' (inside the book) or 'uri:URI'."""
    found = []
    with pikepdf.open(pdf_path) as pdf:
        for page in pdf.pages:
            for annot in page.obj.get("/Annots", []):
                if annot.get("/Subtype") != "/Link":
                    continue
                if "/Dest" in annot:
                    found.append(f"dest:{annot.Dest}")
                elif "/A" in annot and "/URI" in annot.A:
                    found.append(f"uri:{annot.A.URI}")
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("links")
    book = linked_book(root / "book")
    with (book / "essays" / "01-intro.md").open("a") as essay:
        essay.write(PAGE_REFERENCES)
    result = run_cli("build", str(book), "--out", str(root / "out"), "--edition", "epub", "--edition", "print",
                     "--edition", "screen", "--jobs", "2")
    assert result.returncode == 0, result.stderr
    return root / "out"


@pytest.mark.slow
def test_the_sample_builds_without_a_warning(sample):
    """Its notes' page references to other essays are laid out a first time before those pages are known:
    they read "?" then (chunks.link_across), not an undefined anchor WeasyPrint would warn of."""
    assert sample.result.warnings == []


@pytest.mark.slow
def test_epub_links_go_to_the_essay_heading_figure_and_note(built):
    with zipfile.ZipFile(built / "linked.epub") as z:
        intro = z.read("EPUB/text/e-01-intro.xhtml").decode()
        deux = z.read("EPUB/text/e-2-deux.xhtml").decode()
    for href in ('href="e-2-deux.xhtml#e-2-deux"', 'href="e-2-deux.xhtml#e-2-deux-the-same-subject"',
                 'href="e-2-deux.xhtml#e-2-deux-fig-1"', 'href="e-2-deux.xhtml#e-2-deux-note-1"',
                 'href="#e-01-intro-later-on"', 'href="e-t-e.xhtml#e-t-e"'):
        assert href in intro, intro
    for ident in ("e-2-deux", "e-2-deux-the-same-subject", "e-2-deux-fig-1", "e-2-deux-note-1"):
        assert f'id="{ident}"' in deux
    assert ".md" not in intro and "data-source-line" not in intro


@pytest.mark.slow
def test_screen_pdf_links_between_essays_stay_inside_the_book(built):
    targets = link_targets(built / "linked-screen.pdf")
    for dest in ("e-2-deux", "e-2-deux-the-same-subject", "e-2-deux-fig-1", "e-2-deux-note-1", "e-01-intro-later-on",
                 "e-t-e"):
        assert f"dest:{dest}" in targets, targets
    assert not [t for t in targets if t.startswith("uri:")], targets


def folio_of(pdf_path, text: str) -> str:
    """The printed page number of the page that shows `text`."""
    pages = pdf_pages_text(pdf_path)
    with pikepdf.open(pdf_path) as pdf:
        return next(pdf.pages[i].label for i, page in enumerate(pages) if text in page)


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["print", "screen"])
def test_page_references_name_the_folio_of_their_target(built, edition):
    pdf = built / f"linked-{edition}.pdf"
    text = "\n".join(pdf_pages_text(pdf))
    heading, later, summer = (folio_of(pdf, t) for t in ("The Same Subject", "Later on\n", "Summer text"))
    assert heading != later != summer
    flat = " ".join(text.split()).replace(" .", ".")
    assert f"As the second essay (p. {heading}) argues, and later on (p. {later}) too, see Été (p. {summer})." in flat
    assert f"A note that sends the reader to Été (p. {summer}) as well." in flat, text  # in a note too


@pytest.mark.slow
def test_page_references_are_plain_links_in_the_epub(built):
    with zipfile.ZipFile(built / "linked.epub") as z:
        intro = z.read("EPUB/text/e-01-intro.xhtml").decode()
    assert '<a class="page" href="e-2-deux.xhtml#e-2-deux-the-same-subject">the second essay</a> argues' in intro
    assert "(p." not in intro


@pytest.mark.slow
@pytest.mark.parametrize("link, message", [
    ("[gone](ghost.md)", "links to ghost.md, which does not exist"),
    ("[stray](stray.md)", "links to stray.md, which is not in book.toml's contents"),
    ("[file](../images/pic-one.jpg)",
     "links to the file ../images/pic-one.jpg, which no edition of the book can carry"),
    ("[nowhere](<2 deux.md#no-such-heading>)", "the link to #no-such-heading in 2 deux.md goes nowhere"),
    ("[nowhere](#not-here)", "the link to #not-here goes nowhere"),
])
def test_a_link_that_goes_nowhere_is_a_source_error_with_file_and_line(tmp_path, link, message):
    book = linked_book(tmp_path / "book")
    (book / "essays" / "stray.md").write_text('---\ntitle: "Stray"\n---\n\nText.\n')
    essay = book / "essays" / "01-intro.md"
    essay.write_text(essay.read_text() + f"\nA last paragraph with {link} in it.\n")
    line = len(essay.read_text().splitlines())
    result = run_cli("build", str(book), "--out", str(tmp_path / "out"), "--edition", "epub")
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"essays/01-intro.md:{line}: {message}" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_check_reports_a_link_to_no_heading_once_with_file_and_line(tmp_path):
    book = linked_book(tmp_path / "book")
    essay = book / "essays" / "01-intro.md"
    essay.write_text(essay.read_text() + "\nSee [nothing](<2 deux.md#nothing>) and [ghost](ghost.md).\n")
    line = len(essay.read_text().splitlines())
    result = run_cli("check", str(book), "--no-build")
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"essays/01-intro.md:{line}: the link to #nothing in 2 deux.md goes nowhere" in result.stdout
    assert result.stdout.count(f"essays/01-intro.md:{line}:") == 2, result.stdout  # the ghost once, by the lint


def test_check_reports_a_reference_style_link_to_a_missing_file(tmp_path):
    """The lint reads links through the loader's own Markdown converter, so a reference-style link is one it sees:
    check names it once, at the line that gives its target."""
    book = tmp_path / "book"
    assert run_cli("new", str(book)).returncode == 0
    essay = book / "essays" / "example.md"
    essay.write_text(essay.read_text() + "\nSee [the other][1].\n\n[1]: missing.md\n")
    done = run_cli("check", str(book), "--no-build")
    assert done.returncode == 1, done.stdout
    line = essay.read_text().split("\n").index("[1]: missing.md") + 1
    assert f"essays/example.md:{line}: broken link: missing.md does not exist" in done.stdout, done.stdout
    assert done.stdout.count("missing.md") == 1, done.stdout


@pytest.mark.slow
def test_page_references_are_in_the_books_language(tmp_path):
    """A German book writes "(S. 3)", from the locale's page_abbreviation, not the house's English "(p. 3)"."""
    book = linked_book(tmp_path / "book")
    toml = book / "book.toml"
    toml.write_text(toml.read_text().replace('date = 2026-11-01\n', 'date = 2026-11-01\nlanguage = "de"\n'))
    with (book / "essays" / "01-intro.md").open("a") as essay:
        essay.write(PAGE_REFERENCES)
    result = run_cli("build", str(book), "--out", str(tmp_path / "out"), "--edition", "print")
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "out" / "linked-print.pdf"
    text = " ".join("\n".join(pdf_pages_text(pdf)).split()).replace(" .", ".")
    heading = folio_of(pdf, "The Same Subject")
    assert f"As the second essay (S. {heading}) argues" in text, text
    assert "(p." not in text
