"""One chunk of the book laid out once and written as two PDFs: the screen PDF, and the print PDF made from it.

This is the work a layout worker does (layout_pool.py). The facts it reports (where each
essay, note, figure and page begins) are in the chunk's own page numbers; the pool moves
them to the book's.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable

from ..engine import paint
from ..engine.fetch import LocalOnlyFetcher, file_of
from ..engine.folios import folios_after_pagination
from ..engine.notes_first import keep_notes_with_calls
from ..engine.pdf_ids import stable_pdf_ids
from ..errors import BuildError, SourceError
from . import press
from .chunks import Chunk
from .facts import PagedFacts
from ..engine.stylesheets import install as lend_parsed_stylesheets
from .layout_facts import last_block_on_page, page_facts, relaxed_blocks_css
from ..transforms.numbering import roman_folio as roman

#: Extra layouts of a chunk allowed to bring notes back to their call's page (only needed when
#: the notes-first patch could not be applied: see engine/notes_first.py).
NOTE_REPAIR_PASSES = 1


@dataclass
class ChunkJob:
    index: int
    chunk: Chunk
    html: str
    key: str  # cache key: the HTML, the images it shows and everything else a layout reads
    folder: Path  # its PDFs go into `<folder>/<key>-<offset>/`
    offset: int | None = None  # folio offset, when already known


@dataclass
class ChunkLayout:
    index: int
    chunk: Chunk
    key: str
    pages: int  # pages WeasyPrint laid out (the blank verso after an odd chunk is the merge's)
    offset: int  # added to every folio
    facts: PagedFacts  # in the chunk's own page numbers (1-based)
    levels: list[int]  # bookmark level of each outline item, in order
    screen_pdf: Path
    print_pdf: Path
    relaxed_blocks: list[str] = field(default_factory=list)


@dataclass
class PaintOptions:
    """How the print PDF differs from the screen PDF (engine/paint.py)."""
    interior: str
    bleed_mm: float
    pdf_x: str
    scratch: Path  # converted images go here


def images_in(html: str) -> list[str]:
    """The URLs of the files the chunk's images are read from (engine/fetch.BOOK_URL ones, in the book)."""
    return sorted(set(re.findall(r'\bsrc="(file://[^"]+)"', html)))


def chunk_key(html: str, environment: str, book_root: Path, sources: str = "") -> str:
    """What a chunk's layout depends on: its HTML, the bytes of its images, and `environment`; and what
    its checks depend on: the `sources` of its pieces (paged_document.sources_of)."""
    digest = hashlib.sha256(environment.encode() + b"\0" + html.encode() + b"\0" + sources.encode())
    for url in images_in(html):
        path = file_of(url, book_root)
        digest.update(url.encode() + b"\0" + (path.read_bytes() if path.is_file() else b"missing"))
    return digest.hexdigest()


def folio_labels(chunk: Chunk, pages: int, offset: int) -> list[str]:
    """Front matter is numbered in lower-roman from i; the rest in arabic, from the offset on."""
    if chunk.matter == "front":
        return [roman(n) for n in range(1, pages + 1)]
    return [str(offset + n) for n in range(1, pages + 1)]


def typeset_chunk(job: ChunkJob, book, base_url: str, fetcher: LocalOnlyFetcher, paint_options: PaintOptions,
                  ask_offset: Callable[[int], int]) -> ChunkLayout:
    """Lay the chunk out (the folio offset is asked for once its pages are counted), then write both PDFs."""
    from weasyprint import CSS, HTML

    keep_notes_with_calls()
    lend_parsed_stylesheets()
    relaxed: set[str] = set()
    offset = job.offset
    for _attempt in range(NOTE_REPAIR_PASSES + 1):
        document = None  # let the previous layout go first (memory)
        ask = ask_offset if offset is None else (lambda pages, known=offset: known)
        with folios_after_pagination(ask) as request:
            relax = relaxed_blocks_css(relaxed)
            document = HTML(string=job.html, base_url=base_url, url_fetcher=fetcher).render(
                stylesheets=[CSS(string=relax)] if relax else None)
        offset = request[1] if request[1] is not None else ask(len(document.pages))
        if fetcher.refused:
            raise BuildError([SourceError(book.root, f"refused to load {url}: {why}",
                                          hint="keep images and styles inside the book folder")
                              for url, why in fetcher.refused])
        labels = folio_labels(job.chunk, len(document.pages), offset)
        facts = page_facts(document, book, labels)
        late = {call for _note, call, body in facts.footnotes if call and body and body > call}
        culprits = {key for page in late if (key := last_block_on_page(document, page))} - relaxed
        if not culprits:
            break
        relaxed |= culprits
    place = job.folder / f"{job.key[:40]}-{offset}"
    draft = job.folder / f".{place.name}-{os.getpid()}"
    shutil.rmtree(draft, ignore_errors=True)
    draft.mkdir(parents=True)
    screen_pdf, print_pdf = draft / "screen.pdf", draft / "print.pdf"
    levels = [level for page in document.pages for level, *_ in page.bookmarks]
    convert = lambda path: press.print_image(path, paint_options.scratch, paint_options.interior)  # noqa: E731
    inks = partial(press.ink_values, interior=paint_options.interior)
    with stable_pdf_ids(book):
        with paint.without_output_intent(document):
            document.write_pdf(screen_pdf, pdf_identifier=book.identifier.encode(), pdf_variant="pdf/ua-1")
        if job.index == 0:  # the merge takes the print PDF's document level (PDF/X) from the first chunk
            with paint.bleed(document, paint_options.bleed_mm), paint.ink_colours(inks), \
                    paint.print_images(document, convert, fetcher):
                document.write_pdf(print_pdf, pdf_identifier=book.identifier.encode(),
                                   pdf_variant=press.PDF_VARIANTS[paint_options.pdf_x])
        else:
            sources = paint.image_sources(document, fetcher)
            made = {path: convert(path) for path in set(sources.values())}  # each picture converted once
            copies = {name: made[path] for name, path in sources.items()}
            paint.print_from_screen(screen_pdf, print_pdf, inks, copies, paint_options.bleed_mm)
    shutil.rmtree(place, ignore_errors=True)
    os.replace(draft, place)  # whole or absent: a killed build leaves no half-written chunk behind
    return ChunkLayout(job.index, job.chunk, job.key, len(document.pages), offset, facts, levels,
                       place / "screen.pdf", place / "print.pdf", sorted(relaxed))
