"""PDF checks on the typesetting: every font embedded, the house face used, every footnote on its call's page."""
from __future__ import annotations

from pathlib import Path

import pikepdf

from . import Finding


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


def font_names(pdf_path: Path) -> set[str]:
    """Base names of all fonts on the pages, without the subset prefix (ABCDEF+)."""
    names: set[str] = set()
    with pikepdf.open(pdf_path) as pdf:
        for page in pdf.pages:
            for _name, font in page.resources.get("/Font", {}).items():
                names.add(str(font.get("/BaseFont", "?")).lstrip("/").split("+")[-1])
    return names


def check_print(rendered, book=None, house_family: str = "EB-Garamond-House") -> list[Finding]:
    """Typesetting warnings (system-font fallbacks, displaced notes); preflight judges the file for the press."""
    findings = []
    for name in sorted(n for n in font_names(rendered.path) if not n.startswith(house_family)):
        findings.append(Finding(rendered.edition, f"the system font {name} was used for characters the book face "
                                "lacks; replace those characters or add a face that has them", fatal=False))
    for note_id, call_page, body_page in rendered.facts.get("footnotes", []):
        if call_page != body_page:
            findings.append(Finding(rendered.edition, f"footnote {note_id} is on page {body_page} but its call is on "
                                    f"page {call_page}; shorten the note or the paragraph before it", fatal=False))
    return findings
