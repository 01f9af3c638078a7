"""Fuzzing the sources: random-but-plausible book.toml, front matter and Markdown.

Whatever an editor writes, the loader either reads it or raises BuildError (exit 2);
anything else is a bug, and at the CLI it would be a traceback. Bounded to keep the
suite quick: a few dozen examples, no deadline (WeasyPrint and Markdown vary in speed).
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

pytest.importorskip("hypothesis")  # a test extra (pyproject [test]); skipped where it is not installed
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402
from PIL import Image

from conftest import run_cli
from bookbuilder import transforms
from bookbuilder.errors import BuildError
from bookbuilder.sources import load_book

TOML_LINES = [
    'title = "Tiny"', 'title = ""', "title = 3", 'subtitle = "Sub <em>x</em>"', "date = 2026-11-01",
    'date = "2026-13-01"', "date = 2026-11-01T10:00:00", 'language = "fr"', 'language = "english"',
    'editors = [{ name = "E. D." }]', 'editors = ["Solo"]', "editors = [{ bio = 1 }]", 'publisher = "P"',
    'identifier = "urn:x"', 'titel = "typo"', "[editions.print]", 'isbn = "979-8-9871234-0-9"',
    'isbn = "979-8-9871234-0-0"', 'trim = "6x9in"', 'trim = "1x1mm"', "[editions.epub]", "[cover]",
    'image = "images/pic.jpg"', 'image = "../outside.jpg"', 'credit = "Photo: Someone"', "[[epigraphs]]",
    'text = "Words."', 'author = "Someone"', "[contents]", 'essays = ["essays/one.md"]',
    'essays = ["essays/one.md", "essays/one.md"]', 'essays = ["essays/missing.md"]', "essays = []",
    'front = ["essays/two.md"]', "[[contents.parts]]", 'title = "Part"', 'essays = ["essays/two.md"]',
    "contents = 5", "x = [[[[[[1]]]]]]", 'key = """', "= broken", "[contents", "\u00e9 = 1",
]

FRONT_LINES = [
    'title: "An Essay"', "title:", "title: 7", "title: [a, b]", 'subtitle: "S"', 'author: "A. Writer"',
    "author: {name: X, bio: 'Y'}", "authors: [{name: A}, B]", "authors: 3", "date: 2025-01-20",
    "date: 2025-13-45", "date: not a date", "lang: de", "lang: 123", "standfrist: typo", "1: numeric key",
    "epigraphs:", "  - text: Quoted", "    author: Someone", "  - 5", "original: {name: Bulletin, url: 'x'}",
    "original: Bulletin", "'unterminated", "key: [unclosed", "&a [*a, *a]", "? complex", "tab:\tx",
    "title: \"<script>x()</script>\"", "x: !!python/object:os.system {}", "---", "...",
]

MD_PIECES = [
    "Plain prose with *emphasis* and **strength**.", "# Heading", "## Heading {#dup}", "## Again {#dup}",
    "> Quoted\n> — Author, *Source*", "- item\n    - nested\n        - deeper", "1. one\n2. two",
    "Note call.[^n]\n\n[^n]: The note.", "[^missing]", "![Alt](../images/pic.jpg) Caption. Photo: Me",
    "![Alt](../images/nope.jpg)", "![Remote](https://example.org/x.png)", "[link](https://example.org)",
    "[bad](javascript:alert(1))", "<script>alert(1)</script>", '<div onclick="x()">div</div>',
    "<iframe src=x></iframe>", "<span lang=fr>mot</span>", "<em>unclosed", "</div>", "<!-- comment -->",
    "| a | b |\n|---|---|\n| 1 | 2 |", "Term\n:   Definition", "*[HTML]: Hyper Text", "/// aside | note\nAside.\n///",
    "///", "`code`", "```\nfenced\n```", "Text {: .cls lang=de }", "[" * 50, "]" * 50, "\\[escaped",
    "\u200b\u00a0\ufeff", "Ünïcödé — “quotes” – dashes…", "\x00\x01", "&amp; &nbsp; &#0; &#xD800;", "    indented code",
    "* * *", "---", "<", ">", "&", "__init__", "~~~", "\t- tab list",
]

lines = st.lists(st.sampled_from(TOML_LINES), min_size=0, max_size=12)
front = st.lists(st.sampled_from(FRONT_LINES), min_size=0, max_size=8)
markdown = st.lists(st.one_of(st.sampled_from(MD_PIECES), st.text(max_size=40)), min_size=0, max_size=12).map(
    lambda pieces: "\n\n".join(pieces))
GOOD_TOML = 'title = "Tiny"\ndate = 2026-11-01\n[contents]\nessays = ["essays/one.md"]\n'


def write_book(root: Path, toml: str, front_matter: str, body: str, raw_front: bool) -> Path:
    (root / "essays").mkdir(parents=True)
    (root / "images").mkdir()
    Image.new("RGB", (20, 10)).save(root / "images" / "pic.jpg")
    (root / "book.toml").write_text(toml, encoding="utf-8")
    opening = front_matter if raw_front else "---\n" + front_matter + "\n---\n\n"
    for name in ("one.md", "two.md"):
        (root / "essays" / name).write_text(opening + body, encoding="utf-8", errors="surrogatepass")
    return root


def load_or_reject(book: Path) -> str:
    try:
        transforms.apply_all(load_book(book))
    except BuildError as exc:
        assert exc.errors and all(str(e) for e in exc.errors)
        return "rejected"
    return "loaded"


fuzz = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


@fuzz
@given(toml=lines, front_matter=front, body=markdown, raw_front=st.booleans(), keep_good_toml=st.booleans())
def test_loader_reads_or_rejects_anything(toml, front_matter, body, raw_front, keep_good_toml):
    text = GOOD_TOML + "\n".join(toml) if keep_good_toml else "\n".join(toml)
    with tempfile.TemporaryDirectory() as tmp:
        book = write_book(Path(tmp) / "book", text, "\n".join(front_matter), body, raw_front)
        load_or_reject(book)


@pytest.mark.slow
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@given(front_matter=front, body=markdown)
def test_cli_exits_0_or_2_without_traceback(front_matter, body):
    with tempfile.TemporaryDirectory() as tmp:
        book = write_book(Path(tmp) / "book", GOOD_TOML, 'title: "T"\n' + "\n".join(front_matter), body, False)
        result = run_cli("build", str(book), "--out", str(Path(tmp) / "out"), "--edition", "epub")
        assert result.returncode in (0, 2), result.stderr
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
