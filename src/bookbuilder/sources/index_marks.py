"""Index marks: `{^Marx, Karl}` in an essay's text marks the spot an index entry points to.

The mark prints nothing; it leaves an empty anchor where it stands, and the index
(transforms/index.py) lists the page of each anchor. Written in the Markdown:

    {^capital}                          the term, at this spot
    {^capital > constant}               a sub-entry under "capital"
    {^Gaulle, Charles de | sort: Gaulle}  sorted by another key than its text
    {^capital | begin} … {^capital | end}  a range of pages (the discussion runs over several)
    {^Stalinism | see: bureaucracy}     no page: "Stalinism. See bureaucracy"
    {^Mehring, Franz | see also: Marx, Karl}  the page, and "See also Marx, Karl"

A mark that cannot be read, a range that does not close (or closes what was never opened)
are source errors naming the file and line.

A book may also list terms to find by themselves (`[index] terms` in book.toml, "entry = phrase"
or a phrase that is its own entry): each paragraph where the phrase stands as whole words gets
a mark after its first occurrence, outside code, links, HTML tags and attribute lists.
A phrase in lower case matches any case ("capital" finds "Capital" at a sentence's start); one
with a capital matches as written ("Marx" never finds "marx"); a term's `case` says otherwise.
A term's `exclude` lists longer phrases in which it does not count ("Marx" is not marked inside
"Marx Brothers"), and an essay whose front matter says `index_terms: false` is not searched.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problems
from ..model import AutoTerm, IndexMark

MARK = re.compile(r"\{\^(?P<inside>[^{}\n]*)\}")
FENCE = re.compile(r"^\s*(```|~~~)")
CODE_SPAN = re.compile(r"(`+).+?\1")
OPTION = re.compile(r"^(?P<key>see also|see|sort)\s*:\s*(?P<value>\S.*)$", re.I)
ANCHOR = "index-mark-{n}"  # the id in the essay's HTML, made book-wide by transforms/ids.py
HINT = ("write {^term}, {^term > sub-term}, and after a | one of: begin, end, sort: key, see: term, "
        "see also: term")


#: Where a term is never looked for: code, a link (its words name another place: a title, an address), an HTML tag,
#: an attribute list or mark, a note's label, a link reference's definition ([1]: https://…).
UNSEARCHED = re.compile(r"(`+).+?\1|\[[^\]\n]*\]\([^)]*\)|<[^>]+>|\{[^{}\n]*\}|\[\^[^\]]*\]|^!\[.*$"
                        r"|^ {0,3}\[(?!\^)[^\]\n]+\]:.*$", re.M)


def term_pattern(phrase: str, case: str = "") -> re.Pattern:
    """The phrase as whole words, any space between them; in any case when `case` is "any", or when it is ""
    (by the phrase) and the phrase has no capital letter."""
    words = r"\s+".join(re.escape(w) for w in phrase.split())
    any_case = case == "any" or (not case and phrase == phrase.lower())
    return re.compile(rf"(?<![\w-]){words}(?![\w-])", re.I if any_case else 0)


def add_term_marks(body: str, terms: list[AutoTerm]) -> str:
    """A mark after the first occurrence of each listed phrase in each paragraph (the book's `[index] terms`),
    an occurrence inside one of the term's excluded phrases not counting."""
    if not terms:
        return body
    patterns = [(t.entry, term_pattern(t.phrase, t.case), [term_pattern(x, t.case) for x in t.exclude]) for t in terms]
    out, fenced, head = [], False, True
    for block in re.split(r"(\n\s*\n)", body):
        head = head and (block.strip() == "" or block.lstrip().startswith(">"))
        if block.strip() == "" or fenced or FENCE.match(block) or block.lstrip().startswith("![") or head:
            # a figure's caption and credit are set twice (under it, and in the Image Credits): never marked;
            # nor are the epigraphs at an essay's head (an index lists the text's subjects, not its mottoes)
            fenced ^= len(re.findall(r"^\s*(?:```|~~~)", block, re.M)) % 2 == 1
            out.append(block)
            continue
        blocked = [m.span() for m in UNSEARCHED.finditer(block)]
        inserts: list[tuple[int, str]] = []
        for entry, pattern, excluded in patterns:
            unmarked = blocked + [x.span() for phrase in excluded for x in phrase.finditer(block)]
            for m in pattern.finditer(block):
                if not any(a <= m.start() < b or a < m.end() <= b for a, b in unmarked):
                    inserts.append((m.end(), f"{{^{entry}}}"))
                    break
        for at, mark in sorted(inserts, reverse=True):
            block = block[:at] + mark + block[at:]
        out.append(block)
    return "".join(out)


@dataclass
class Marked:
    body: str  # the Markdown with each mark replaced by its anchor
    marks: list[IndexMark]


def take_index_marks(body: str, rel: Path, first_line: int, problems: Problems,
                     terms: list[AutoTerm] | None = None) -> Marked:
    """Replace each `{^…}` outside code by an empty anchor, and return the marks in reading order."""
    body = add_term_marks(body, terms or [])  # the book's own list of terms; they leave no new line
    marks: list[IndexMark] = []
    open_ranges: dict[tuple[str, str], tuple[IndexMark, int]] = {}
    out, fenced, anchors = [], False, 0
    for n, line in enumerate(body.split("\n")):
        if FENCE.match(line):
            fenced = not fenced
        if fenced or "{^" not in line:
            out.append(line)
            continue
        code = [m.span() for m in CODE_SPAN.finditer(line)]
        pieces, last = [], 0
        for m in MARK.finditer(line):
            if any(a <= m.start() < b for a, b in code):
                continue
            mark = read_mark(m.group("inside"), first_line + n, rel, problems)
            if mark is None:
                continue
            key = (mark.term, mark.sub)
            if mark.range == "end":
                if key not in open_ranges:
                    problems.add(rel, f"{{^{m.group('inside')}}} ends a range of pages that no "
                                      f"{{^{mark.term}{' > ' + mark.sub if mark.sub else ''} | begin}} opened",
                                 first_line + n, "put the range's begin mark where the discussion starts")
                    continue
                start, _ = open_ranges.pop(key)
                anchors += 1
                mark.anchor = ANCHOR.format(n=anchors)
                start.range_end = mark.anchor
                pieces += [line[last:m.start()], f'<span class="index-mark" id="{mark.anchor}"></span>']
                last = m.end()
                continue  # the end is the start's, not an entry of its own
            anchors += 0 if mark.see else 1
            mark.anchor = "" if mark.see else ANCHOR.format(n=anchors)
            if mark.range == "begin":
                if key in open_ranges:
                    problems.add(rel, f"a second {{^{m.group('inside')}}} before the first range ended", first_line + n,
                                 "end the first range with {^… | end} before beginning another")
                    continue
                open_ranges[key] = (mark, first_line + n)
            marks.append(mark)
            pieces.append(line[last:m.start()])
            if not mark.see:  # a "see" entry points nowhere: no anchor, nothing left in the text
                pieces.append(f'<span class="index-mark" id="{mark.anchor}"></span>')
            last = m.end()
        out.append("".join(pieces) + line[last:])
    for (term, sub), (_mark, line) in open_ranges.items():
        problems.add(rel, f"the range of pages for “{term}{' > ' + sub if sub else ''}” begins here and never ends",
                     line, f"add {{^{term}{' > ' + sub if sub else ''} | end}} where the discussion ends")
    return Marked("\n".join(out), marks)


def read_mark(inside: str, line: int, rel: Path, problems: Problems) -> IndexMark | None:
    head, *options = [part.strip() for part in inside.split("|")]
    term, _, sub = (p.strip() for p in head.partition(">"))
    if not term or (">" in head and not sub):
        problems.add(rel, f"the index mark {{^{inside}}} names no term", line, HINT)
        return None
    mark = IndexMark(term=term, sub=sub)
    for option in options:
        low = option.lower()
        if low in ("begin", "end"):
            mark.range = low
            continue
        m = OPTION.match(option)
        if not m:
            problems.add(rel, f"the index mark {{^{inside}}} has an option it does not know: {option!r}", line, HINT)
            return None
        value = m.group("value").strip()
        key = m.group("key").lower()
        if key == "sort":
            mark.sort = value
        elif key == "see":
            mark.see = value
        else:
            mark.see_also = value
    if mark.see and mark.range:
        problems.add(rel, f"the index mark {{^{inside}}} is a “see” reference: it has no pages to begin or end", line,
                     "leave out begin/end, or make it see also: …")
        return None
    return mark
