"""Limits checked before a Markdown body reaches Python-Markdown.

Python-Markdown is quadratic on long runs of `[` and recursive on deep nesting
(engine-notes §8): 20,000 brackets take minutes and lists nested 1,000 deep raise
RecursionError. No real essay comes near these limits, so exceeding one is reported
as a source error naming the line, before any time or memory is spent.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import Problems

MAX_FILE_BYTES = 1_000_000  # a long essay is ~100 KB; 125,000 words of prose are ~770 KB
MAX_LINE_CHARS = 50_000  # a very long paragraph is ~5,000 characters
MAX_BRACKETS_PER_BLOCK = 1_000  # `[` in one paragraph: 1,000 → 0.1 s, grows quadratically
MAX_NESTING = 40  # list items / quotes inside each other
MAX_BLOCK_LINES = 1_000  # lines without a blank one: tables, lists, definition lists are quadratic in them
MAX_LIST_ITEMS = 1_000  # items of one list, even with blank lines between them (also quadratic)
MAX_NOTES = 1_000  # footnote definitions: 2,000 take 1.6 s, 4,000 take 4.5 s
INDENT_PER_LEVEL = 4

_UNESCAPED_BRACKET = re.compile(r"(?<!\\)\[")
_NOTE_DEFINITION = re.compile(r"^ {0,3}\[\^[^\]]+\]:")
_LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)]|:)[ \t]")
_BLOCK_MARKERS = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)]|>)(?=[ \t]|$)[ \t]?")


def check_size(path: Path, size: int, problems: Problems) -> bool:
    """False (with an error) when a file is too large to be an essay."""
    if size > MAX_FILE_BYTES:
        problems.add(path, f"is {size:,} bytes, more than the {MAX_FILE_BYTES:,} an essay may have", None,
                     "split the text into several essays, or check that this is the right file")
        return False
    return True


def nesting_of(line: str) -> int:
    """How deep a line nests: indentation levels plus list or quote markers at its start."""
    expanded = line.expandtabs(INDENT_PER_LEVEL)
    indent = len(expanded) - len(expanded.lstrip(" "))
    depth = indent // INDENT_PER_LEVEL
    rest = expanded[indent:]
    pos = 0
    while True:
        m = _BLOCK_MARKERS.match(rest, pos)
        if not m or m.end() == pos:
            return depth
        depth += 1
        pos = m.end()


def check_body(path: Path, body: str, first_line: int, problems: Problems) -> bool:
    """False (with one error per kind of problem, each at its first line) when the body is hostile."""
    before = len(problems.errors)
    reported: set[str] = set()

    def report(kind: str, line: int, message: str, hint: str) -> None:
        if kind not in reported:
            reported.add(kind)
            problems.add(path, message, line, hint)

    brackets, block_start, list_items, list_start, notes = 0, first_line, 0, first_line, 0
    for n, line in enumerate(body.split("\n"), first_line):
        if len(line) > MAX_LINE_CHARS:
            report("line", n, f"line is {len(line):,} characters long (at most {MAX_LINE_CHARS:,})",
                   "break the paragraph with blank lines, or check for a pasted binary file")
            continue
        if not line.strip():
            brackets, block_start = 0, n + 1
            continue
        if n - block_start >= MAX_BLOCK_LINES:
            report("block", block_start, f"the block starting here runs more than {MAX_BLOCK_LINES:,} lines "
                   "without a blank line", "separate paragraphs, or split the table or list")
        if _LIST_ITEM.match(line):
            list_start = list_start if list_items else n
            list_items += 1
            if list_items > MAX_LIST_ITEMS:
                report("list", list_start, f"the list starting here has more than {MAX_LIST_ITEMS:,} items",
                       "split the list with a paragraph between its parts")
        elif not line[0].isspace():
            list_items = 0
        brackets += len(_UNESCAPED_BRACKET.findall(line))
        if _NOTE_DEFINITION.match(line):
            notes += 1
            if notes > MAX_NOTES:
                report("notes", n, f"this is footnote number {notes:,}; an essay may have {MAX_NOTES:,}",
                       "split the essay, or turn some notes into text")
        if brackets > MAX_BRACKETS_PER_BLOCK:
            report("brackets", block_start, f"the paragraph starting here has more than {MAX_BRACKETS_PER_BLOCK:,} "
                   "'[' characters", "remove the run of brackets, or write \\[ for a literal bracket")
        if nesting_of(line) > MAX_NESTING:
            report("nesting", n, f"lists or quotes are nested more than {MAX_NESTING} levels deep",
                   "flatten the list: reduce the indentation or the number of -, * or > markers")
    return len(problems.errors) == before

