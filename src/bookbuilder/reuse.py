"""Editions an edit did not reach are kept: the last build's file stands, nothing is rewritten.

An edition reads the book (text, images, book.toml), the common templates, its own style
folders (styles/epub, templates/epub, …) and those of the editions it builds on (the cover
reads print's page count, the EPUB where print's pages begin; builds are reproducible,
so the same print inputs give the same pages). When all of that is what the last build
into the folder recorded for it, and its file is intact, it is kept. So an edit to the
EPUB's stylesheet rebuilds only the EPUB (print is laid out in memory for its page
breaks), one to the screen or cover styles only that PDF; an essay edit rebuilds all.
"""
from __future__ import annotations

from pathlib import Path

from .editions import EDITIONS, Rendered
from .fingerprint import Inputs, Manifest


def folders_read(name: str) -> tuple[str, ...]:
    """The style folders an edition reads, with those of every edition it builds on."""
    edition = EDITIONS[name]
    folders = list(edition.style_folders)
    for upstream in (*edition.requires, *edition.needs_layout_of):
        folders += [f for f in folders_read(upstream) if f not in folders]
    return tuple(folders)


def edition_fingerprints(names: list[str], inputs: Inputs) -> dict[str, str]:
    return {name: inputs.fingerprint(folders_read(name)) for name in names}


def kept_editions(names: list[str], fingerprints: dict[str, str], previous: Manifest | None, out: Path,
                  book) -> dict[str, Rendered]:
    """The editions whose last file can stand, as Rendered records of the files in `out`."""
    if previous is None:
        return {}
    kept = {}
    for name in names:
        record = previous.editions.get(name)
        output = next((o for o in previous.outputs if o["edition"] == name), None)
        if (record and output and record["fingerprint"] == fingerprints[name] and EDITIONS[name]().reusable(book)
                and previous.outputs_intact(out, {name})):
            kept[name] = Rendered(name, Path(out) / output["file"], pages=output["pages"], kept=True)
    return kept
