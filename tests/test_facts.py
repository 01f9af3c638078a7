"""The layout facts' declared types: shifted and merged by page, through the chunk cache's JSON and back."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from bookbuilder.editions.chunks import Chunk
from bookbuilder.editions.facts import ChunkFile, FigureImage, NotePages, PagedFacts
from bookbuilder.editions.layout_pool import ChunkCache, merge_facts
from bookbuilder.editions.pagemap import PageStart
from bookbuilder.editions.typeset import ChunkLayout
from bookbuilder.fingerprint import file_sha256


def chunk_facts() -> PagedFacts:
    return PagedFacts(anchors={"essay": 1, "fig-1": 2}, essay_pages={"essay": 1, "other": None},
                      footnotes=[NotePages("fn-1", 1, 2), NotePages("fn-2", None, 3)],
                      page_starts=[PageStart("5", "essay", 0), PageStart("6", "essay-b3", 41)],
                      images=[FigureImage(2, "fig-1", "essay", (1200, 800), "images/one.png")],
                      essay_spans={"essay": (1, 3)}, folios=["5", "6", "7"])


def test_facts_survive_the_cache_json_unchanged():
    facts = chunk_facts()
    facts.chunks = {"essay": ChunkFile(Path("/x/screen.pdf"), [1, 2])}
    again = PagedFacts.from_json(json.loads(json.dumps(facts.to_json())))
    assert again == facts
    assert isinstance(again.footnotes[0], NotePages) and isinstance(again.images[0].pixels, tuple)


@pytest.mark.parametrize("damage", [
    lambda d: d.pop("folios"),
    lambda d: d.update(anchors=["essay", 1]),
    lambda d: d.update(footnotes=[["fn-1", 1]]),
    lambda d: d["page_starts"][0].update(chars="0"),
    lambda d: d["images"][0].update(pixels=[1200]),
    lambda d: d.update(essay_spans={"essay": [1, True]}),
    lambda d: d.update(surprise=1),
])
def test_a_malformed_entry_is_refused(damage):
    data = json.loads(json.dumps(chunk_facts().to_json()))
    damage(data)
    with pytest.raises((KeyError, TypeError, ValueError, AttributeError)):
        PagedFacts.from_json(data)


def test_the_cache_discards_an_entry_whose_facts_are_malformed(tmp_path):
    chunk = Chunk("essay", "main")
    place = tmp_path / "abc-4"
    place.mkdir()
    for name in ("screen.pdf", "print.pdf"):
        (place / name).write_bytes(b"%PDF- " + name.encode())
    layout = ChunkLayout(1, chunk, "abc", 3, 4, chunk_facts(), [1], place / "screen.pdf", place / "print.pdf")
    cache = ChunkCache(tmp_path)
    cache.store(layout)
    kept = cache.find(1, chunk, "abc")
    assert kept is not None and kept.facts == chunk_facts() and kept.pages == 3
    data = json.loads((place / "layout.json").read_text())
    data["facts"]["footnotes"] = "fn-1"
    (place / "layout.json").write_text(json.dumps(data))
    assert file_sha256(place / "print.pdf") == data["sha256"]["print.pdf"]  # only the facts are damaged
    assert cache.find(1, chunk, "abc") is None
    assert cache.discarded == ["essay"] and not place.exists()


def test_merged_facts_are_in_the_book_s_page_numbers():
    front = ChunkLayout(0, Chunk("front", "front"), "k0", 3, 0,
                        PagedFacts(anchors={"contents": 3}, folios=["i", "ii", "iii"]), [], Path(), Path())
    essay = ChunkLayout(1, Chunk("essay", "main"), "k1", 3, 0, chunk_facts(), [], Path(), Path(), ["essay-b3"])
    book = merge_facts([front, essay])
    assert book.folios == ["i", "ii", "iii", "iv", "5", "6", "7"]  # a blank verso after the odd front matter
    assert book.anchors == {"contents": 3, "essay": 5, "fig-1": 6}
    assert book.essay_pages == {"essay": 5}  # an essay not in any chunk is left out
    assert book.footnotes == [("fn-1", 5, 6), ("fn-2", None, 7)]
    assert book.images[0].page == 6 and book.essay_spans == {"essay": (5, 7)}
    assert book.relaxed_blocks == ["essay-b3"]
