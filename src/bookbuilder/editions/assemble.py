"""Merge the PDFs WeasyPrint wrote for the chunks of a book into the book PDF.

A page-level merge keeps only pages: each chunk's named destinations, outline, tags and
document-level entries belong to its own catalog, and links into other chunks were dropped
by WeasyPrint (engine-notes §4). This module rebuilds those for the whole book.

Pages are copied before anything else that refers to them: qpdf copies an object of a
source file once and remembers the copy, so a struct element's /Pg copied later leads to
the page already in the book, whereas a page first met inside a struct element is not
copied at all ("not crossing page boundary") and would come out null.
"""
from __future__ import annotations

import hashlib
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import unquote

import pikepdf
from pikepdf import Array, Dictionary, Name, String

BOOKREF = "bookref:"  # the scheme the chunk HTML uses for links into another chunk
BOX_KEYS = ("/MediaBox", "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox")
CATALOG_KEYS = ("/Lang", "/MarkInfo", "/ViewerPreferences", "/Metadata", "/OutputIntents")


@dataclass
class ChunkPDF:
    path: Path  # a PDF WeasyPrint 70 wrote for one chunk of the book
    levels: list[int]  # the absolute bookmark level of each item of this PDF's outline, in pre-order
    blank_after: int = 0  # blank pages to add after this chunk's pages (the verso left empty before a recto opening)


@dataclass
class _Placed:
    """One opened chunk and where its pages went in the book."""

    spec: ChunkPDF
    source: pikepdf.Pdf
    pages: list[pikepdf.Dictionary]  # the book's copies of the chunk's pages, in order
    page_of: dict[tuple[int, int], pikepdf.Dictionary]  # source page objgen -> the book's copy


@dataclass
class _OutlineNode:
    level: float
    item: pikepdf.Dictionary
    kids: list[_OutlineNode] = field(default_factory=list)


def assemble(chunks: list[ChunkPDF], target: Path, *, keep_links: bool = True, pad_to_multiple: int = 1,
             drop_links_out: bool = False, folios: list[str] | None = None,
             finish: Callable[[pikepdf.Pdf], None] | None = None) -> int:
    """Merge the chunk PDFs into one book PDF at `target`; returns the page count.

    `folios`, the printed number of each page ("iv", "17"), become the viewer's page labels.
    `finish` makes the edition's own changes (XMP identifiers, crop marks) to the merged book
    before its one save: saving a 600-page PDF again for each took half a second.
    """
    _check_arguments(chunks, pad_to_multiple)
    with ExitStack() as stack:
        book = stack.enter_context(pikepdf.new())
        placed = [_place(book, stack.enter_context(pikepdf.open(c.path)), c) for c in chunks]
        _distinct_subset_tags(placed)
        _add_blanks(book, -len(book.pages) % pad_to_multiple)
        first = placed[0].source
        _take_document_level(book, first)
        _share_colour_profiles(book)
        names = _merge_dests(book, placed)
        _write_outline(book, placed)
        removed = _resolve_links(book, names, keep_links, drop_links_out)
        if "/StructTreeRoot" in first.Root:
            _merge_tags(book, placed, removed)
        if folios:
            book.Root.PageLabels = _page_labels(folios)
        if "/ID" in first.trailer:  # qpdf keeps the first half (the book's identifier) and derives the second
            book.trailer.ID = book.copy_foreign(first.trailer.ID) if first.trailer.ID.is_indirect \
                else Array([String(bytes(first.trailer.ID[0]))] * 2)
        if finish is not None:
            finish(book)
        _save(book, target, first.pdf_version)
        return len(book.pages)


def _check_arguments(chunks: list[ChunkPDF], pad_to_multiple: int) -> None:
    if not chunks:
        raise ValueError("no chunks to assemble")
    if pad_to_multiple < 1:
        raise ValueError(f"pad_to_multiple must be at least 1, not {pad_to_multiple}")
    negative = [str(c.path) for c in chunks if c.blank_after < 0]
    if negative:
        raise ValueError(f"negative blank_after for {', '.join(negative)}")


def _place(book: pikepdf.Pdf, source: pikepdf.Pdf, chunk: ChunkPDF) -> _Placed:
    """Append the chunk's pages, then its blank pages; remember which copy is which page."""
    start = len(book.pages)
    for page in source.pages:
        book.pages.append(page)
    pages = [page.obj for page in book.pages[start:]]
    page_of = {page.objgen: copy for page, copy in zip(source.pages, pages)}
    _add_blanks(book, chunk.blank_after)
    return _Placed(chunk, source, pages, page_of)


def _add_blanks(book: pikepdf.Pdf, count: int) -> None:
    """Blank pages cut like the page before them, with nothing on them, so trim and bleed stay uniform."""
    for _ in range(count):
        before = book.pages[-1].obj
        blank = Dictionary(Type=Name.Page, Contents=book.make_stream(b""), Resources=Dictionary())
        for key in BOX_KEYS:
            if key in before:
                blank[key] = Array(list(before[key]))
        book.pages.append(pikepdf.Page(book.make_indirect(blank)))


def _import(book: pikepdf.Pdf, source: pikepdf.Pdf, obj: pikepdf.Object) -> pikepdf.Object:
    """copy_foreign takes only indirect objects; a direct one is made indirect in the source
    (open only for reading) first. A string, /Lang, needs no copying."""
    if isinstance(obj, String):
        return obj
    return book.copy_foreign(obj if obj.is_indirect else source.make_indirect(obj))


def _take_document_level(book: pikepdf.Pdf, first: pikepdf.Pdf) -> None:
    """The book is described by its first chunk: language, tagging flags, XMP, output intent, info."""
    for key in CATALOG_KEYS:
        if key in first.Root:
            book.Root[key] = _import(book, first, first.Root[key])
    if "/Info" in first.trailer:
        book.trailer.Info = _import(book, first, first.trailer.Info)


def _fonts_of(resources: pikepdf.Dictionary, seen: set):
    """The font dictionaries a page's resources use, those of its form XObjects included."""
    for font in resources.get("/Font", {}).values():
        if font.objgen not in seen:
            seen.add(font.objgen)
            yield font
    for xobject in resources.get("/XObject", {}).values():
        if xobject.get("/Subtype") == Name.Form and "/Resources" in xobject and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            yield from _fonts_of(xobject.Resources, seen)


def _distinct_subset_tags(placed: list[_Placed]) -> None:
    """Give each chunk's font subsets their own tags.

    WeasyPrint tags a subset after the font (AEARFU+EB-Garamond-House in every chunk), but
    each chunk's subset holds other glyphs, and a PDF must give different subsets different
    tags (ISO 32000-1 9.6.4): a RIP that caches fonts by name could draw one chunk's text
    with another's glyphs. The new tag is derived from the old one and the chunk's place.
    """
    seen: set = set()
    for n, chunk in enumerate(placed):
        for page in chunk.pages:
            for font in _fonts_of(page.get("/Resources", Dictionary()), seen):
                for named in [font, *font.get("/DescendantFonts", [])]:
                    for owner, key in ((named, "/BaseFont"), (named.get("/FontDescriptor"), "/FontName")):
                        if owner is not None and key in owner:
                            owner[key] = Name("/" + _retagged(str(owner[key])[1:], n))


def _retagged(name: str, chunk: int) -> str:
    tag, plus, rest = name.partition("+")
    if not plus or len(tag) != 6 or not tag.isupper():
        return name
    digest = hashlib.sha256(f"{chunk}:{tag}".encode()).digest()
    return "".join(chr(ord("A") + b % 26) for b in digest[:6]) + "+" + rest


ROMAN = dict(zip("ivxlcdm", (1, 5, 10, 50, 100, 500, 1000)))


def _folio_number(folio: str) -> tuple[str, int] | None:
    """("D", 17) for "17", ("r", 4) for "iv"; None for anything else."""
    if folio.isdigit():
        return "D", int(folio)
    if folio and set(folio) <= set(ROMAN):
        values = [ROMAN[c] for c in folio]
        return "r", sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
    return None


def _page_labels(folios: list[str]) -> Dictionary:
    """A /PageLabels number tree: a new range wherever the style changes or the numbers do not run on."""
    nums, previous = [], None
    for index, folio in enumerate(folios):
        number = _folio_number(folio)
        if number is None:
            continue
        if previous is None or number[0] != previous[0] or number[1] != previous[1] + (index - previous[2]):
            nums += [index, Dictionary(S=Name("/" + number[0]), St=number[1])]
            previous = (*number, index)
    return Dictionary(Nums=Array(nums))


def _share_colour_profiles(book: pikepdf.Pdf) -> None:
    """One copy of each ICC profile: every chunk of the print PDF embeds the CMYK profile (some 120 kB)."""
    canonical: dict[bytes, pikepdf.Object] = {}

    def share(stream: pikepdf.Object) -> pikepdf.Object:
        return canonical.setdefault(hashlib.sha256(stream.read_raw_bytes()).digest(), stream)

    for intent in book.Root.get("/OutputIntents", []):
        if "/DestOutputProfile" in intent:
            intent.DestOutputProfile = share(intent.DestOutputProfile)
    for page in book.pages:
        spaces = page.obj.get("/Resources", {}).get("/ColorSpace", {})
        for key in list(spaces.keys()):
            space = spaces[key]
            if isinstance(space, Array) and len(space) == 2 and space[0] == "/ICCBased":
                spaces[key] = Array([Name.ICCBased, share(space[1])])


def _retarget(dest: pikepdf.Array, page_of: dict) -> pikepdf.Array:
    """An explicit destination [page /XYZ x y zoom], leading to the book's copy of the page."""
    return Array([page_of[dest[0].objgen], *dest[1:]])


def _dest_pairs(source: pikepdf.Pdf) -> list[tuple[String, pikepdf.Array]]:
    """The chunk's named destinations, as WeasyPrint writes them: one flat /Names array.

    The names stay the chunk's own PDF strings: WeasyPrint writes a non-ASCII name in UTF-16,
    and a link in the chunk only finds its destination under the same bytes.
    """
    names = source.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return []
    flat = list(names.Dests.Names)
    return list(zip(flat[::2], flat[1::2]))


def _merge_dests(book: pikepdf.Pdf, placed: list[_Placed]) -> dict[str, String]:
    """Write the union of the chunks' named destinations, sorted by their bytes as a name tree
    must be; return each name's PDF string."""
    found: dict[str, tuple[String, pikepdf.Array, Path]] = {}
    for chunk in placed:
        for pdf_name, dest in _dest_pairs(chunk.source):
            name = str(pdf_name)
            if name in found:
                raise ValueError(f"named destination {name!r} is in both {found[name][2]} and {chunk.spec.path}")
            found[name] = (pdf_name, _retarget(dest, chunk.page_of), chunk.spec.path)
    if found:
        pairs = sorted(((pdf_name, dest) for pdf_name, dest, _ in found.values()), key=lambda pair: bytes(pair[0]))
        book.Root.Names = Dictionary(Dests=Dictionary(Names=Array([obj for pair in pairs for obj in pair])))
    return {name: pdf_name for name, (pdf_name, _, _) in found.items()}


def _outline_items(item: pikepdf.Dictionary | None) -> list[pikepdf.Dictionary]:
    """`item`, its following siblings and all their descendants, in pre-order."""
    items = []
    while item is not None:
        items.append(item)
        items += _outline_items(item.get("/First"))
        item = item.get("/Next")
    return items


def _outline_entries(placed: list[_Placed]) -> list[tuple[int, String, pikepdf.Array]]:
    """(level, title, destination in the book) of every chunk's bookmarks, in book order."""
    entries = []
    for chunk in placed:
        outlines = chunk.source.Root.get("/Outlines")
        items = _outline_items(outlines.get("/First")) if outlines is not None else []
        if len(items) != len(chunk.spec.levels):
            raise ValueError(f"{chunk.spec.path} has {len(items)} bookmarks but {len(chunk.spec.levels)} levels")
        entries += [(level, item.Title, _retarget(item.Dest, chunk.page_of))
                    for level, item in zip(chunk.spec.levels, items)]
    return entries


def _write_outline(book: pikepdf.Pdf, placed: list[_Placed]) -> None:
    """One outline for the book: an item is a child of the nearest earlier item with a smaller level,
    which is how WeasyPrint nests bookmarks within one document."""
    entries = _outline_entries(placed)
    if not entries:
        return
    root = _OutlineNode(float("-inf"), book.make_indirect(Dictionary(Type=Name.Outlines)))
    path = [root]
    for level, title, dest in entries:
        while path[-1].level >= level:
            path.pop()
        node = _OutlineNode(level, book.make_indirect(Dictionary(Title=title, Dest=dest, Parent=path[-1].item)))
        path[-1].kids.append(node)
        path.append(node)
    _link_outline(root)
    book.Root.Outlines = root.item


def _link_outline(node: _OutlineNode) -> int:
    """Chain the node's subtree (First/Last/Prev/Next) with every item open; return its number of descendants."""
    count = 0
    for before, kid in zip([None, *node.kids], node.kids):
        if before is not None:
            before.item.Next, kid.item.Prev = kid.item, before.item
        count += 1 + _link_outline(kid)
    if node.kids:
        node.item.First, node.item.Last, node.item.Count = node.kids[0].item, node.kids[-1].item, count
    return count


def _resolve_links(book: pikepdf.Pdf, names: dict[str, String], keep_links: bool,
                   drop_links_out: bool = False) -> set[tuple[int, int]]:
    """Turn bookref: links into links to named destinations; without keep_links, remove every link;
    with drop_links_out, remove the bookref: links to no chunk given (an offprint's links out of its essay).

    Returns the objgens of the removed link annotations, which the struct tree still refers to.
    """
    removed = set()
    for page in book.pages:
        annots = page.obj.get("/Annots")
        if annots is None:
            continue
        dropped = {annot.objgen for annot in annots if not _resolve_bookref(annot, names, drop_links_out)}
        if dropped or not keep_links:
            removed |= dropped | ({annot.objgen for annot in annots if annot.get("/Subtype") == Name.Link}
                                  if not keep_links else set())
            kept = [annot for annot in annots if annot.objgen not in removed]
            if kept:
                page.obj.Annots = Array(kept)
            else:
                del page.obj.Annots
    return removed


def _resolve_bookref(annot: pikepdf.Dictionary, names: dict[str, String], drop_unknown: bool = False) -> bool:
    """A link WeasyPrint kept as the URI bookref:NAME becomes the internal link /Dest (NAME) it stands for.

    False: a bookref: link to no chunk given, to be dropped (with `drop_unknown`; otherwise an error).
    """
    action = annot.get("/A")
    if annot.get("/Subtype") != Name.Link or action is None or action.get("/S") != Name.URI:
        return True
    uri = str(action.URI)
    if not uri.startswith(BOOKREF):
        return True
    name = unquote(uri[len(BOOKREF):])  # WeasyPrint percent-encodes non-ASCII in URIs
    if name not in names:
        if drop_unknown:
            return False
        raise ValueError(f"link to {uri!r}: no chunk has the named destination {name!r}")
    del annot.A
    annot.Dest = names[name]
    if "/Contents" in annot:  # tagged output: WeasyPrint describes an internal link by its anchor name
        annot.Contents = names[name]
    return True


def _merge_tags(book: pikepdf.Pdf, placed: list[_Placed], removed: set[tuple[int, int]]) -> None:
    """One struct tree: every chunk's top-level elements under one Document element, one parent tree."""
    untagged = [str(chunk.spec.path) for chunk in placed if "/StructTreeRoot" not in chunk.source.Root]
    if untagged:
        raise ValueError(f"the first chunk is tagged but these are not: {', '.join(untagged)}")
    roots = [book.copy_foreign(chunk.source.Root.StructTreeRoot) for chunk in placed]  # after the pages: see top
    tree, document = _new_tree(book, roots)
    ids = {}
    for n, root in enumerate(roots):
        ids.update(_book_wide_ids(root, f"c{n}-"))
    if ids:
        tree.IDTree = book.make_indirect(Dictionary(Names=Array([x for name in sorted(ids) for x in
                                                                 (String(name), ids[name])])))
    entries = []
    for root, key_map in zip(roots, _renumber(placed)):
        chunk_entries = list(pikepdf.NumberTree(root.ParentTree).items())
        _adopt(root.K[0], document, chunk_entries)
        entries += _rekeyed_entries(chunk_entries, key_map, removed)
    entries.sort(key=lambda entry: entry[0])
    tree.ParentTree = book.make_indirect(Dictionary(Nums=Array([obj for entry in entries for obj in entry])))
    tree.ParentTreeNextKey = len(entries)
    book.Root.StructTreeRoot = tree


def _struct_elements(root: pikepdf.Dictionary):
    """Every struct element below a StructTreeRoot (marked-content and object references left out)."""
    stack, seen = list(root.K) if isinstance(root.K, Array) else [root.K], set()
    while stack:
        element = stack.pop()
        if not isinstance(element, Dictionary) or element.objgen in seen or \
                element.get("/Type") in (Name.MCR, Name.OBJR):
            continue
        seen.add(element.objgen)
        yield element
        kids = element.get("/K")
        stack.extend(kids if isinstance(kids, Array) else [kids] if kids is not None else [])


def _book_wide_ids(root: pikepdf.Dictionary, prefix: str) -> dict[str, pikepdf.Dictionary]:
    """Element ids made unique in the book, and the table cells' /Headers that name them.

    WeasyPrint names a table header "<its object number>-<row>-<column>": numbers of the
    chunk's own file, which another chunk's table may repeat.
    """
    ids = {}
    for element in _struct_elements(root):
        if "/ID" in element:
            element.ID = String(prefix + str(element.ID))
            ids[str(element.ID)] = element
        attributes = element.get("/A")
        for owner in (attributes if isinstance(attributes, Array) else [attributes]):
            if isinstance(owner, Dictionary) and "/Headers" in owner:
                owner.Headers = Array([String(prefix + str(h)) for h in owner.Headers])
    return ids


def _new_tree(book: pikepdf.Pdf, roots: list[pikepdf.Dictionary]) -> tuple[pikepdf.Dictionary, pikepdf.Dictionary]:
    """The book's StructTreeRoot and Document element, with the first chunk's namespace (PDF 2.0)."""
    first_document = roots[0].K[0]
    document = book.make_indirect(Dictionary(Type=Name.StructElem, S=first_document.S, K=Array()))
    tree = book.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=Array([document])))
    document.P = tree
    if "/NS" in first_document:
        document.NS = first_document.NS
    if "/Namespaces" in roots[0]:
        tree.Namespaces = roots[0].Namespaces
    for key in ("/RoleMap", "/ClassMap"):
        merged = _merge_maps(roots, key)
        if merged:
            tree[key] = merged
    return tree, document


def _merge_maps(roots: list[pikepdf.Dictionary], key: str) -> Dictionary | None:
    """The chunks' role or class maps in one; a name two chunks define differently is an error."""
    merged = {}
    for root in roots:
        for name, value in root.get(key, Dictionary()).items():
            if name in merged and merged[name] != value:
                raise ValueError(f"the chunks' {key} define {name} differently")
            merged[name] = value
    return Dictionary(merged) if merged else None


def _renumber(placed: list[_Placed]) -> list[dict[int, int]]:
    """Give pages, then annotations, consecutive parent-tree keys; return each chunk's old -> new keys."""
    key_maps = [{} for _ in placed]
    next_key = 0
    for chunk, key_map in zip(placed, key_maps):
        for page in chunk.pages:
            next_key = _rekey(page, "/StructParents", key_map, next_key)
    for chunk, key_map in zip(placed, key_maps):
        for page in chunk.pages:
            for annot in page.get("/Annots", ()):
                next_key = _rekey(annot, "/StructParent", key_map, next_key)
    return key_maps


def _rekey(obj: pikepdf.Dictionary, key: str, key_map: dict[int, int], next_key: int) -> int:
    if key not in obj:
        return next_key
    key_map[int(obj[key])] = next_key
    obj[key] = next_key
    return next_key + 1


def _adopt(old: pikepdf.Dictionary, document: pikepdf.Dictionary, entries: list) -> None:
    """Move the children of a chunk's Document element to the book's.

    WeasyPrint also gives its Document children it leaves out of /K (the running heads and
    folios of the margin boxes); they are found by walking up from the marked content.
    """
    seen = set()
    for _, value in entries:
        for element in value if isinstance(value, Array) else [value]:
            while element.objgen not in seen:
                seen.add(element.objgen)
                if element.P.objgen == old.objgen:
                    element.P = document
                    break
                element = element.P
    for element in old.K:
        element.P = document
        document.K.append(element)


def _rekeyed_entries(entries: list, key_map: dict[int, int], removed: set[tuple[int, int]]) -> list:
    """The chunk's parent-tree entries under their new keys; those of removed links go, and so do their OBJRs."""
    kept = []
    for old_key, value in entries:
        if old_key in key_map:
            kept.append((key_map[old_key], value))
        else:
            value.K = Array([kid for kid in value.K if not _refers_to(kid, removed)])
    return kept


def _refers_to(kid: pikepdf.Object, annots: set[tuple[int, int]]) -> bool:
    return isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR and kid.Obj.objgen in annots


def _save(book: pikepdf.Pdf, target: Path, version: str) -> None:
    """Same inputs, same bytes: the /ID is derived from the content. The version is the first
    chunk's (PDF/X-4 files say 1.6); object streams only where the version allows them. The
    XMP is the first chunk's as it is: pikepdf would otherwise rewrite it to check its version."""
    major, minor = (int(part) for part in version.split("."))
    streams = pikepdf.ObjectStreamMode.generate if (major, minor) >= (1, 5) else pikepdf.ObjectStreamMode.disable
    book.save(target, deterministic_id=True, force_version=version, object_stream_mode=streams,
              compress_streams=True, fix_metadata_version=False)
