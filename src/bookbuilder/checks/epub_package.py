"""EPUB package check: the rules of the package that the build can judge by itself, in a moment.

EPUBCheck (checks/epub.py) is thorough but takes seconds and Java; this runs on every build
so that no build reports success for an EPUB whose ids are not XML names (RSC-005), repeat
(RSC-005), or whose manifest or links point at files or fragments the package does not hold
(RSC-001, RSC-007, RSC-012). Each finding names the member and the bad id or href.
"""
from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from ..editions import Rendered
from ..names import is_ncname
from . import Finding
from .registry import edition_check

CONTAINER = "META-INF/container.xml"
LINKING = ("application/xhtml+xml", "application/x-dtbncx+xml")  # documents whose ids and links are judged
PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def _parse(z: zipfile.ZipFile, name: str, problems: list[str]):
    try:
        return etree.fromstring(z.read(name), PARSER)
    except (KeyError, etree.XMLSyntaxError) as exc:
        problems.append(f"{name}: cannot be read as XML ({exc})")
        return None


def _ids(root, name: str, problems: list[str]) -> set[str]:
    """Every id in one document; a repeated id or one that is not an XML name is a problem."""
    seen: set[str] = set()
    for el in root.iter():
        ident = el.get("id") if isinstance(el.tag, str) else None
        if ident is None:
            continue
        if not is_ncname(ident):
            problems.append(f"{name}: the id {ident!r} is not an XML name (NCName)")
        if ident in seen:
            problems.append(f"{name}: the id {ident!r} is used twice")
        seen.add(ident)
    return seen


def package_problems(z: zipfile.ZipFile) -> list[str]:
    problems: list[str] = []
    members = set(z.namelist())
    container = _parse(z, CONTAINER, problems)
    if container is None:
        return problems
    rootfile = next((el.get("full-path") for el in container.iter() if isinstance(el.tag, str)
                     and etree.QName(el).localname == "rootfile"), None)
    opf = _parse(z, rootfile, problems) if rootfile else None
    if opf is None:
        return problems + ([] if rootfile else [f"{CONTAINER}: names no package document"])
    package_ids = _ids(opf, rootfile, problems)
    for ref in opf.iter("{*}itemref"):
        if ref.get("idref") not in package_ids:
            problems.append(f"{rootfile}: the spine names {ref.get('idref')!r}, no item of the manifest")
    base = posixpath.dirname(rootfile)
    documents: dict[str, str] = {}  # member → media type, for the manifest's XHTML and NCX
    for item in opf.iter("{*}item"):
        href = item.get("href", "")
        member = posixpath.normpath(posixpath.join(base, unquote(href)))
        if member not in members:
            problems.append(f"{rootfile}: the manifest item {item.get('id')!r} names {href!r}, not in the package")
        else:
            documents[member] = item.get("media-type", "")
    roots = {name: root for name, kind in documents.items() if kind in LINKING
             for root in [_parse(z, name, problems)] if root is not None}
    ids = {name: _ids(root, name, problems) for name, root in roots.items()}
    for name, root in roots.items():
        for el in root.iter("{*}a", "{*}content"):  # XHTML links, NCX navPoints
            href = el.get("href") if etree.QName(el).localname == "a" else el.get("src")
            if not href or urlsplit(href).scheme or href.startswith("//"):
                continue
            path, _, fragment = href.partition("#")
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), unquote(path))) if path else name
            if target not in members:
                problems.append(f"{name}: the link {href!r} goes to a file that is not in the package")
            elif fragment and target in ids and unquote(fragment) not in ids[target]:
                problems.append(f"{name}: the link {href!r} goes to no element of {target} (no id {fragment!r})")
    return problems


def check_epub_package(rendered: Rendered, book=None) -> list[Finding]:
    """The build's check: it fails the build, so no EPUB breaking these rules is ever reported built."""
    return check_epub_file(rendered.path)


@edition_check("epub")
def check_epub_file(epub: Path) -> list[Finding]:
    """`bookbuilder check FILE.epub` runs it too, on an EPUB made elsewhere."""
    try:
        with zipfile.ZipFile(epub) as z:
            return [Finding("epub", f"package: {m}") for m in package_problems(z)]
    except zipfile.BadZipFile:
        return [Finding("epub", f"package: {epub.name} is not a zip file")]
