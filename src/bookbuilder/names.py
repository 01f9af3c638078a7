"""Names the editions make from an author's file names and headings: ASCII, valid XML names, unique.

An EPUB's package ids (OPF items, NCX navPoints) must be XML NCNames, and its file names are
safest in plain ASCII; HTML ids become PDF named destinations. Real books name their essays
`05-the-same-subject.md`, `2 deux.md` or `é.t.é.md`, so every name is made here, once.
"""
from __future__ import annotations

import re
import unicodedata

_START = ("A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
          "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff")
NCNAME = re.compile(f"[{_START}][{_START}\\-.0-9\u00b7\u0300-\u036f\u203f-\u2040]*")  # XML Namespaces 1.0
MAX_LENGTH = 40  # a file name, and the prefix of every id in its essay


def is_ncname(text: str) -> bool:
    return NCNAME.fullmatch(text) is not None


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters and digits joined by single hyphens ("É.t.é 2" → "e-t-e-2"); may be empty."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def xml_name(text: str, fallback: str = "essay", prefix: str = "e-", limit: int = MAX_LENGTH) -> str:
    """`ascii_slug` cut to `limit`, starting with a letter (`prefix` before a digit): an NCName and a file name."""
    slug = ascii_slug(text)[:limit].strip("-") or fallback
    return slug if slug[0].isalpha() else prefix + slug


def unique_name(name: str, taken) -> str:
    """`name`, or `name-2`, `name-3`… (or `name2` where `name-2` is reserved): the first one `taken` (a set, or a
    predicate) does not hold."""
    is_taken = taken if callable(taken) else taken.__contains__
    if not is_taken(name):
        return name
    for n in range(2, 1000):
        if not is_taken(f"{name}-{n}"):
            return f"{name}-{n}"
    n = 2  # every "part-N", "page-N" is the book's own (reserved): "part2" — never a loop without end
    while is_taken(f"{name}{n}"):
        n += 1
    return f"{name}{n}"
