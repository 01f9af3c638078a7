"""What bookbuilder relies on in WeasyPrint and ebooklib, one test per reliance (engine/).

Each test fails with a message naming the engine and its version, what it no longer has
or does, and which module of bookbuilder/engine/ relies on it for what. They lay out
documents of a few lines, never a book, so they run in seconds; scripts/try_engine.py runs
them against another engine version in a scratch environment.
"""
from __future__ import annotations

import functools
import inspect
import io
import types
import zipfile
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

weasyprint = pytest.importorskip("weasyprint")
ebooklib = pytest.importorskip("ebooklib")

from weasyprint import HTML  # noqa: E402

from bookbuilder.engine import boxes, notes_first, paint, stylesheets  # noqa: E402

WEASY = f"WeasyPrint {weasyprint.__version__}"
EBOOK = f"EbookLib {getattr(ebooklib, '__version__', None) or getattr(ebooklib, 'VERSION', '?')}"


def need(condition, engine: str, missing: str, module: str, why: str) -> None:
    """The contract's message: '<engine> no longer has <missing>; engine/<module> relies on it for <why>'."""
    assert condition, f"{engine} no longer has {missing}; engine/{module} relies on it for {why}"


def contract(engine: str, module: str, why: str):
    """A test whose engine raises (a name gone, a signature changed) fails with the contract's message too."""
    def decorate(test):
        @functools.wraps(test)
        def run(*args, **kwargs):
            try:
                return test(*args, **kwargs)
            except AssertionError:
                raise
            except Exception as error:  # noqa: BLE001 - any engine change is reported the same way
                need(False, engine, f"what engine/{module} calls ({type(error).__name__}: {error})", module, why)
        return run
    return decorate


def calls_global(module, name: str) -> bool:
    """Some function of `module` calls `name` through the module's globals (so replacing the global takes effect)."""
    return any(name in f.__code__.co_names for f in vars(module).values()
               if isinstance(f, types.FunctionType) and f.__module__ == module.__name__)


def params(function) -> list[str]:
    return list(inspect.signature(function).parameters)


# ---- notes_first.py: notes stay on their call's page ------------------------------------------------

NOTE_PAGE = """<html><head><style>
@page {{ size: 300px 200px; margin: 0 }}
body {{ margin: 0; font: 10px/20px serif; orphans: 2; widows: 2 }}
p {{ margin: 0 }}
.fn {{ float: footnote }}
</style></head><body>
<p>Call<span class="fn" id="n1">The note, a line.</span> here.</p>
<div style="height: {filler}px"></div>
<p>{words}</p>
</body></html>"""


def note_pages(html: str) -> list[tuple[str, int, int]]:
    """(note id, page of its call, page of the note), as editions/layout_facts.py reads them."""
    calls, notes = {}, {}
    for number, page in enumerate(HTML(string=html).render().pages, 1):
        for box in boxes.walk(boxes.page_box(page)):
            if boxes.tag_of(box).endswith("::footnote-call"):
                calls.setdefault(id(box.element), number)
            if boxes.is_footnote_area(box):
                for note in boxes.children(box):
                    notes.setdefault(id(note.element), (note.element.get("id"), number))
    return [(ident, calls.get(key), number) for key, (ident, number) in notes.items()]


@contract(WEASY, "notes_first.py", "keeping notes on their call's page")
def test_line_layout_is_a_module_function_taking_the_context_first():
    from weasyprint.layout import block

    original = getattr(block, notes_first.TARGET, None)
    original = getattr(original, "__wrapped__", original)
    need(callable(original), WEASY, f"weasyprint.layout.block.{notes_first.TARGET}", "notes_first.py",
         "keeping notes on their call's page (it wraps that function)")
    need(params(original)[:1] == ["context"], WEASY, f"{notes_first.TARGET}(context, ...) as its signature",
         "notes_first.py", "handing the line layout a view of the layout context")
    need(calls_global(block, notes_first.TARGET), WEASY, f"a call to {notes_first.TARGET} through the module's globals",
         "notes_first.py", "its wrapper being the function the block layout calls")


@contract(WEASY, "notes_first.py", "keeping notes on their call's page")
def test_line_layout_pushes_notes_through_current_page_footnotes():
    from weasyprint.layout import LayoutContext, block

    original = getattr(block, notes_first.TARGET)
    original = getattr(original, "__wrapped__", original)
    names = original.__code__.co_names
    need("current_page_footnotes" in names and "report_footnote" in names, WEASY,
         f"{notes_first.TARGET} reading context.current_page_footnotes to push notes on (report_footnote)",
         "notes_first.py", "hiding the page's notes from that decision")
    need("current_page_footnotes" in LayoutContext.__init__.__code__.co_names, WEASY,
         "LayoutContext.current_page_footnotes", "notes_first.py", "hiding the page's notes from the line layout")


@contract(WEASY, "notes_first.py", "keeping notes on their call's page")
def test_the_override_keeps_a_note_on_its_call_page():
    """A page where plain WeasyPrint pushes the note on to fit one more line: with the override it does not."""
    from weasyprint.layout import block

    need(notes_first.keep_notes_with_calls(), WEASY, "the line layout engine/notes_first.py wraps (it logged why)",
         "notes_first.py", "keeping notes on their call's page")
    html = NOTE_PAGE.format(filler=105, words="one " * 70)
    wrapped = getattr(block, notes_first.TARGET)
    try:
        setattr(block, notes_first.TARGET, wrapped.__wrapped__)
        plain = note_pages(html)
    finally:
        setattr(block, notes_first.TARGET, wrapped)
    kept = note_pages(html)
    assert plain == [("n1", 1, 2)], f"{WEASY} no longer pushes this page's note on to keep orphans " \
        f"(got {plain}): engine/notes_first.py may no longer be needed, or this test needs another page"
    need(kept == [("n1", 1, 1)], WEASY, f"the same line layout decision (note pages {kept})", "notes_first.py",
         "keeping notes on their call's page")


# ---- folios.py: folio offsets after pagination ------------------------------------------------------

def margin_texts(page) -> list[str]:
    """The text of the page's margin boxes (the boxes after the html box)."""
    return ["".join(b.text for b in boxes.walk(box) if boxes.is_text(b)) for box in boxes.children(boxes.page_box(page))[1:]]


@contract(WEASY, "folios.py", "numbering a chunk's folios once its pages are counted")
def test_margin_boxes_are_made_by_a_module_global_after_pagination():
    import weasyprint.layout as layout

    make = getattr(layout, "make_margin_boxes", None)
    need(callable(make), WEASY, "weasyprint.layout.make_margin_boxes", "folios.py",
         "numbering a chunk's folios once its pages are counted")
    need(params(getattr(make, "__wrapped__", make)) == ["context", "page", "state"] or
         params(make) == ["context", "page", "state"], WEASY, "make_margin_boxes(context, page, state)",
         "folios.py", "reading the page counters from `state`")
    need(calls_global(layout, "make_margin_boxes"), WEASY, "layout_document calling make_margin_boxes as a global",
         "folios.py", "its wrapper being the one called")


@contract(WEASY, "folios.py", "numbering a chunk's folios once its pages are counted")
def test_folio_offset_is_asked_with_the_page_count_and_shifts_the_folios():
    from bookbuilder.engine.folios import folios_after_pagination

    html = ("<style>@page { size: 200px 100px; margin: 30px; @bottom-center { content: counter(page) } }"
            "div { break-after: page }</style><div>a</div><div>b</div><div>c</div>")
    asked = []
    with folios_after_pagination(lambda pages: asked.append(pages) or 10):
        document = HTML(string=html).render()
    need(asked == [3], WEASY, f"state[1]['pages'] as the page count when margin boxes are made (asked {asked})",
         "folios.py", "asking for a chunk's folio offset")
    folios = [margin_texts(page) for page in document.pages]
    need(folios == [["11"], ["12"], ["13"]], WEASY, f"state[1]['page'] as the folio counter (folios {folios})",
         "folios.py", "shifting the folios by the offset")
    plain = [margin_texts(page) for page in HTML(string=html).render().pages]
    assert plain == [["1"], ["2"], ["3"]], "outside folios_after_pagination the folios must be WeasyPrint's own"


# ---- paint.py: the print PDF ------------------------------------------------------------------------

def content_of(pdf: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return b"".join(page.Contents.read_bytes() if not isinstance(page.Contents, pikepdf.Array)
                        else b"".join(c.read_bytes() for c in page.Contents) for page in doc.pages)


@contract(WEASY, "paint.py", "the print PDF's inks")
def test_every_colour_goes_through_stream_set_color():
    from weasyprint.pdf.stream import Stream

    need(callable(getattr(Stream, "set_color", None)) and params(Stream.set_color)[:3] == ["self", "color", "stroke"],
         WEASY, "weasyprint.pdf.stream.Stream.set_color(self, color, stroke)", "paint.py",
         "drawing the print PDF's colours as inks")
    html = HTML(string='<p style="color: rgb(255, 0, 0); font-size: 40px">Ink</p>')
    with paint.ink_colours(lambda r, g, b: (0.0, 1.0, 1.0, 0.0)):
        inked = content_of(html.write_pdf())
    plain = content_of(html.write_pdf())
    assert b"1 0 0 rg" in plain, "the test page no longer draws its red as RGB"
    need(b"/DeviceCMYK cs\n0 1 1 0 scn" in inked and b"1 0 0 rg" not in inked, WEASY,
         "every colour drawn through Stream.set_color (red was not inked)", "paint.py", "the print PDF's inks")


@pytest.fixture(scope="module")
def pictured(tmp_path_factory):
    """A page with one raster image (red), laid out with WeasyPrint's own fetcher; and a blue image by it."""
    from PIL import Image

    folder = tmp_path_factory.mktemp("pictured")
    Image.new("RGB", (40, 20), (255, 0, 0)).save(folder / "red.png")
    Image.new("RGB", (40, 20), (0, 0, 255)).save(folder / "blue.png")
    return HTML(string=f'<img src="{(folder / "red.png").as_uri()}">').render(), folder


@contract(WEASY, "paint.py", "drawing print images from their converted copies")
def test_laid_out_images_are_replaced_boxes_under_the_private_page_box(pictured):
    document, folder = pictured
    page = document.pages[0]
    need(hasattr(page, "_page_box"), WEASY, "Page._page_box", "paint.py and boxes.py",
         "finding the laid-out images and the boxes the build's facts are read from")
    found = list(paint.replaced_boxes(document))
    need(len(found) == 1, WEASY, f"the image as a ReplacedBox in the page's boxes (found {len(found)})",
         "paint.py", "drawing print images from their converted copies")
    from weasyprint.images import RasterImage

    need(isinstance(getattr(found[0], "replacement", None), RasterImage), WEASY,
         "ReplacedBox.replacement as a weasyprint.images.RasterImage", "paint.py", "swapping in the print copy")


@contract(WEASY, "paint.py", "drawing print images from their converted copies")
def test_print_images_draws_the_converted_copy(pictured):
    from weasyprint.images import get_image_from_uri

    from bookbuilder.engine.fetch import LocalOnlyFetcher

    document, folder = pictured
    fetcher = LocalOnlyFetcher([folder])
    need(params(get_image_from_uri)[:4] == ["cache", "url_fetcher", "options", "url"], WEASY,
         "weasyprint.images.get_image_from_uri(cache, url_fetcher, options, url)", "paint.py",
         "loading the print copy of an image")
    before = [box.replacement for box in paint.replaced_boxes(document)]
    plain = document.write_pdf()
    with paint.print_images(document, lambda path: folder / "blue.png", fetcher):
        swapped = document.write_pdf()
    after = [box.replacement for box in paint.replaced_boxes(document)]
    assert after == before, "print_images must put the original images back"

    def colours(pdf):
        with pikepdf.open(io.BytesIO(pdf)) as doc:
            return {pikepdf.PdfImage(image).as_pil_image().getpixel((0, 0))
                    for page in doc.pages for image in page.get_images().values()}
    need(colours(plain) == {(255, 0, 0)} and colours(swapped) == {(0, 0, 255)}, WEASY,
         "ReplacedBox.replacement read when the PDF is written", "paint.py", "printing converted images")


@contract(WEASY, "paint.py", "the print PDF's bleed and output intent")
def test_page_bleed_and_output_intents_are_read_when_writing(pictured):
    document = pictured[0]
    page = document.pages[0]
    need(isinstance(getattr(page, "bleed", None), dict) and set(page.bleed) == {"top", "right", "bottom", "left"},
         WEASY, "Page.bleed as a dict of four sides", "paint.py", "the print PDF's bleed")
    need(isinstance(getattr(document, "color_profiles", None), dict), WEASY, "Document.color_profiles",
         "paint.py", "leaving the CMYK output intent out of the screen PDF")

    def media_width(pdf):
        with pikepdf.open(io.BytesIO(pdf)) as doc:
            box = [float(v) for v in doc.pages[0].MediaBox]
            return box[2] - box[0]
    plain = media_width(document.write_pdf())
    with paint.bleed(document, 3):
        bled = media_width(document.write_pdf())
    need(abs(bled - plain - 2 * 3 / 25.4 * 72) < 0.1, WEASY, f"Page.bleed read by write_pdf (width {plain} -> {bled})",
         "paint.py", "the print PDF's bleed")


@contract(WEASY, "paint.py", "the print PDF made from the screen PDF")
def test_the_print_pdf_made_from_the_screen_pdf_draws_what_weasyprint_inks(pictured, tmp_path, monkeypatch):
    """Colours (text, rules, an SVG, a transparency group), a raster image and the bleed: the print PDF
    made from WeasyPrint's screen PDF must look exactly like WeasyPrint's own inked write of the layout."""
    import subprocess

    from PIL import Image, ImageChops

    from bookbuilder.engine.fetch import LocalOnlyFetcher

    _document, folder = pictured
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
           '<rect width="40" height="20" fill="rgb(0,128,255)"/></svg>')
    (folder / "shape.svg").write_text(svg)
    html = (f'<p style="color: rgb(200, 30, 30); border-bottom: 3px solid rgb(20, 90, 200)">Ink</p>'
            f'<div style="opacity: 0.5; background: rgb(0, 160, 0); color: rgb(90, 0, 90)">Half</div>'
            f'<img src="{(folder / "red.png").as_uri()}"><img src="{(folder / "shape.svg").as_uri()}">'
            f'<p style="break-before: page"><img src="{(folder / "red.png").as_uri()}"></p>')
    document = HTML(string=html).render()
    fetcher = LocalOnlyFetcher([folder])
    inks = lambda r, g, b: (round(1 - r, 3), round(1 - g, 3), round(1 - b, 3), 0.0)  # noqa: E731
    convert = lambda path: tmp_path / "copy.jpg"  # noqa: E731
    Image.new("CMYK", (40, 20), (0, 255, 0, 0)).save(tmp_path / "copy.jpg")  # magenta, in inks
    screen = tmp_path / "screen.pdf"
    document.write_pdf(screen)
    with paint.bleed(document, 3), paint.ink_colours(inks), paint.print_images(document, convert, fetcher):
        (tmp_path / "weasyprint.pdf").write_bytes(document.write_pdf())
    sources = paint.image_sources(document, fetcher)
    with pikepdf.open(screen) as pdf:
        names = {str(n) for page in pdf.pages for n in page.Resources.XObject.keys()}
    need(sources and set(sources) & names, WEASY, f"raster images named i<RasterImage.id><0|1> (names {names})",
         "paint.py", "finding each image of the screen PDF to swap in its print copy")
    embedded = []
    monkeypatch.setattr(paint, "_image_stream", lambda *a, real=paint._image_stream: embedded.append(a) or real(*a))
    paint.print_from_screen(screen, tmp_path / "made.pdf", inks, {n: convert(p) for n, p in sources.items()}, 3)
    assert len(embedded) == 1, f"the print copy embedded {len(embedded)} times for one image on two pages"
    with pikepdf.open(tmp_path / "made.pdf") as made, pikepdf.open(tmp_path / "weasyprint.pdf") as own:
        from bookbuilder.checks.preflight import scan_pages

        rgb = [found for _n, scan in scan_pages(made) for found in scan.rgb]
        need(not rgb, WEASY, f"every sRGB colour as a line 'r g b rg|RG', groups in /DeviceRGB (left: {rgb})",
             "paint.py", "the print PDF's inks")
        copies = {x.objgen for page in made.pages for x in page.Resources.XObject.values() if x.Subtype == "/Image"}
        assert len(made.pages) == 2 and len(copies) == 1, f"one print copy for the image on both pages, not {len(copies)}"
        for box in ("/MediaBox", "/BleedBox", "/TrimBox"):
            need([round(float(v), 3) for v in made.pages[0].obj[box]] == [round(float(v), 3) for v in own.pages[0].obj[box]],
                 WEASY, f"the bleed written as WeasyPrint's {box}", "paint.py", "the print PDF's bleed")
    pictures = []
    for name in ("made", "weasyprint"):
        subprocess.run(["pdftoppm", "-r", "40", "-png", "-singlefile", str(tmp_path / f"{name}.pdf"), str(tmp_path / name)],
                       check=True)
        pictures.append(Image.open(tmp_path / f"{name}.png").convert("RGB"))
    assert pictures[0].convert("L").getextrema()[0] < 128, "the made page shows nothing: the comparison proves nothing"
    need(ImageChops.difference(*pictures).getbbox() is None, WEASY,
         "a screen PDF that, inked, draws what WeasyPrint's own inked write draws", "paint.py",
         "the print PDF made from the screen PDF")


# ---- pdf_ids.py: a stable PDF/X-4 document id -------------------------------------------------------

@contract(WEASY, "pdf_ids.py", "a PDF/X-4 document id that is the same from build to build")
def test_xmp_document_id_comes_from_metadata_uuid4():
    from weasyprint.pdf import metadata

    from bookbuilder.engine.pdf_ids import stable_pdf_ids
    from bookbuilder.model import Book

    html = HTML(string='<html lang="en"><head><meta name="dcterms.created" content="2026-11-01T00:00:00Z">'
                       '<meta name="dcterms.modified" content="2026-11-01T00:00:00Z">'  # else: the clock
                       '</head><body>x</body></html>')
    if not callable(getattr(metadata, "uuid4", None)):
        plain = {html.write_pdf(pdf_variant="pdf/x-4", pdf_identifier=b"x") for _ in range(2)}
        need(False, WEASY, "weasyprint.pdf.metadata.uuid4 (its PDF/X-4 is "
             f"{'reproducible without it' if len(plain) == 1 else 'random elsewhere'})", "pdf_ids.py",
             "a PDF/X-4 document id that is the same from build to build")
    book = Book(root=Path("."), slug="x", title="X", identifier="urn:isbn:9798987123409")
    written = []
    for _ in range(2):
        with stable_pdf_ids(book):
            written.append(html.write_pdf(pdf_variant="pdf/x-4", pdf_identifier=b"x"))
    need(written[0] == written[1], WEASY, "the XMP document id drawn from metadata.uuid4 (two writes differ)",
         "pdf_ids.py", "byte-identical PDF/X-4 files")


# ---- boxes.py: the laid-out box tree ------------------------------------------------------------------

@pytest.fixture(scope="module")
def noted():
    html = ("<style>@page { size: 300px 200px; margin: 20px } .fn { float: footnote } h1 { break-before: right }"
            "</style><p id='first' data-block='b1'>Call<span class='fn' id='n1'>A note.</span> here.</p>"
            "<h1 id='second'>Heading</h1><table><thead><tr><th>Head</th></tr></thead>"
            + "".join(f"<tr><td>row {i}</td></tr>" for i in range(12)) + "</table>")
    return HTML(string=html).render()


@contract(WEASY, "boxes.py", "the facts a build reads from its layout")
def test_the_page_box_holds_the_html_box_first(noted):
    root = boxes.html_box(noted.pages[0])
    need(getattr(getattr(root, "element", None), "tag", None) == "html", WEASY,
         "the html element's box as the first child of Page._page_box", "boxes.py", "reading the body flow of a page")
    blocks = [boxes.element_of(b).get("id") for b in boxes.walk(root) if boxes.is_block_or_cell(b)
              and boxes.element_of(b) is not None]
    need("first" in blocks, WEASY, "BlockLevelBox boxes carrying their element (with its id)", "boxes.py",
         "where each essay and block begins")
    text = "".join(b.text for b in boxes.walk(root) if boxes.is_text(b))
    need("Call" in text and "here." in text, WEASY, "TextBox.text", "boxes.py", "counting the letters of a page")


@contract(WEASY, "boxes.py", "the EPUB's page list")
def test_blank_pages_are_marked(noted):
    blank = [boxes.is_blank(page) for page in noted.pages]
    need(blank[:3] == [False, True, False], WEASY, f"PageBox.page_type.blank (pages: {blank})", "boxes.py",
         "leaving blank pages out of the EPUB's page list")


@contract(WEASY, "boxes.py", "the page of each note and its call")
def test_notes_are_in_the_footnote_area_and_calls_are_tagged(noted):
    page = boxes.page_box(noted.pages[0])
    areas = [b for b in boxes.walk(page) if boxes.is_footnote_area(b)]
    need(areas and any(boxes.element_of(n).get("id") == "n1" for n in boxes.children(areas[0])), WEASY,
         "FootnoteAreaBox holding the page's notes", "boxes.py", "the page each note is printed on")
    tags = {boxes.tag_of(b) for b in boxes.walk(page)}
    need(any(t.endswith("::footnote-call") for t in tags), WEASY, "box.element_tag ending '::footnote-call'",
         "boxes.py", "the page of each note call")


@contract(WEASY, "boxes.py", "the EPUB's page list")
def test_repeated_table_headers_are_marked(noted):
    heads = [b for page in noted.pages for b in boxes.walk(boxes.page_box(page)) if boxes.is_repeated_group(b)]
    need(len(heads) >= 2, WEASY, f"is_header on the table header repeated on each page ({len(heads)} found)",
         "boxes.py", "counting a repeated header's letters once")


# ---- fetch.py: the local-only fetcher -------------------------------------------------------------

@contract(WEASY, "fetch.py", "keeping a build inside the book folder")
def test_url_fetcher_class_is_called_for_every_resource(tmp_path):
    import weasyprint.urls
    from PIL import Image

    need(isinstance(getattr(weasyprint.urls, "URLFetcher", None), type), WEASY, "weasyprint.urls.URLFetcher",
         "fetch.py", "keeping a build inside the book folder (before WeasyPrint 68 a fetcher was a function)")
    from bookbuilder.engine.fetch import LocalOnlyFetcher

    need("allowed_protocols" in params(weasyprint.urls.URLFetcher.__init__), WEASY,
         "weasyprint.urls.URLFetcher(allowed_protocols=...)", "fetch.py", "refusing remote resources")
    inside, outside = tmp_path / "book", tmp_path / "elsewhere"
    inside.mkdir(), outside.mkdir()
    Image.new("RGB", (4, 4)).save(outside / "secret.png")
    Image.new("RGB", (4, 4)).save(inside / "copy.png")
    fetcher = LocalOnlyFetcher([inside], {"file:///served/alias.png": inside / "copy.png"})
    document = HTML(string=f'<img src="{(outside / "secret.png").as_uri()}"><img src="https://example.org/x.png">'
                           '<img src="file:///served/alias.png">', url_fetcher=fetcher).render()
    refused = sorted(why for _, why in fetcher.refused)
    need(refused == ["outside the book folder", "remote resources are never fetched"], WEASY,
         f"URLFetcher.fetch(url) called for each image (refused: {refused})", "fetch.py",
         "keeping a build inside the book folder")
    need(len(list(paint.replaced_boxes(document))) == 1, WEASY, "an aliased URL served by fetch()", "fetch.py",
         "serving converted copies under stable URLs")


# ---- ebook.py: the EPUB writer --------------------------------------------------------------------

@contract(EBOOK, "ebook.py", "a reproducible EPUB with our page list")
def test_epub_writer_writes_through_the_private_steps_we_call():
    from ebooklib import epub

    for name in ("_write_container", "_write_opf", "_write_items", "_write_opf_file", "_get_nav"):
        need(callable(getattr(epub.EpubWriter, name, None)), EBOOK, f"EpubWriter.{name}", "ebook.py",
             "writing the package with dated entries, xml:lang and our page list")
    need("_write_opf_file" in epub.EpubWriter._write_opf.__code__.co_names, EBOOK,
         "_write_opf handing the <package> element to _write_opf_file", "ebook.py", "xml:lang on the package")
    need("_get_nav" in epub.EpubWriter._write_items.__code__.co_names, EBOOK,
         "_write_items writing the nav from _get_nav", "ebook.py", "the page list in the nav")
    need(params(epub.EpubWriter._get_nav) == ["self", "item"], EBOOK, "EpubWriter._get_nav(self, item)",
         "ebook.py", "editing the nav document")


@contract(EBOOK, "ebook.py", "a reproducible EPUB with our page list")
def test_book_writer_dates_entries_sets_the_language_and_edits_the_nav(tmp_path):
    import datetime as dt

    from bookbuilder.engine.ebook import EPUB_NS, BookWriter, epub

    pkg = epub.EpubBook()
    pkg.set_identifier("urn:uuid:0"), pkg.set_title("T"), pkg.set_language("fr")
    chapter = epub.EpubHtml(title="One", file_name="one.xhtml", lang="fr")
    chapter.content = "<html><body><p>Un.</p></body></html>"
    pkg.add_item(chapter)
    pkg.toc = [epub.Link("one.xhtml", "One", "one")]
    pkg.add_item(epub.EpubNcx()), pkg.add_item(epub.EpubNav())
    pkg.spine = ["nav", chapter]
    target = tmp_path / "t.epub"
    writer = BookWriter(str(target), pkg, {"mtime": dt.datetime(2001, 2, 3, 4, 5, 6), "epub3_pages": False})
    writer.language = "fr"
    seen = []

    def edit(root, file_name):
        seen.append(file_name)
        body = next(el for el in root.iter() if isinstance(el.tag, str) and etree.QName(el).localname == "body")
        body.append(etree.Element(f"{{{etree.QName(body).namespace}}}p", {"id": "ours"}))
    writer.edit_nav = edit
    writer.process()
    writer.write()
    with zipfile.ZipFile(target) as z:
        dates = {info.date_time for info in z.infolist()}
        need(z.namelist()[0] == "mimetype", EBOOK, "mimetype as the first entry", "ebook.py", "a valid EPUB zip")
        need(dates == {(2001, 2, 3, 4, 5, 6)}, EBOOK, f"every entry written with writestr (dates {dates})",
             "ebook.py", "zip entries dated from the book")
        opf = etree.fromstring(z.read("EPUB/content.opf"))
        need(opf.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr", EBOOK,
             "the <package> element passing through _write_opf_file", "ebook.py", "xml:lang on the package")
        nav = z.read("EPUB/nav.xhtml").decode()
    need(seen == ["nav.xhtml"] and 'id="ours"' in nav, EBOOK, "the nav written from _get_nav(item)", "ebook.py",
         "our page list in the nav")
    assert EPUB_NS == "http://www.idpf.org/2007/ops"


# ---- stylesheets.py: the house stylesheets parsed once per process ---------------------------------

@contract(WEASY, "stylesheets.py", "parsing each linked stylesheet once per process")
def test_find_stylesheets_is_a_module_global_with_the_arguments_we_replace_it_with():
    import weasyprint.css as css

    need(calls_global(css, "find_stylesheets"), WEASY, "a find_stylesheets global that the cascade calls",
         "stylesheets.py", "parsing each linked stylesheet once per process")
    original = getattr(css.find_stylesheets, "original", css.find_stylesheets)
    need(params(original) == params(stylesheets._find_stylesheets), WEASY,
         f"find_stylesheets({', '.join(params(stylesheets._find_stylesheets))})", "stylesheets.py",
         "parsing each linked stylesheet once per process")
    need({"_check_mime_type", "page_rules", "layers"} <= set(params(weasyprint.CSS.__init__)), WEASY,
         "CSS(_check_mime_type=, page_rules=, layers=)", "stylesheets.py", "parsing a sheet as a <link> would")


@contract(WEASY, "stylesheets.py", "parsing each linked stylesheet once per process")
def test_a_lent_sheet_gives_the_same_pages_as_a_parsed_one(tmp_path):
    sheet = tmp_path / "house.css"
    sheet.write_text("@page { size: 200px 100px; margin: 10px } p { font: 10px/50px serif; color: #c00 }")
    page = f'<html><head><link rel="stylesheet" href="{sheet.as_uri()}"></head><body>' + "<p>x</p>" * 5 + "</body></html>"
    stylesheets.install()
    lent = [HTML(string=page, base_url=tmp_path.as_uri() + "/").render() for _ in range(2)]
    import weasyprint.css as css
    installed, css.find_stylesheets = css.find_stylesheets, css.find_stylesheets.original
    try:
        plain = HTML(string=page, base_url=tmp_path.as_uri() + "/").render()
    finally:
        css.find_stylesheets = installed
    key = next(k for k in stylesheets._parsed if k[0] == sheet.as_uri())
    need(stylesheets._parsed[key] is not None, WEASY, "a sheet that parses without side effects", "stylesheets.py",
         "lending it to the next document")
    sizes = [[(p.width, p.height) for p in d.pages] for d in (*lent, plain)]
    need(sizes[0] == sizes[1] == sizes[2] == [(200.0, 100.0)] * 5, WEASY, "the same @page rules from a lent sheet",
         "stylesheets.py", "laying out a chunk as the whole book would")
    need(content_of(lent[1].write_pdf()) == content_of(plain.write_pdf()), WEASY, "the same cascade from a lent sheet",
         "stylesheets.py",
         "laying out a chunk as the whole book would")
