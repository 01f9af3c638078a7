"""The characters the book face lacks, and which registered face sets each of them.

Read from the fonts' character maps and the source files, before any layout: the build names
the characters each fallback face sets and where they stand, warns of characters no registered
face has (fontconfig would set them in some system font, or not at all), and the EPUB embeds a
fallback face only when its text needs it, cut down to those characters.
"""
from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from .model import Book
from .theme import FontFace

Place = tuple[str, int]  # a source file, relative to the book folder, and a line in it
SHOWN = 12  # characters, and places, named in one message


@lru_cache(maxsize=None)
def character_map(font: Path) -> frozenset[int]:
    return frozenset(TTFont(font, lazy=True).getBestCmap())


def needs_glyph(char: str) -> bool:
    """Not plain ASCII and not an invisible format control (soft hyphen, joiners, variation selectors)."""
    return ord(char) > 0x7E and unicodedata.category(char) not in ("Cc", "Cf") and not 0xFE00 <= ord(char) <= 0xFE0F


def source_characters(book: Book) -> dict[str, list[Place]]:
    """Every character of the typeset sources that needs a glyph beyond ASCII, with the places it stands."""
    files = [book.root / "book.toml", *dict.fromkeys(e.path for e in book.pieces)]
    found: dict[str, list[Place]] = {}
    for path in files:
        if not path.is_file():
            continue
        shown = str(path.relative_to(book.root)) if path.is_relative_to(book.root) else str(path)
        for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            for char in dict.fromkeys(line):
                if needs_glyph(char):
                    found.setdefault(char, []).append((shown, n))
    for essay in book.pieces:  # a reference list's text comes from the bibliography, not the essay's file
        for char in dict.fromkeys("".join(r.html for r in essay.references)):
            if needs_glyph(char):
                found.setdefault(char, []).append(("the bibliography (an entry cited by " + essay.title + ")", 0))
    for char in dict.fromkeys("".join(r.html for r in book.references)):  # the book's one list
        if needs_glyph(char):
            found.setdefault(char, []).append(("the bibliography (the book's reference list)", 0))
    for char in dict.fromkeys(generated_text(book)):  # what the builder itself sets: its words, French spacing
        if needs_glyph(char):
            found.setdefault(char, []).append(("the book's interface words and spacing", 0))
    return found


def generated_text(book: Book) -> str:
    """The characters the build writes that no source holds: the interface words in the book's language and the
    spaces French typography inserts (EB Garamond's italic has no narrow no-break space)."""
    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for v in value.values():
                yield from strings(v)
        elif isinstance(value, (list, tuple)):
            for v in value:
                yield from strings(v)

    french = any((lang or "").lower().startswith("fr") for lang in [book.language, *(e.lang for e in book.pieces)])
    return "".join(strings(book.words)) + ("\u202f\u00a0«»" if french else "")


@dataclass
class FallbackUse:
    """Where the book's characters go: to a fallback family (by name), or to no registered face at all."""
    by_family: dict[str, dict[str, list[Place]]] = field(default_factory=dict)
    uncovered: dict[str, list[Place]] = field(default_factory=dict)


def assigner(faces: list[FontFace], per_style: bool = False):
    """A function from a code point to the family that sets it (None: no registered face has it).

    In the PDFs fontconfig keeps to a family while any of its faces has the character (EB Garamond's
    roman, slanted, sets a Cyrillic letter its italic lacks), so a character falls back only when no
    face of the family has it. A reading system picks the face of the style first (CSS Fonts 4 §5):
    with `per_style`, a character the book face lacks in its roman or its italic falls back.
    """
    house = faces[0].family
    families = list(dict.fromkeys(f.family for f in faces))

    def covered(family: str) -> frozenset[int]:
        maps = [character_map(f.file) for f in faces if f.family == family and f.weight == 400]
        return frozenset.intersection(*maps) if per_style and family == house else frozenset().union(*maps)

    covers = {name: covered(name) for name in families}
    anywhere = frozenset().union(*(character_map(f.file) for f in faces))

    def family_of(code: int) -> str | None:
        found = next((name for name in families if code in covers[name]), None)
        return found or (house if code in anywhere else None)
    return family_of


def fallback_use(book: Book, faces: list[FontFace], per_style: bool = False) -> FallbackUse:
    """Each character the book face lacks, assigned to the first family that has it (see `assigner`)."""
    family_of = assigner(faces, per_style)
    use = FallbackUse({f.family: {} for f in faces if f.family != faces[0].family})  # in the stack order
    for char, places in sorted(source_characters(book).items()):
        family = family_of(ord(char))
        if family is None:
            use.uncovered[char] = places
        elif family != faces[0].family:
            use.by_family[family][char] = places
    use.by_family = {name: chars for name, chars in use.by_family.items() if chars}
    return use


def faces_for(text, faces: list[FontFace]) -> list[FontFace]:
    """The faces to register for `text`: the book face's, and each fallback family's that sets a character of it.

    Every registered face costs each layout a font scan; a book that needs no fallback registers none.
    """
    family_of = assigner(faces)
    needed = {faces[0].family} | {family_of(ord(c)) for c in set(text) if needs_glyph(c)}
    return [f for f in faces if f.family in needed]


def registered_faces(ctx) -> list[FontFace]:
    """The faces a build's PDFs register (`faces_for` the book's sources), worked out once per build."""
    if ctx.shared.faces is None:
        ctx.shared.faces = faces_for("".join(source_characters(ctx.book)), ctx.theme.fonts())
    return ctx.shared.faces


def shown(char: str) -> str:
    """A character as a message can show it: combining marks on a dotted circle, spaces by their code point."""
    category = unicodedata.category(char)
    if category.startswith("M"):
        return "\u25cc" + char
    if category.startswith("Z"):
        return f"U+{ord(char):04X}"
    return char


def listed(items: list[str], more: str = "…") -> str:
    return " ".join(items[:SHOWN]) + (f" {more}" if len(items) > SHOWN else "")


def fallback_lines(use: FallbackUse) -> list[str]:
    """One line per fallback face: its characters and the files they stand in."""
    lines = []
    for family, chars in use.by_family.items():
        files = list(dict.fromkeys(file for places in chars.values() for file, _ in places))
        lines.append(f"fallback face {family.removesuffix(' House')} for {len(chars)} character(s): "
                     f"{listed([shown(c) for c in chars])} in {', '.join(files[:3])}"
                     + (f" and {len(files) - 3} more file(s)" if len(files) > 3 else ""))
    return lines


def uncovered_message(use: FallbackUse) -> str | None:
    """The warning for characters no registered face has, naming each with its first places."""
    if not use.uncovered:
        return None
    where = [f"{shown(c)} (U+{ord(c):04X}) at " + ", ".join(f"{file}:{line}" for file, line in places[:3])
             for c, places in use.uncovered.items()]
    return (f"no registered face has {len(where)} character(s), so a system font or none sets them: "
            + "; ".join(where[:SHOWN]) + ("; …" if len(where) > SHOWN else "")
            + "; replace them, or add a face that has them (theme.py FONT_FAMILIES)")


def embedded_faces(book: Book, faces: list[FontFace]) -> list[tuple[FontFace, bytes]]:
    """The faces an EPUB carries: the book face whole, each fallback its text uses cut down to those characters.

    The SIL OFL allows embedding a subset in a document (OFL-FAQ 1.12); the fonts keep their names.
    """
    use = fallback_use(book, faces, per_style=True)
    carried = []
    for face in faces:
        if face.family == faces[0].family:
            carried.append((face, face.file.read_bytes()))
        elif face.family in use.by_family:
            carried.append((face, subset_font(face.file, "".join(use.by_family[face.family]))))
    return carried


def subset_font(font: Path, chars: str) -> bytes:
    """The font cut down to the glyphs of `chars`, with every layout feature (marks, ligatures) kept."""
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["FFTM"]  # FontForge's timestamp, which fontTools cannot subset (and would say so)
    ttfont = TTFont(font, recalcTimestamp=False)  # the font's own date: the EPUB is the same on every build
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(ttfont)
    out = io.BytesIO()
    ttfont.save(out)
    return out.getvalue()
