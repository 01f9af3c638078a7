"""Merging chunk PDFs into the book PDF, checked on real WeasyPrint output: plain,
PDF/UA-1 (tagged) and PDF/X-4 with a CMYK output intent; PDF/UA-2 for the tag namespace.

The book: front matter (a contents page linking into the essays), a part opener, two essays.
front + blank verso, part opener + blank verso, essay A (2 pages), essay B, one pad page.
"""
from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Dictionary, Name

from bookbuilder.editions.assemble import ChunkPDF, assemble

ICC = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")
CSS = """@page { size: 120mm 180mm; margin: 15mm; @bottom-center { content: "folio " counter(page) } }
h1 { bookmark-level: 1 } h2 { bookmark-level: 2 } h3 { bookmark-level: 3 } .next { break-before: page }"""
X4_CSS = f"""@color-profile device-cmyk {{ src: url("file://{ICC}"); components: cyan, magenta, yellow, black; }}
@page {{ size: 6in 9in; bleed: 3mm }}"""
FLAVOURS = {"plain": (None, ""), "tagged": ("pdf/ua-1", ""), "x4": ("pdf/x-4", X4_CSS), "ua2": ("pdf/ua-2", "")}
CHUNKS = [  # name, body, absolute bookmark levels, blank pages after
    ("front", '<h1 id="contents">Contents</h1><p>Frontpage <a href="bookref:essay-a">Essay A</a>'
              ' <a href="bookref:essay-b">Essay B</a> <a href="bookref:épilogue">Epilogue</a></p>', [1], 1),
    ("part", '<h1 id="part-one">Part One</h1><p>Partpage</p>', [1], 1),
    ("essay-a", '<h2 id="essay-a">Essay A</h2><p>Alphapage <a href="#a-notes">see the notes</a>,'
                ' <a href="bookref:essay-b">Essay B</a></p><h3 id="a-notes" class="next">Notes</h3><p>Notespage</p>',
     [2, 3], 0),
    ("essay-b", '<h2 id="essay-b">Essay B</h2><p>Betapage <a href="bookref:contents">contents</a>'
                ' <a href="https://example.org/">elsewhere</a> <a href="#épilogue">on</a></p>'
                '<p id="épilogue">Epilogue</p>', [2], 0),
]
PAGE_TEXT = ["Frontpage", "", "Partpage", "", "Alphapage", "Notespage", "Betapage", ""]
BLANKS = [i for i, marker in enumerate(PAGE_TEXT) if not marker]
DESTS = {"contents": 0, "part-one": 2, "essay-a": 4, "a-notes": 5, "essay-b": 6, "épilogue": 6}
OUTLINE = [("Contents", 0, 0), ("Part One", 2, 0), ("Essay A", 4, 1), ("Notes", 5, 2), ("Essay B", 6, 1)]
LINKS = {0: ["essay-a", "essay-b", "épilogue"], 4: ["a-notes", "essay-b"], 6: ["contents", "épilogue"]}


def render_chunks(directory: Path, flavour: str) -> list[ChunkPDF]:
    from weasyprint import HTML

    variant, extra_css = FLAVOURS[flavour]
    directory.mkdir()
    chunks = []
    for name, body, levels, blank_after in CHUNKS:
        title = "The Book" if name == "front" else name
        html = (f'<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
                f"<style>{CSS}\n{extra_css}</style></head><body>{body}</body></html>")
        path = directory / f"{name}.pdf"
        HTML(string=html).write_pdf(path, pdf_variant=variant)
        chunks.append(ChunkPDF(path, levels, blank_after))
    return chunks


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, list[ChunkPDF]]:
    base = tmp_path_factory.mktemp("chunks")
    return {flavour: render_chunks(base / flavour, flavour) for flavour in FLAVOURS}


@pytest.fixture(scope="module", params=["plain", "tagged", "x4"])
def book(request, rendered, tmp_path_factory) -> tuple[str, Path]:
    target = tmp_path_factory.mktemp("book") / f"{request.param}.pdf"
    assert assemble(rendered[request.param], target, pad_to_multiple=4) == len(PAGE_TEXT)
    return request.param, target


def pages_text(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1]  # pdftotext ends every page, blank ones too, with a form feed


def page_index(pdf: pikepdf.Pdf) -> dict[tuple[int, int], int]:
    return {page.objgen: i for i, page in enumerate(pdf.pages)}


def named_dests(pdf: pikepdf.Pdf) -> dict[str, pikepdf.Array]:
    flat = list(pdf.Root.Names.Dests.Names)
    return {str(name): dest for name, dest in zip(flat[::2], flat[1::2])}


def outline(pdf: pikepdf.Pdf) -> list[tuple[str, pikepdf.Dictionary, int]]:
    """(title, item, depth) in pre-order, read from the raw /First and /Next chain."""
    items = []

    def walk(item, depth):
        while item is not None:
            items.append((str(item.Title), item, depth))
            walk(item.get("/First"), depth + 1)
            item = item.get("/Next")

    walk(pdf.Root.Outlines.get("/First"), 0)
    return items


def struct_elements(pdf: pikepdf.Pdf) -> dict[tuple[int, int], pikepdf.Dictionary]:
    """Every struct element: down /K from the root, and up /P from the parent tree, where
    WeasyPrint's margin-box elements hang (their parent does not list them in /K)."""
    tree = pdf.Root.StructTreeRoot
    found, todo = {}, list(tree.K)
    for _, value in pikepdf.NumberTree(tree.ParentTree).items():
        todo += list(value) if isinstance(value, pikepdf.Array) else [value]
    while todo:
        element = todo.pop()
        if element.objgen in found or element.get("/Type") != Name.StructElem:
            continue
        found[element.objgen] = element
        todo += [kid for kid in element.K if isinstance(kid, Dictionary)] + [element.P]
    return found


def test_pages_come_in_order_with_blank_versos_and_padding(book):
    _, path = book
    texts = pages_text(path)
    assert len(texts) == len(PAGE_TEXT)
    markers = [marker for marker in PAGE_TEXT if marker]
    for text, expected in zip(texts, PAGE_TEXT):
        assert [marker for marker in markers if marker in text] == ([expected] if expected else [])
        assert bool(text.strip()) == bool(expected)


def test_blank_pages_have_the_boxes_of_the_page_before_and_nothing_else(book):
    flavour, path = book
    with pikepdf.open(path) as pdf:
        for i in BLANKS:
            blank, before = pdf.pages[i].obj, pdf.pages[i - 1].obj
            boxes = {key for key in ("/MediaBox", "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox") if key in before}
            assert set(blank.keys()) == boxes | {"/Type", "/Parent", "/Contents", "/Resources"}
            assert all(list(blank[key]) == list(before[key]) for key in boxes)
            assert blank.Contents.read_bytes() == b"" and len(blank.Resources.keys()) == 0
        if flavour == "x4":  # the bleed is really there, so copying the boxes is tested
            assert list(pdf.pages[1].mediabox) != list(pdf.pages[1].trimbox)


def test_document_level_comes_from_the_first_chunk(book, rendered):
    flavour, path = book
    with pikepdf.open(path) as pdf, pikepdf.open(rendered[flavour][0].path) as first:
        assert pdf.pdf_version == first.pdf_version == {"x4": "1.6"}.get(flavour, "1.7")
        assert path.read_bytes().startswith(f"%PDF-{first.pdf_version}".encode())
        assert str(pdf.Root.Lang) == "en"
        assert {str(k): str(v) for k, v in pdf.docinfo.items()} == {str(k): str(v) for k, v in first.docinfo.items()}
        assert str(pdf.docinfo.Title) == "The Book"
        for key in ("/MarkInfo", "/ViewerPreferences", "/Metadata", "/OutputIntents"):
            assert (key in pdf.Root) == (key in first.Root)
        if "/Metadata" in first.Root:
            assert pdf.Root.Metadata.read_bytes() == first.Root.Metadata.read_bytes()
        if flavour == "tagged":
            assert pdf.Root.MarkInfo.Marked and pdf.Root.ViewerPreferences.DisplayDocTitle
        if flavour == "x4":
            intent = pdf.Root.OutputIntents[0]
            assert intent.S == Name.GTS_PDFX and intent.DestOutputProfile.read_bytes() == ICC.read_bytes()


def test_named_destinations_are_one_sorted_flat_array_leading_to_the_book_pages(book):
    _, path = book
    with pikepdf.open(path) as pdf:
        flat = list(pdf.Root.Names.Dests.Names)
        assert "/Kids" not in pdf.Root.Names.Dests
        assert [bytes(name) for name in flat[::2]] == sorted(bytes(name) for name in flat[::2])
        index = page_index(pdf)
        assert {name: index[dest[0].objgen] for name, dest in named_dests(pdf).items()} == DESTS


def test_bookref_and_internal_links_lead_to_the_right_pages(book):
    flavour, path = book
    with pikepdf.open(path) as pdf:
        index, dests = page_index(pdf), named_dests(pdf)
        keys = {bytes(name) for name in list(pdf.Root.Names.Dests.Names)[::2]}
        for i, page in enumerate(pdf.pages):
            links = [annot for annot in page.obj.get("/Annots", ()) if annot.Subtype == Name.Link]
            internal = [annot for annot in links if "/Dest" in annot]
            assert [str(annot.Dest) for annot in internal] == LINKS.get(i, [])
            assert all("/A" not in annot for annot in internal)
            for annot in internal:
                assert bytes(annot.Dest) in keys  # viewers match names by their bytes (UTF-16 for épilogue)
                assert index[dests[str(annot.Dest)][0].objgen] == DESTS[str(annot.Dest)]
                if flavour == "tagged":  # as WeasyPrint describes an internal link
                    assert annot.Contents == annot.Dest
            external = [str(annot.A.URI) for annot in links if "/A" in annot]
            assert external == (["https://example.org/"] if i == 6 else [])


def test_outline_is_rebuilt_for_the_book_with_positions_kept(book, rendered):
    flavour, path = book
    with pikepdf.open(path) as pdf:
        index = page_index(pdf)
        items = outline(pdf)
        assert [(title, index[item.Dest[0].objgen], depth) for title, item, depth in items] == OUTLINE
        assert all(int(item.get("/Count", 0)) >= 0 for _, item, _ in items)
        assert int(pdf.Root.Outlines.Count) == len(OUTLINE)
        assert int(items[1][1].Count) == 3  # Part One: Essay A, Notes, Essay B, all open
        with pikepdf.open(rendered[flavour][2].path) as essay:
            chunk_dest = outline(essay)[1][1].Dest  # Notes, in essay A's own PDF
            assert list(items[3][1].Dest)[1:] == list(chunk_dest)[1:]


def test_output_passes_qpdf_check_and_is_reproducible(book, rendered, tmp_path):
    flavour, path = book
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0 and "No syntax or stream encoding errors" in check.stdout, check.stdout + check.stderr
    again = tmp_path / "again.pdf"
    assemble(rendered[flavour], again, pad_to_multiple=4)
    assert again.read_bytes() == path.read_bytes()


def check_struct_tree(pdf: pikepdf.Pdf) -> None:
    """One tree whose parent tree agrees with the pages and annotations of the book (brief point 6)."""
    tree = pdf.Root.StructTreeRoot
    document = tree.K[0]
    assert len(tree.K) == 1 and document.S == Name.Document and document.P.objgen == tree.objgen
    nums = list(tree.ParentTree.Nums)
    keys = [int(key) for key in nums[::2]]
    assert keys == list(range(len(keys))) and int(tree.ParentTreeNextKey) == len(keys)
    parents = dict(zip(keys, nums[1::2]))
    used = []
    for i, page in enumerate(pdf.pages):
        if i in BLANKS:
            assert "/StructParents" not in page.obj
            continue
        key = int(page.obj.StructParents)
        used.append(key)
        assert all(element.Pg.objgen == page.objgen for element in parents[key])
        for annot in page.obj.get("/Annots", ()):
            used.append(int(annot.StructParent))
            kids = parents[int(annot.StructParent)].K
            assert any(isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR and kid.Obj.objgen == annot.objgen
                       for kid in kids)
    assert sorted(used) == keys
    pages = {page.objgen for page in pdf.pages}
    for element in struct_elements(pdf).values():
        assert element.S == Name.Document or element.Pg.objgen in pages
        up = element
        for _ in range(50):
            up = up.P
            if up.get("/Type") == Name.StructTreeRoot:
                break
        assert up.objgen == tree.objgen


def test_tags_merge_into_one_tree(rendered, tmp_path):
    target = tmp_path / "tagged.pdf"
    assemble(rendered["tagged"], target, pad_to_multiple=4)
    with pikepdf.open(target) as pdf:
        check_struct_tree(pdf)
        document = pdf.Root.StructTreeRoot.K[0]
        assert all(element.P.objgen == document.objgen for element in document.K)
        merged = Counter(str(element.S) for element in struct_elements(pdf).values())
        top = [str(element.S) for element in document.K]
    chunks, chunk_top = Counter(), []
    for chunk in rendered["tagged"]:
        with pikepdf.open(chunk.path) as pdf:
            chunks += Counter(str(element.S) for element in struct_elements(pdf).values())
            chunk_top += [str(element.S) for element in pdf.Root.StructTreeRoot.K[0].K]
    chunks["/Document"] -= len(rendered["tagged"]) - 1
    assert merged == chunks and chunks["/Link"] == 8 and chunks["/NonStruct"] >= 4  # the folios, one per page
    assert top == chunk_top


@pytest.mark.parametrize("flavour", ["plain", "tagged"])
def test_without_links_no_link_annotation_is_left(rendered, tmp_path, flavour):
    target = tmp_path / "printer.pdf"
    assert assemble(rendered[flavour], target, keep_links=False, pad_to_multiple=4) == len(PAGE_TEXT)
    with pikepdf.open(target) as pdf:
        assert not any("/Annots" in page.obj for page in pdf.pages)
        assert {name: page_index(pdf)[dest[0].objgen] for name, dest in named_dests(pdf).items()} == DESTS
        if flavour == "tagged":
            check_struct_tree(pdf)
            assert len(pdf.Root.StructTreeRoot.ParentTree.Nums) // 2 == len(PAGE_TEXT) - len(BLANKS)
            objrs = [kid for element in struct_elements(pdf).values() for kid in element.K
                     if isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR]
            assert objrs == []
    check = subprocess.run(["qpdf", "--check", str(target)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout


def test_pdf2_tags_keep_their_namespace(rendered, tmp_path):
    """PDF/UA-2 (PDF 2.0): WeasyPrint puts its Document element in the standard namespace."""
    target = tmp_path / "ua2.pdf"
    assemble(rendered["ua2"], target, pad_to_multiple=4)
    with pikepdf.open(target) as pdf:
        check_struct_tree(pdf)
        tree = pdf.Root.StructTreeRoot
        assert pdf.pdf_version == "2.0" and tree.K[0].NS.objgen == tree.Namespaces[0].objgen
        assert str(tree.Namespaces[0].NS) == "http://iso.org/pdf2/ssn"


def with_role_map(chunk: ChunkPDF, directory: Path, roles: dict[str, str]) -> ChunkPDF:
    """A copy of a tagged chunk whose struct tree has a /RoleMap (WeasyPrint writes none)."""
    path = directory / f"roles-{chunk.path.name}"
    with pikepdf.open(chunk.path) as pdf:
        pdf.Root.StructTreeRoot.RoleMap = Dictionary({key: Name(value) for key, value in roles.items()})
        pdf.save(path)
    return ChunkPDF(path, chunk.levels, chunk.blank_after)


def test_role_maps_are_merged_and_must_agree(rendered, tmp_path):
    front, part, *essays = rendered["tagged"]
    chunks = [with_role_map(front, tmp_path, {"/Chapter": "/Sect"}), with_role_map(part, tmp_path, {"/Aside": "/Div"})]
    target = tmp_path / "roles.pdf"
    assemble([*chunks, *essays], target)
    with pikepdf.open(target) as pdf:
        assert dict(pdf.Root.StructTreeRoot.RoleMap) == {"/Chapter": Name.Sect, "/Aside": Name.Div}
    clash = with_role_map(part, tmp_path, {"/Chapter": "/Div"})
    with pytest.raises(ValueError, match="/Chapter"):
        assemble([chunks[0], clash, *essays], target)


def test_errors_name_what_is_wrong(rendered, tmp_path):
    front, part, essay_a, essay_b = rendered["plain"]
    target = tmp_path / "bad.pdf"
    with pytest.raises(ValueError, match="'part-one' is in both"):
        assemble([front, part, part, essay_a, essay_b], target)
    with pytest.raises(ValueError, match="'essay-b'"):  # the contents page links to an essay that is not there
        assemble([front, part, essay_a], target)
    with pytest.raises(ValueError, match="1 bookmarks but 2 levels"):
        assemble([ChunkPDF(front.path, [1, 2]), part, essay_a, essay_b], target)
    with pytest.raises(ValueError, match="not: .*essay-b.pdf"):
        assemble([*rendered["tagged"][:3], essay_b], target)
    with pytest.raises(ValueError, match="no chunks"):
        assemble([], target)
    assert not target.exists()


def test_bookref_links_stay_uri_annotations_in_weasyprint(rendered):
    """What the merge relies on: WeasyPrint keeps an unknown scheme as a /URI action, percent-encoded."""
    for flavour in ("plain", "tagged"):
        with pikepdf.open(rendered[flavour][0].path) as pdf:
            uris = [str(annot.A.URI) for annot in pdf.pages[0].Annots]
            assert uris == ["bookref:essay-a", "bookref:essay-b", "bookref:%C3%A9pilogue"]



def test_table_header_ids_are_unique_in_the_book_and_listed(tmp_path):
    """Each chunk names its table headers after its own object numbers: the merge makes them book-wide."""
    from weasyprint import HTML

    table = ('<table><thead><tr><th>Week</th><th>Cards</th></tr></thead>'
             '<tbody><tr><td>1</td><td>6</td></tr></tbody></table>')
    chunks = []
    for name in ("one", "two"):
        path = tmp_path / f"{name}.pdf"
        HTML(string=f'<html lang="en"><head><title>{name}</title></head><body><h1>{name}</h1>{table}</body></html>'
             ).write_pdf(path, pdf_variant="pdf/ua-1")
        chunks.append(ChunkPDF(path, [1]))
    with pikepdf.open(chunks[0].path) as one, pikepdf.open(chunks[1].path) as two:
        clash = {str(e.ID) for e in one.objects if isinstance(e, Dictionary) and "/ID" in e} & \
                {str(e.ID) for e in two.objects if isinstance(e, Dictionary) and "/ID" in e}
    assert clash  # the same ids in both chunks: what the merge has to undo
    target = tmp_path / "book.pdf"
    assemble(chunks, target)
    with pikepdf.open(target) as pdf:
        listed = dict(pikepdf.NameTree(pdf.Root.StructTreeRoot.IDTree).items())
        elements = [e for e in pdf.objects if isinstance(e, Dictionary) and e.get("/Type") == Name.StructElem]
        ids = [str(e.ID) for e in elements if "/ID" in e]
        assert len(ids) == len(set(ids)) == len(listed) == 4
        assert all(listed[i].objgen == e.objgen for e in elements if "/ID" in e for i in [str(e.ID)])
        headers = [str(h) for e in elements if "/A" in e and "/Headers" in e.A for h in e.A.Headers]
        assert headers and set(headers) <= set(ids)


def test_each_chunks_font_subsets_get_their_own_tags(book):
    """Different subsets of one font must have different tags in one PDF (ISO 32000-1 9.6.4)."""
    _flavour, path = book
    with pikepdf.open(path) as pdf:
        fonts = {}
        for page in pdf.pages:
            for font in page.obj.get("/Resources", {}).get("/Font", {}).values():
                fonts[font.objgen] = font
        names = [str(f.BaseFont) for f in fonts.values()]
        assert len(fonts) >= 4 and len(set(names)) == len(names), names
        for font in fonts.values():
            for descendant in font.get("/DescendantFonts", []):
                assert descendant.BaseFont == font.BaseFont == descendant.FontDescriptor.FontName
