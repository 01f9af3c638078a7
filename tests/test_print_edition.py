"""The print PDF, judged from the file: contents numbers, running heads, notes, fonts, credits."""
from __future__ import annotations

import re
import subprocess

import pytest

from conftest import pdf_pages_text

pytestmark = pytest.mark.slow  # builds books: `./dev test --fast` leaves these out

MM = 72 / 25.4


def first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def starts_with_heading(page: str, heading: str) -> bool:
    """Letter-spaced small capitals come out of pdftotext with stray spaces: compare without them."""
    return first_line(page).replace(" ", "").lower().startswith(heading.replace(" ", "").lower())


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_contents_numbers_are_the_pages_essays_start_on(sample):
    pages = pdf_pages_text(sample.pdf)
    starts = sample.edition("print").facts.essay_pages
    first_part = sample.edition("print").facts.anchors[sample.book.parts[0].id]  # folio 1
    contents = next(i for i, p in enumerate(pages) if starts_with_heading(p, "contents"))
    toc = squash(pages[contents] + " " + pages[contents + 1])
    for essay in sample.book.essays:
        m = re.search(re.escape(essay.title) + r"\s+(\d+)", toc)
        assert m, f"{essay.title} missing from the contents: {toc[:400]}"
        listed = int(m.group(1))
        physical = starts[essay.slug]
        assert listed == physical - first_part + 1
        # the opening page shows the title, and the page after it prints the next folio in its head
        assert squash(essay.title) in squash(pages[physical - 1])[:200]
        assert re.search(rf"(^|\s){listed + 1}(\s|$)", first_line(pages[physical])), first_line(pages[physical])


def test_running_heads_on_body_pages_and_none_on_openings(sample):
    """Every body page of an essay: verso head = folio + author, recto head = title + folio; openings bare."""
    pages = pdf_pages_text(sample.pdf)
    facts = sample.edition("print").facts
    first_folio = facts.anchors[sample.book.parts[0].id]  # physical page of folio 1
    essays = sample.book.essays
    starts = [facts.essay_pages[e.slug] for e in essays]
    openings = sorted(starts + [facts.anchors[p.id] for p in sample.book.parts] + [facts.anchors["contributors"]])
    ends = [next(o for o in openings if o > start) for start in starts]  # the next opening of any kind
    checked = 0
    for essay, start, end in zip(essays, starts, ends):
        opening = first_line(pages[start - 1])
        assert opening.startswith(essay.title.split()[0]), f"opening page of {essay.slug} starts with {opening!r}"
        assert not re.search(r"\d", opening), opening  # no folio on the opening
        for physical in range(start + 1, end):
            text = pages[physical - 1]
            if not text.strip():
                continue  # the blank verso before the next recto opening
            head = squash(first_line(text)).lower()
            folio = str(physical - first_folio + 1)
            words = head.split()
            if physical % 2 == 0:  # verso: folio at the outer (left) edge, then the author
                assert words[0] == folio and essay.authors[0].name.split()[-1].lower() in head, head
            else:  # recto: the running title, folio at the outer (right) edge
                assert words[-1] == folio and (essay.running_title or essay.title).lower()[:12] in head, head
            checked += 1
    assert checked >= 12


def test_seed_epigraphs_and_credited_captions_are_printed(sample):
    text = squash(" ".join(pdf_pages_text(sample.pdf)))
    assert "— Leon Trotsky, History of the Russian Revolution" in text
    assert "— Alan Woods, Marx versus Bakunin" in text
    assert re.search(r"image: socialist revolution", text, re.I)
    assert re.search(r"image: σ, wikimedia commons", text, re.I)


def test_each_footnote_sits_on_the_page_of_its_call(sample):
    notes = sample.edition("print").facts.footnotes
    assert len(notes) == sum(len(e.notes) for e in sample.book.pieces) and notes
    misplaced = [(nid, call, body) for nid, call, body in notes if call != body]
    assert not misplaced


def test_all_fonts_embedded(sample):
    out = subprocess.run(["pdffonts", str(sample.pdf)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows, out
    for row in rows:
        assert "+EB-Garamond-House" in row, row  # the house face, never a system fallback
        emb = row.split()[-5]
        assert emb == "yes", row


def test_image_credits_page_lists_every_credit(sample):
    pages = pdf_pages_text(sample.pdf)
    credits_page = next(i for i, p in enumerate(pages) if starts_with_heading(p, "image credits"))
    listing = squash(" ".join(pages[credits_page:])).lower()
    figures = sample.book.figures
    assert len(figures) >= 5
    for _essay, figure in figures:
        credit = re.sub(r"<[^>]+>", "", figure.credit_html).lower()
        assert credit and credit in listing, credit
    assert "cover illustration: mara lenz" in listing


def test_pdf_metadata_names_title_authors_and_language(sample):
    import pikepdf

    with pikepdf.open(sample.pdf) as pdf:
        info = pdf.docinfo
        assert str(info["/Title"]).startswith(sample.book.title)
        for person in sample.book.editors:
            assert person.name in str(info["/Author"])
        assert str(pdf.Root.Lang) == sample.book.language
        outline = [str(item.title) for item in pdf.open_outline().root]
        assert any(sample.book.parts[0].title in t for t in outline)


def test_front_matter_folios_are_roman_and_body_arabic(sample):
    pages = pdf_pages_text(sample.pdf)
    contents = next(i for i, p in enumerate(pages) if starts_with_heading(p, "contents"))
    toc = squash(pages[contents])
    assert re.search(r"Preface\s+[ivxl]+\b", toc)


def words_with_boxes(pdf, page: int) -> tuple[float, list[tuple[str, float]]]:
    """The page's height and each word with the bottom of its box (pdftotext -bbox, points from the top)."""
    xml = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', xml).group(1))
    return height, [(w, float(y)) for y, w in re.findall(r'yMax="([\d.]+)">([^<]+)</word>', xml)]


def test_publisher_and_copyright_lines_sit_at_the_foot_at_every_trim(book_copy, tmp_path):
    """The title page's publisher and the copyright page's last line end on the page area's last line."""
    from bookbuilder.build import build

    toml = book_copy / "book.toml"
    base = toml.read_text()
    for trim in ("5x8in", "A5", "b-format"):  # no wider than 6x9: the sample images are 300 ppi there
        toml.write_text(base.replace('trim = "6x9in"', f'trim = "{trim}"'))
        printed = build(book_copy, tmp_path / trim, ["print"]).outputs[0]
        title, copyright = printed.facts.anchors["title-page"], printed.facts.anchors["copyright"]
        for page, last_word in ((title, "Press"), (copyright, "bookbuilder.")):
            height, words = words_with_boxes(printed.path, page)
            foot = height - 3 * MM - 20 * MM  # bleed, then the house's bottom margin (10-page.css)
            bottom = max(y for w, y in words if w == last_word)
            assert foot - 12 < bottom <= foot + 1, (trim, page, last_word, bottom, foot)
