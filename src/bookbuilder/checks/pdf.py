"""PDF checks on the typesetting: every font embedded, only registered faces used, every footnote on its call's page."""
from __future__ import annotations

import re
from pathlib import Path

import pikepdf

from ..fallbacks import fallback_use, listed, shown, uncovered_message
from ..theme import FONT_FAMILIES, Theme
from . import Finding

BFCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
BFRANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def unembedded_fonts(pdf_path: Path) -> list[str]:
    """Names of fonts used on any page without an embedded font program."""
    missing: set[str] = set()
    with pikepdf.open(pdf_path) as pdf:
        for page in pdf.pages:
            fonts = page.resources.get("/Font", {})
            for _name, font in fonts.items():
                descriptors = [font.get("/FontDescriptor")]
                for descendant in font.get("/DescendantFonts", []):
                    descriptors.append(descendant.get("/FontDescriptor"))
                embedded = any(d is not None and any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                               for d in descriptors)
                if not embedded and font.get("/Subtype") != "/Type3":
                    missing.add(str(font.get("/BaseFont", "?")))
    return sorted(missing)


def base_name(font) -> str:
    """A font's name without the subset prefix (ABCDEF+)."""
    return str(font.get("/BaseFont", "?")).lstrip("/").split("+")[-1]


def font_names(pdf_path: Path) -> set[str]:
    """Base names of all fonts on the pages, without the subset prefix (ABCDEF+)."""
    names: set[str] = set()
    with pikepdf.open(pdf_path) as pdf:
        for page in pdf.pages:
            for _name, font in page.resources.get("/Font", {}).items():
                names.add(base_name(font))
    return names


def characters_set_in(pdf_path: Path, names: set[str]) -> dict[str, set[str]]:
    """The characters each named font draws, read from its ToUnicode map (what copying the text gives)."""
    found: dict[str, set[str]] = {name: set() for name in names}
    with pikepdf.open(pdf_path) as pdf:
        for page in pdf.pages:
            for _name, font in page.resources.get("/Font", {}).items():
                name = base_name(font)
                if name in found and "/ToUnicode" in font:
                    found[name] |= unicode_of(font.ToUnicode.read_bytes())
    return found


def unicode_of(cmap: bytes) -> set[str]:
    """The text a ToUnicode CMap maps glyphs to (bfchar and bfrange entries), as single characters."""
    text = set()
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, start in BFRANGE.findall(block):
            first = int(start, 16)
            text |= {chr(first + i) for i in range(int(high, 16) - int(low, 16) + 1)}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for _glyph, dst in BFCHAR.findall(block):
            text |= set(bytes.fromhex(dst.decode()).decode("utf-16-be", errors="replace"))
    return text


def registered_prefixes() -> tuple[str, ...]:
    """How WeasyPrint names the registered families in a PDF: spaces as hyphens, then the style (-Italic)."""
    return tuple(family.name.replace(" ", "-") for family in FONT_FAMILIES)


def check_print(rendered, book=None) -> list[Finding]:
    """Typesetting warnings (system fonts, characters no face has, displaced notes); preflight judges the press."""
    findings = []
    system = {n for n in font_names(rendered.path) if not n.startswith(registered_prefixes())}
    for name, chars in sorted(characters_set_in(rendered.path, system).items()):
        drawn = listed([shown(c) for c in sorted(chars)]) or "some characters"
        findings.append(Finding(rendered.edition, f"the system font {name} set {drawn}; only the registered faces "
                                "should set the book: replace those characters or add a face that has them",
                                fatal=False))
    if book is not None:
        uncovered = uncovered_message(fallback_use(book, Theme(book.root).fonts()))
        if uncovered:
            findings.append(Finding(rendered.edition, uncovered, fatal=False))
    for note_id, call_page, body_page in (rendered.paged_facts.footnotes if rendered.paged_facts else []):
        if call_page != body_page:
            findings.append(Finding(rendered.edition, f"footnote {note_id} is on page {body_page} but its call is on "
                                    f"page {call_page}; shorten the note or the paragraph before it", fatal=False))
    return findings
