"""The print PDF, judged from the file: contents numbers, running heads, notes, fonts, credits."""
from __future__ import annotations

import re
import subprocess

from conftest import pdf_pages_text


def first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def starts_with_heading(page: str, heading: str) -> bool:
    """Letter-spaced small capitals come out of pdftotext with stray spaces: compare without them."""
    return first_line(page).replace(" ", "").lower().startswith(heading.replace(" ", "").lower())


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_contents_numbers_are_the_pages_essays_start_on(sample):
    pages = pdf_pages_text(sample.pdf)
    starts = sample.edition("print").facts["essay_pages"]
    first_part = sample.edition("print").facts["anchors"][sample.book.parts[0].id]  # folio 1
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
    pages = pdf_pages_text(sample.pdf)
    starts = sample.edition("print").facts["essay_pages"]
    for essay in sample.book.essays:
        opening = first_line(pages[starts[essay.slug] - 1])
        assert opening.startswith(essay.title.split()[0]), f"opening page of {essay.slug} starts with {opening!r}"
        verso_or_recto = [first_line(pages[starts[essay.slug] + k]) for k in (0, 1)]
        heads = " ".join(verso_or_recto).lower()
        running = (essay.running_title or essay.title).lower()
        assert running[:15] in heads or essay.authors[0].name.split()[-1].lower() in heads, verso_or_recto


def test_seed_epigraphs_and_credited_captions_are_printed(sample):
    text = squash(" ".join(pdf_pages_text(sample.pdf)))
    assert "— Leon Trotsky, History of the Russian Revolution" in text
    assert "— Alan Woods, Marx versus Bakunin" in text
    assert re.search(r"image: socialist revolution", text, re.I)
    assert re.search(r"image: σ, wikimedia commons", text, re.I)


def test_each_footnote_sits_on_the_page_of_its_call(sample):
    notes = sample.edition("print").facts["footnotes"]
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
