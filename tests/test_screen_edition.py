"""The screen PDF: tagged, with /Lang, title in the window, bookmarks, live contents, no bleed, print's pages."""
from __future__ import annotations

import pikepdf

import pytest

from conftest import pdf_pages_text

pytestmark = pytest.mark.slow  # builds books: `./dev test --fast` leaves these out


def struct_elements(root):
    """Every structure element under the StructTreeRoot."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                yield node
            kids = node.get("/K")
            if isinstance(kids, pikepdf.Array):
                stack.extend(kids)
            elif isinstance(kids, pikepdf.Dictionary):
                stack.append(kids)


def test_screen_pdf_is_tagged_with_language_and_title_in_window(sample):
    with pikepdf.open(sample.screen) as pdf:
        root = pdf.Root
        assert str(root.Lang) == sample.book.language
        assert root.MarkInfo.Marked is True
        assert root.ViewerPreferences.DisplayDocTitle is True
        assert "/StructTreeRoot" in root
        assert str(pdf.docinfo["/Title"]).startswith(sample.book.title)
        assert "pdfuaid:part" in str(pdf.Root.Metadata.read_bytes())


def test_screen_pdf_figures_carry_their_alt_text(sample):
    with pikepdf.open(sample.screen) as pdf:
        alts = [str(e.get("/Alt", "")) for e in struct_elements(pdf.Root.StructTreeRoot) if e.S == "/Figure"]
    expected = [f.alt for _essay, f in sample.book.figures]
    assert expected and all(alt in alts for alt in expected), (expected, alts)


def test_screen_pdf_has_bookmarks_and_a_linked_contents(sample):
    with pikepdf.open(sample.screen) as pdf:
        outline = [str(item.title) for item in pdf.open_outline().root]
        assert any(sample.book.parts[0].title in t for t in outline), outline
        contents = sample.edition("screen").facts.anchors["contents"]
        links = [a for a in pdf.pages[contents - 1].get("/Annots", []) if a.Subtype == "/Link"]
        assert len(links) >= len(sample.book.essays)


def test_screen_pdf_has_no_bleed(sample):
    with pikepdf.open(sample.screen) as pdf:
        for page in pdf.pages:
            assert list(page.trimbox) == list(page.mediabox)
            assert list(page.bleedbox) == list(page.mediabox)


def test_screen_pages_are_the_print_pages(sample):
    """Same HTML, same pagination: every essay starts on the same page and every page reads the same."""
    assert sample.edition("screen").facts.essay_pages == sample.edition("print").facts.essay_pages
    screen, printed = pdf_pages_text(sample.screen), pdf_pages_text(sample.pdf)
    assert screen == printed[:len(screen)]
    assert all(not p.strip() for p in printed[len(screen):])  # print may only add blank pages at the end


def test_screen_note_calls_link_to_their_notes(sample):
    notes = [n.id for e in sample.book.pieces for n in e.notes]
    with pikepdf.open(sample.screen) as pdf:
        dests = {str(a.get("/Dest")) for page in pdf.pages for a in page.get("/Annots", []) if "/Dest" in a}
    assert notes and set(notes) <= dests


def test_the_viewer_shows_the_printed_page_numbers(sample):
    """Page labels: roman front matter, then arabic from 1, as the folios are printed (print and screen alike)."""
    for edition in ("screen", "print"):
        rendered = sample.edition(edition)
        with pikepdf.open(rendered.path) as pdf:
            labels = [page.label for page in pdf.pages]
        folios = rendered.facts.folios
        assert labels[:len(folios)] == folios, edition
        assert folios[0] == "i" and "1" in folios
        card = rendered.facts.essay_pages["card-by-card"]
        assert labels[card - 1] == "17"  # the number the contents gives it
