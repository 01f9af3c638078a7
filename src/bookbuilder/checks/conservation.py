"""Nothing in a source vanishes: every word of each essay reaches its pages in the print PDF and its EPUB document.

The words a reader should see are read from the essay file itself (title, subtitle, bylines,
standfirst and epigraphs of the front matter; the Markdown body with its notes, captions and
credits), not from the model, so that a loss anywhere after Python-Markdown is caught: in
recognising notes or figures, in a transform, a template (the house's or a book's override)
or a stylesheet (`display: none`). They are compared, as lower-case runs of letters, with the
text of the essay's pages (pdftotext, footnotes included) and of its EPUB document.

What is normalised away, on both sides alike: case (small capitals), compatibility forms
(ligatures), soft hyphens, a hyphen between two letters (a compound is one word), every mark
and digit (smart quotes, dashes; note calls and folios run into the words around them in a
PDF's text). In the PDF's text, a word hyphenated at a line's end or a page's foot, and
letter-spaced capitals split apart, are put back together where the source has the whole
word (Words.mended). The output may hold more (running heads, note numbers, part openers):
only words missing from it count.

The PDF is read with `pdftotext -layout`: its default reading order drops a hyphen at a line's
end and joins the word to whatever it reads next, at a page's foot the note below.

The build runs this on each print and EPUB it makes (checks/registry.py BUILD_CHECKS, so `check` runs it too);
it is not in checks/registry.py, whose validators judge a file alone: this one needs the book
and the pages each essay was laid out on.
"""
from __future__ import annotations

import hashlib
import re
import subprocess
import unicodedata
import zipfile
from bisect import bisect_left
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path

from lxml import etree

from ..editions import Rendered
from ..errors import Problems
from ..sources.conventions import SENTENCE_END, UNPRINTED_LABEL
from ..model import Book, Essay
from ..sources.frontmatter import split_front_matter
from ..sources.markdown import to_html, to_inline_html
from ..sources.structure import parse_fragment
from . import Finding
from .pages import pages_to_check, pdftotext_runs, touches

#: Scripts written without spaces (a PDF may break their lines anywhere): each character is a word.
UNSPACED = "\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff"
WORD = re.compile(rf"[{UNSPACED}]|[^\W\d_{UNSPACED}]+")
JOINING_HYPHEN = re.compile(r"(?<=[^\W\d_])[-\u2010\u2011](?=[^\W\d_])")
#: A hyphen ending a line, or a table cell's line (a column's gap after it); the second group when the
#: page's text goes on only after a blank line or a page break.
LINE_END_HYPHEN = re.compile(r"[^\W\d_]([-\u2010\u2011])(?:[^\S\n]{2,}(?=\S)|[^\S\n]*\n([^\S\n]*[\n\f])?)")
BLOCK_EDGE = "\u2029"  # marks where a block or a line ends in the source's text
#: Elements whose edges separate words (the text on either side is not one word).
SEPARATING = frozenset("p div blockquote li ul ol dl dt dd h1 h2 h3 h4 h5 h6 br hr td th tr table caption figure "
                       "figcaption aside section article header footer pre title".split())
CONTEXT_WORDS = 6  # quoted before a loss, and at most this many of the lost words
LINE_WORDS = 24  # a hyphenated word goes on within this many words (the next line; in a table, the next row's)
PAGE_HEAD_WORDS = 16  # a hyphenated word at a page's foot goes on within this many words of the next (after the head)


@dataclass
class Words:
    """The words of a text, lower-cased; where each lies in the (normalised) text, to quote a passage;
    which of them open a block (a paragraph, a note's paragraph, a verse line); and which end a
    line with a hyphen (a PDF's word hyphenated across a line or a page)."""
    text: str
    spans: list[tuple[int, int]]
    words: list[str]
    block_starts: list[int]
    hyphen_ends: dict[int, bool]  # word → whether its line is the last before a blank line or a page break
    page_starts: list[int]  # the first word after each page break (a PDF's text)

    @classmethod
    def of(cls, text: str) -> Words:
        text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
        # marks that do not compose (Hebrew points, cantillation) come out of a PDF's text in any order
        text = JOINING_HYPHEN.sub("", "".join(c for c in text if not unicodedata.combining(c)))
        spans, words, starts = [], [], []
        offset = 0
        for block in text.split(BLOCK_EDGE):
            found = [m.span() for m in WORD.finditer(block)]
            if found:
                starts.append(len(words))
                spans += [(offset + a, offset + b) for a, b in found]
                words += [block[a:b].casefold() for a, b in found]
            offset += len(block) + 1
        ends = {m.start(1): m.group(2) is not None for m in LINE_END_HYPHEN.finditer(text)}
        hyphen_ends = {i: ends[b] for i, (_a, b) in enumerate(spans) if b in ends} if ends else {}
        breaks = [m.start() for m in re.finditer("\f", text)]
        pages = [bisect_left(spans, (at, 0)) for at in breaks]
        return cls(text, spans, words, starts, hyphen_ends, pages)

    def runs(self, start: int, end: int) -> list[tuple[int, int]]:
        """[start, end) cut where blocks begin."""
        cuts = [start, *(i for i in self.block_starts if start < i < end), end]
        return list(zip(cuts, cuts[1:]))

    def passage(self, start: int, end: int) -> str:
        """Words [start, end) quoted with a few words before them, in the source's own spelling."""
        before = max(0, start - CONTEXT_WORDS)
        shown = min(end, start + CONTEXT_WORDS)
        lead = self.text[self.spans[before][0]:self.spans[start][0]] if before < start else ""
        lost = self.text[self.spans[start][0]:self.spans[shown - 1][1]]
        return " ".join(f"{'…' if before else ''}{lead}“{lost}{'…' if shown < end else ''}”".split())

    def mended(self, vocabulary: set[str]) -> list[str]:
        """A PDF's words with what its text extraction split put back together, as the source's words say.

        A word hyphenated at a line's end goes on at the next line (in a table, after the other
        columns' cells), or, at a page's foot, after its notes, the folio and the running head;
        letter-spaced capitals come out as "I ntroduction".
        """
        words = list(self.words)
        for i, at_foot in self.hyphen_ends.items():
            turn = next((p for p in self.page_starts if p > i), len(words)) if at_foot else i + 1
            rests = [j for j in range(turn, min(len(words), turn + (PAGE_HEAD_WORDS if at_foot else LINE_WORDS)))
                     if words[j] and words[i] + words[j] in vocabulary]
            if rests:  # the nearest word it makes a word with; at a page's foot, the longest (not the head's)
                j = max(rests, key=lambda j: len(words[j])) if at_foot else rests[0]
                words[i], words[j] = words[i] + words[j], ""
        mended: list[str] = []
        for word in filter(None, words):
            if mended and (mended[-1] + word) in vocabulary and (mended[-1] not in vocabulary or word not in vocabulary):
                mended[-1] += word
            else:
                mended.append(word)
        return mended


def markup_text(root: etree._Element, tag=lambda el: el.tag) -> str:
    """The text a reader sees in an HTML tree, with a mark wherever a block or a line break ends."""
    for el in root.iter():
        if isinstance(el.tag, str) and tag(el) in SEPARATING:
            el.text, el.tail = BLOCK_EDGE + (el.text or ""), BLOCK_EDGE + (el.tail or "")
    return "".join(root.itertext())


def document_text(data: bytes) -> str:
    """The text of an XHTML document's <body>."""
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, recover=True))
    body = next((el for el in root.iter() if isinstance(el.tag, str) and etree.QName(el).localname == "body"), root)
    return markup_text(body, lambda el: etree.QName(el).localname)


# "… / Credit: Name" and "…. Credit: Name" print the name alone (transforms/credits.py splits both ways)
UNPRINTED_CREDIT = re.compile(rf"(?:/\s*|{SENTENCE_END}){UNPRINTED_LABEL}s?\s*:\s*", re.I | re.M)


@lru_cache(maxsize=128)
def source_words(text: str, title: bool = True, people: bool = True) -> Words:
    """What a reader should see of an essay file, as words (the print and EPUB checks share them)."""
    return Words.of(source_text(text, title, people))


@lru_cache(maxsize=4096)  # a text is small beside its Words: these are kept for the whole book (read_sources)
def source_text(text: str, title: bool = True, people: bool = True) -> str:
    """What a reader should see of an essay file: its front matter's fields, then the body.

    Left out when the book decides so: the title of a page that prints no heading (a dedication),
    the byline of an essay by the book's own author or of a piece that signs itself.
    """
    source = split_front_matter(Path("essay.md"), text.replace("\r\n", "\n"), Problems())
    data = source.data if source else {}
    names = ([data["author"]] if data.get("author") else []) + list(data.get("authors") or [])
    original = data.get("original")
    fields = [to_inline_html(str(data.get("title") or "")) if title else "", str(data.get("subtitle") or ""),
              *[str(p.get("name", "") if isinstance(p, dict) else p) for p in names if people],
              to_inline_html(str(data.get("standfirst") or "")),
              *[to_html(str(e.get("text", ""))) + " " + str(e.get("author") or "") + " " +
                to_inline_html(str(e.get("source") or "")) for e in data.get("epigraphs") or [] if isinstance(e, dict)],
              str(original.get("name") or "") if isinstance(original, dict) else str(original or "")]
    body = to_html(UNPRINTED_CREDIT.sub("/ ", source.body)) if source else ""  # "/ Credit: Name" prints "Name"
    root = parse_fragment("<p/>".join([*fields, body]))
    for call in root.xpath("//sup[a[contains(@class, 'footnote-ref')]]"):
        call.drop_tree()  # a note's number is the edition's to write (keeps the quoted passage clean)
    # a run of 60 characters or more with no space (a URL, a DNA sequence) breaks anywhere on a page: not compared
    return UNBROKEN.sub(" ", markup_text(root))


UNBROKEN = re.compile(r"[^\s\u2029]{60,}")


def first_loss(source: Words, output: list[str]) -> tuple[int, int] | None:
    """The first run of source words [start, end) that the output lacks, or None.

    Fast when nothing is lost: every word is there as often as in the source. Otherwise a
    sequence comparison lines the texts up, and a run it leaves unmatched counts as lost where
    a piece of it within one block is nowhere in the output in one piece (a note set at the foot
    of its page, or a figure floated on, sits elsewhere in a PDF's text than in the source).
    A loss made only of words the output has more of elsewhere (the running heads' words)
    goes unseen: the price of the fast way.
    """
    short = Counter(source.words) - Counter(output)
    if not short:
        return None
    matcher = SequenceMatcher(None, source.words, output, autojunk=True)
    joined = f" {' '.join(output)} "
    for tag, i1, i2, _j1, _j2 in matcher.get_opcodes():
        if tag in ("delete", "replace"):
            for start, end in source.runs(i1, i2):
                if f" {' '.join(source.words[start:end])} " not in joined:
                    kept = start  # the loss begins after the longest start of the run that the output has
                    while kept < end and f" {' '.join(source.words[start:kept + 1])} " in joined:
                        kept += 1
                    return kept, end
    first = min(source.words.index(word) for word in short)  # too few of a word, though each run is somewhere
    return first, first + 1


def essay_source(essay: Essay) -> tuple[str, bool, bool]:
    # as read for this build (an edit since is the next's), its citations and index marks as the editions set them
    return essay.resolved_source or essay.source, essay.heading, essay.byline_shown and not essay.signed


def read_sources(book: Book) -> None:
    """Every essay's source text, read ahead (while the last chunks are laid out) for the checks to find ready:
    the Markdown is most of the cost; the words are made from it when checked."""
    for essay in book.pieces:
        source_text(*essay_source(essay))


def loss_finding(edition: str, book: Book, essay: Essay, output: Words, where: str) -> Finding | None:
    source = source_words(*essay_source(essay))
    loss = first_loss(source, output.mended(set(source.words)))
    if loss is None:
        return None
    path = essay.path.relative_to(book.root) if essay.path.is_relative_to(book.root) else essay.path
    return Finding(edition, f"{path}: words of the source missing from {where}: {source.passage(*loss)}; "
                   "a template or stylesheet (the book's own styles/ first) dropped or hid them")


def check_print_words(rendered: Rendered, book: Book) -> list[Finding]:
    """Every essay's words on its own pages of the PDF (footnotes included); an essay whose pages passed in
    the last build and are unchanged is not read again (pages.py)."""
    spans = rendered.paged_facts.essay_spans if rendered.paged_facts else {}
    runs = pages_to_check(rendered)
    try:
        read = pdftotext_runs(rendered.path, runs, "-layout", "-enc", "UTF-8")
    except (OSError, subprocess.CalledProcessError) as exc:
        return [Finding(rendered.edition, f"the text-conservation check could not read the PDF's text ({exc}); "
                        "install poppler-utils", fatal=False, did_not_run=True)]
    pages = {n: page for first, text in read for n, page in enumerate(text.split("\f"), first)}
    findings = []
    for essay in book.pieces:
        if essay.slug not in spans or not touches(runs, *spans[essay.slug]):
            continue
        first, last = spans[essay.slug]
        output = Words.of("\f".join(pages.get(n, "") for n in range(first, last + 1)))
        found = loss_finding(rendered.edition, book, essay, output,
                             f"its pages of the PDF ({first}–{last})" if last > first else f"its page of the PDF ({first})")
        findings += [found] if found else []
    return findings


def check_epub_words(rendered: Rendered, book: Book) -> list[Finding]:
    """Every essay's words in its own XHTML document of the EPUB; a document the same as one whose words
    passed in the last build, from the same source, is not compared again (epub_word_units)."""
    findings = []
    with zipfile.ZipFile(rendered.path) as z:
        names = z.namelist()
        units = epub_word_units(rendered, book, z) if rendered.checked_before else {}
        for essay in book.pieces:
            if units.get(essay.slug) in rendered.checked_before:
                continue
            name = next((n for n in names if Path(n).name == f"{essay.slug}.xhtml"), None)
            output = Words.of(document_text(z.read(name)) if name else "")
            found = loss_finding(rendered.edition, book, essay, output, name or "the EPUB (it has no document "
                                 f"{essay.slug}.xhtml)")
            findings += [found] if found else []
    return findings


def epub_units(rendered: Rendered, book: Book) -> list[str]:
    """What check_epub_words judged, for the next build to skip (checks/registry.CHECKED_UNITS)."""
    return sorted(epub_word_units(rendered, book).values())


def epub_word_units(rendered: Rendered, book: Book, opened: zipfile.ZipFile | None = None) -> dict[str, str]:
    """Each essay's document and source as one digest: the same digest, the same verdict (an edit a
    template leaves out of the document still changes the source, so it is compared again)."""
    with (nullcontext(opened) if opened is not None else zipfile.ZipFile(rendered.path)) as z:
        documents = {Path(n).name: n for n in z.namelist()}
        units = {}
        for essay in book.pieces:
            name = documents.get(f"{essay.slug}.xhtml")
            if name is None:
                continue
            digest = hashlib.sha256(z.read(name) + b"\0" + (essay.resolved_source or essay.source).encode()
                                    + f"\0{essay.heading}{essay.byline_shown}{essay.signed}".encode())
            units[essay.slug] = f"{essay.slug}:{digest.hexdigest()[:32]}"
    return units
