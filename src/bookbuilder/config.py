"""book.toml: read, validated against one declared schema, every mistake collected.

Settings are declared once as typed options (MkDocs' config options are the model).
Each error names the file, the key and the line, and says what to write instead.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import Problems
from .house import house_dir
from .words import english, entry_problem

KeyPath = tuple  # e.g. ("contents", "parts", 0, "essays", 2)


def dotted(path: KeyPath) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (("." if out else "") + p)
    return out


class KeyLines:
    """Finds the line of a key in TOML text (tomllib keeps no positions)."""

    _header = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\]?\s*(#.*)?$")
    _key = re.compile(r"^\s*([A-Za-z0-9_\-\"]+(?:\s*\.\s*[A-Za-z0-9_\-\"]+)*)\s*=")

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.where: dict[KeyPath, int] = {}
        counters: dict[tuple, int] = {}
        table: tuple = ()
        for n, line in enumerate(self.lines, 1):
            m = self._header.match(line)
            if m:
                names = tuple(p.strip().strip('"') for p in m.group(2).split("."))
                resolved: tuple = ()
                # array-of-tables parents resolve to their latest element
                for name in names[:-1]:
                    resolved += (name,)
                    if resolved in counters:
                        resolved += (counters[resolved],)
                resolved += (names[-1],)
                if m.group(1) == "[[":
                    counters[resolved] = counters.get(resolved, -1) + 1
                    self.where.setdefault(resolved, n)
                    resolved += (counters[resolved],)
                table = resolved
                self.where.setdefault(table, n)
                continue
            m = self._key.match(line)
            if m and not line.lstrip().startswith("#"):
                names = tuple(p.strip().strip('"') for p in m.group(1).split("."))
                self.where.setdefault(table + names, n)

    def line(self, path: KeyPath, value: Any = None) -> int | None:
        for cut in range(len(path), -1, -1):
            if path[:cut] in self.where:
                start = self.where[path[:cut]]
                if isinstance(value, str) and value:
                    needle = value.replace("\\", "\\\\")
                    for n in range(start, min(start + 400, len(self.lines) + 1)):
                        if f'"{needle}"' in self.lines[n - 1] or f"'{value}'" in self.lines[n - 1]:
                            return n
                return start
        return None


@dataclass
class Context:
    file: Path
    root: Path
    lines: KeyLines
    problems: Problems

    def error(self, path: KeyPath, message: str, hint: str = "", value: Any = None) -> object:
        """Report a setting that cannot be used; returns _MISSING, what a check gives for it."""
        self.problems.add(self.file, f"{dotted(path)}: {message}", self.lines.line(path, value), hint)
        return _MISSING


_MISSING = object()


class Option:
    """A typed setting. `check` returns the cleaned value or `_MISSING` after reporting."""

    expects = "a value"

    def __init__(self, required: bool = False, default: Any = None, help: str = ""):
        self.required, self.default, self.help = required, default, help

    def check(self, value: Any, path: KeyPath, ctx: Context) -> Any:
        return value

    def wrong_type(self, value: Any, path: KeyPath, ctx: Context) -> Any:
        return ctx.error(path, f"expected {self.expects}, found {type(value).__name__} {value!r}",
                         self.help or f"write {self.expects}")


class Str(Option):
    expects = "a string"

    def __init__(self, *a, nonempty: bool = True, max_chars: int | None = None, **kw):
        super().__init__(*a, **kw)
        self.nonempty = nonempty
        self.max_chars = max_chars

    def check(self, value, path, ctx):
        if not isinstance(value, str):
            return self.wrong_type(value, path, ctx)
        if self.nonempty and not value.strip():
            return ctx.error(path, "must not be empty", self.help)
        if self.max_chars and len(value.strip()) > self.max_chars:
            return ctx.error(path, f"is {len(value.strip()):,} characters long; at most {self.max_chars} fit a title "
                             "page and a running head", "shorten it; put the rest in a subtitle or the standfirst")
        return self.refine(value.strip(), path, ctx)

    def refine(self, value: str, path, ctx):
        """A kind of string reads the string further (a language tag, a length): its value, or _MISSING."""
        return value


TITLE_CHARS = 300  # the longest real titles are about 200 characters; laying out far longer ones takes minutes


class Lang(Str):
    expects = 'a language tag such as "en" or "de-AT"'
    _tag = re.compile(r"^[a-zA-Z]{2,3}(-[A-Za-z0-9]{2,8})*$")

    def refine(self, value, path, ctx):
        if not self._tag.match(value):
            return ctx.error(path, f"{value!r} is not a language tag", 'use a BCP 47 tag such as "en", "fr" or "pt-BR"')
        return value


class Version(Str):
    """A release's version, as written into file names: "1.0", "2.1-rc1" (a TOML number would lose "1.10")."""

    expects = 'a version in quotes, such as "1.0" or "2.1-rc1"'
    _version = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+_-]*$")

    def check(self, value, path, ctx):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return ctx.error(path, f"expected {self.expects}, found the number {value!r}", f'write version = "{value}"')
        return super().check(value, path, ctx)

    def refine(self, value, path, ctx):
        if self._version.match(value):
            return value
        return ctx.error(path, f"{value!r} cannot be part of a file name",
                         "use letters, digits, dots, hyphens, plus signs and underscores only", value)


class Date(Option):
    """A full date, or a year alone (date = 1883) for books and essays known only to their year."""

    expects = "a date such as 2026-11-01, or a year such as 1883 (no quotes)"

    def check(self, value, path, ctx):
        from .model import Year

        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str) and re.fullmatch(r"\d{4}", value.strip()):
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            if not 1 <= value <= 9999:
                return ctx.error(path, f"{value} is not a year", "write a year of four digits, e.g. 1883")
            return Year(value)
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        return self.wrong_type(value, path, ctx)


class Bool(Option):
    expects = "true or false"

    def check(self, value, path, ctx):
        return value if isinstance(value, bool) else self.wrong_type(value, path, ctx)


class Int(Option):
    expects = "a whole number"

    def __init__(self, *a, minimum: int | None = None, **kw):
        super().__init__(*a, **kw)
        self.minimum = minimum

    def check(self, value, path, ctx):
        if isinstance(value, bool) or not isinstance(value, int):
            return self.wrong_type(value, path, ctx)
        if self.minimum is not None and value < self.minimum:
            return ctx.error(path, f"must be at least {self.minimum}, found {value}")
        return value


def isbn_digits(isbn: str) -> str:
    """An ISBN as book.toml may write it (hyphens, spaces) → its 13 digits: bars, URNs and checks use these."""
    return re.sub(r"[\s-]", "", isbn)


def isbn_urn(isbn: str) -> str:
    """The ISBN as the identifier a package or an XMP packet names: `urn:isbn:9781000000000`."""
    return "urn:isbn:" + isbn_digits(isbn)


class ISBN(Str):
    expects = 'an ISBN-13 such as "978-1-0000-0000-0"'

    def refine(self, value, path, ctx):
        digits = isbn_digits(value)
        if not re.fullmatch(r"97[89]\d{10}", digits):
            return ctx.error(path, f"{value!r} is not an ISBN-13", "an ISBN-13 has 13 digits and starts with 978 or 979",
                             value)
        check = (10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits[:12])) % 10) % 10
        if check != int(digits[12]):
            return ctx.error(path, f"ISBN {value!r} has a wrong check digit (expected {check})",
                             "copy the ISBN again from the agency's record", value)
        return value


class File(Str):
    """A path relative to the book folder that must exist and stay inside it."""

    expects = "a path relative to the book folder"

    def refine(self, value, path, ctx):
        target = (ctx.root / value).resolve()
        if not target.is_relative_to(ctx.root.resolve()):
            return ctx.error(path, f"{value!r} is outside the book folder", "keep every source inside the book folder",
                             value)
        if not target.is_file():
            return ctx.error(path, f"file {value!r} does not exist", f"create {ctx.root / value} or fix the path",
                             value)
        return target


TRIMS_MM = {
    "6x9in": (152.4, 228.6), "5x8in": (127.0, 203.2), "5.5x8.5in": (139.7, 215.9),
    "5.25x8in": (133.35, 203.2), "a5": (148.0, 210.0), "b-format": (129.0, 198.0),
    "royal": (156.0, 234.0), "demy": (138.0, 216.0), "a4": (210.0, 297.0),
}


class TrimSize(Str):
    expects = 'a trim size: a name (' + ", ".join(TRIMS_MM) + ') or dimensions like "140x216mm"'

    def refine(self, value, path, ctx):
        from .model import Trim

        key = value.lower().replace(" ", "").replace("×", "x")
        if key in TRIMS_MM:
            return Trim(*TRIMS_MM[key], label=value)
        m = re.fullmatch(r"(\d+(?:\.\d+)?)x(\d+(?:\.\d+)?)(mm|cm|in)", key)
        if m:
            factor = {"mm": 1.0, "cm": 10.0, "in": 25.4}[m.group(3)]
            w, h = float(m.group(1)) * factor, float(m.group(2)) * factor
            if 80 <= w <= 320 and 100 <= h <= 450:
                return Trim(w, h, label=value)
        return ctx.error(path, f"unknown trim size {value!r}", self.expects, value)


class Length(Str):
    """A print measure such as "3mm", "0.125in" or "9pt", cleaned to millimetres."""

    expects = 'a length such as "3mm", "0.125in" or "9pt"'
    _units = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72}

    def __init__(self, *a, maximum_mm: float = 25.0, **kw):
        super().__init__(*a, **kw)
        self.maximum_mm = maximum_mm

    def refine(self, value, path, ctx):
        m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(mm|cm|in|pt)", value.lower())
        if not m:
            return ctx.error(path, f"{value!r} is not a length", self.expects, value)
        mm = float(m.group(1)) * self._units[m.group(2)]
        if mm > self.maximum_mm:
            return ctx.error(path, f"{value} is more than {self.maximum_mm:g} mm", self.help or self.expects, value)
        return mm


class Number(Option):
    expects = "a number"

    def __init__(self, *a, minimum: float = 0.0, maximum: float | None = None, **kw):
        super().__init__(*a, **kw)
        self.minimum, self.maximum = minimum, maximum

    def check(self, value, path, ctx):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return self.wrong_type(value, path, ctx)
        if value <= self.minimum or (self.maximum is not None and value > self.maximum):
            limits = f"more than {self.minimum:g}" + (f" and at most {self.maximum:g}" if self.maximum else "")
            return ctx.error(path, f"must be {limits}, found {value}", self.help)
        return float(value)


class Choice(Str):
    def __init__(self, choices: tuple[str, ...], *a, **kw):
        super().__init__(*a, **kw)
        self.choices = choices
        self.expects = " or ".join(f'"{c}"' for c in choices)

    def refine(self, value, path, ctx):
        if value not in self.choices:
            return ctx.error(path, f"{value!r} is not one of the choices", f"write {self.expects}", value)
        return value


class BaseURL(Str):
    """Where a site is published: an absolute http(s) address with a host, no query or fragment."""

    expects = 'an address such as "https://example.org/book/"'

    def refine(self, value, path, ctx):
        from urllib.parse import urlsplit
        try:
            parts = urlsplit(value)
        except ValueError:
            parts = None
        if not parts or parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment \
                or any(c.isspace() for c in value):
            return ctx.error(path, f"{value[:60]!r} is not a web address the site can be published at",
                             self.help or f"write {self.expects}")
        return value if value.endswith("/") else value + "/"


class LabelFormat(Str):
    """A label with `{n}` where the number goes: "Chapter {n}", "No. {n}"."""

    expects = 'a label with {n} for the number, such as "Chapter {n}"'

    def refine(self, value, path, ctx):
        if value.count("{n}") != 1:
            return ctx.error(path, f"{value!r} has no {{n}} (or more than one)", f"write {self.expects}", value)
        return value


class IndexTerm(Str):
    """A term the index finds in every essay: "Marx, Karl = Marx" (the entry, then the phrase), a phrase alone,
    or a table that can also say where the phrase does not count and how its case is matched (model.AutoTerm)."""

    expects = 'a phrase, "entry = phrase" such as "Marx, Karl = Marx", or a table such as ' \
              '{ phrase = "Marx", entry = "Marx, Karl", exclude = ["Marx Brothers"] }'

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.table = Table({
            "phrase": Str(required=True, help='the words to look for, e.g. phrase = "Marx"'),
            "entry": Str(default="", help='the index entry they stand for, e.g. entry = "Marx, Karl" (default: '
                                          'the phrase)'),
            "exclude": ListOf(Str(), default=list, help='longer phrases holding the phrase where it must not be '
                                                        'marked, e.g. exclude = ["Marx Brothers"]'),
            "case": Choice(("exact", "any"), default="", help='"exact" matches the phrase only as written, "any" in '
                                                              'any case (default: exact when the phrase has a capital '
                                                              'letter, else any)')})

    def check(self, value, path, ctx):
        from .model import AutoTerm
        from .sources.index_marks import term_pattern

        if not isinstance(value, dict):
            return super().check(value, path, ctx)
        found = self.table.check(value, path, ctx)
        if "phrase" not in found or any(key not in found for key in value if key in self.table.schema):
            return _MISSING  # the table's own errors are reported
        term = AutoTerm(found["entry"] or found["phrase"], found["phrase"], tuple(found["exclude"]), found["case"])
        if self.unreadable(term.entry + term.phrase, path, ctx):
            return _MISSING
        pattern = term_pattern(term.phrase, term.case)
        for i, phrase in enumerate(term.exclude):
            if not pattern.search(phrase):
                return ctx.error(path + ("exclude", i), f"{phrase!r} does not hold the phrase {term.phrase!r}, so "
                                 "excluding it changes nothing",
                                 f'write a longer phrase in which {term.phrase!r} must not be marked, such as '
                                 f'"{term.phrase} Brothers"', phrase)
        return term

    def refine(self, value, path, ctx):
        from .model import AutoTerm

        entry, _, phrase = value.rpartition("=") if "=" in value else (value, "", value)
        if not entry.strip() or not phrase.strip():
            return ctx.error(path, f"{value!r} is not a term the index can look for", f"write {self.expects}", value)
        return _MISSING if self.unreadable(value, path, ctx) else AutoTerm(entry.strip(), phrase.strip())

    def unreadable(self, text: str, path, ctx) -> bool:
        """The characters of an index mark ({^term | see: x}) cannot stand in a term: it becomes one."""
        if set("{}|>^") & set(text):
            ctx.error(path, f"{text!r} holds one of {{ }} | > ^, which index marks are written with",
                      "leave those characters out of the term")
            return True
        return False


class ListOf(Option):
    def __init__(self, item: Option, *a, **kw):
        super().__init__(*a, **kw)
        self.item = item
        self.expects = f"a list of {item.expects}"

    def check(self, value, path, ctx):
        if not isinstance(value, list):
            return self.wrong_type(value, path, ctx)
        out = [self.item.check(v, path + (i,), ctx) for i, v in enumerate(value)]
        return [v for v in out if v is not _MISSING]


class Table(Option):
    expects = "a table"

    def __init__(self, schema: dict[str, Option], *a, shorthand: str | None = None, **kw):
        super().__init__(*a, **kw)
        self.schema, self.shorthand = schema, shorthand
        if shorthand:
            self.expects = f'a string or a table such as {{ {shorthand} = "…" }}'

    def check(self, value, path, ctx):
        if self.shorthand and isinstance(value, str):
            value = {self.shorthand: value}
        if not isinstance(value, dict):
            return self.wrong_type(value, path, ctx)
        out: dict[str, Any] = {}
        for key, val in value.items():
            if key not in self.schema:
                close = difflib.get_close_matches(str(key), list(self.schema), n=1)
                hint = f"did you mean {close[0]!r}?" if close else "known keys: " + ", ".join(self.schema)
                ctx.error(path + (key,), "unknown key", hint)
        for key, opt in self.schema.items():
            if key in value:
                cleaned = opt.check(value[key], path + (key,), ctx)
                if cleaned is not _MISSING:
                    out[key] = cleaned
            elif opt.required:
                ctx.error(path + (key,) if path else (key,), "is required", opt.help or f"add {key} = {opt.expects}")
            elif isinstance(opt, Table) and opt.default is dict:
                out[key] = opt.check({}, path + (key,), ctx)  # an absent table still has its defaults
            else:
                out[key] = opt.default() if callable(opt.default) else opt.default
        return out


class WordTable(Option):
    """`[words]`: any of the interface words (styles/locales/en.toml has every key), each of the English entry's type."""

    expects = 'a table of interface words, such as { contents = "Sommaire" }'

    def check(self, value, path, ctx):
        if not isinstance(value, dict):
            return self.wrong_type(value, path, ctx)
        reference = english([ctx.root / "styles", house_dir()])
        out = {}
        for key, val in value.items():
            problem = entry_problem(reference, str(key), val)
            if problem:
                ctx.error(path + (key,), problem[0], problem[1])
            else:
                out[key] = val
        return out


EPIGRAPH = Table({"text": Str(required=True), "author": Str(default=""), "source": Str(default=""),
                  "lang": Lang(default=None)})
CONTRIBUTOR = Table({"name": Str(required=True), "bio": Str(default="")}, shorthand="name")
# The book's own authors and the other hands named on its title page, as MARC relator codes.
ROLES = {"author": "aut", "editor": "edt", "translator": "trl", "introduction": "aui"}
BOOK_AUTHOR = Table({
    "name": Str(required=True), "bio": Str(default=""),
    "role": Choice(tuple(ROLES), default="author",
                   help='"author", "editor", "translator" or "introduction" (an introduction by this person)'),
}, shorthand="name")
EDITION = Table({"isbn": ISBN(default=""), "trim": TrimSize(default=None)})
PRINT_EDITION = Table({
    "isbn": ISBN(default=""), "trim": TrimSize(default=None),
    "bleed": Length(default=3.0, help='the printer\'s bleed, e.g. "3mm" or "0.125in" (at most 25 mm)'),
    "marks": Bool(default=False, help="true draws crop marks outside the bleed"),
    "signature": Int(default=2, minimum=2, help="pad the page count to a multiple of this (2 = even; 16, 32 …)"),
    "pdf_x": Choice(("x-4", "x-1a"), default="x-4"),
    "interior": Choice(("grey", "cmyk"), default="grey",
                       help='"grey" for a black-and-white interior, "cmyk" for a colour one'),
}, default=dict)
COVER = Table({
    "image": File(default=None), "credit": Str(default=""),
    "back_text": Str(default=""),
    "background": Str(default="#8f1c20", help='the front\'s colour when there is no image, e.g. "#8f1c20"'),
    "pages_per_inch": Number(default=None, maximum=2000, help="the paper's PPI from the printer's stock list, e.g. 444"),
    "caliper_mm": Number(default=None, maximum=1.0, help="the thickness of one leaf of paper in mm, e.g. 0.1"),
}, default=dict)

BIBLIOGRAPHY = Table({
    "file": File(required=True, help='the works cited, e.g. file = "references.bib" (BibTeX) or "references.json" '
                                     '(CSL-JSON)'),
    # citeproc-py renders the CSL 1.0.1 styles (Chicago's 16th edition) in full; newer styles lose some
    # features there (given names come out as initials), so the default is the 16th edition's author-date.
    "style": Str(default="chicago-author-date-16th-edition",
                 help='a CSL style by name ("chicago-author-date-16th-edition", "chicago-notes-bibliography-16th-'
                      'edition", "apa" …) or the path of a .csl file in the book'),
    "list": Choice(("essay", "book", "none"), default="essay",
                   help='"essay" ends each essay with the works it cites (default); "book" gathers every work '
                        'cited into one list in the back matter, before the index; "none" prints no list'),
})

BOOK_SCHEMA = Table({
    "title": Str(required=True, max_chars=TITLE_CHARS, help='add title = "The Book\'s Title" at the top of book.toml'),
    "subtitle": Str(default=""),
    "language": Lang(default="en"),
    "words": WordTable(default=dict),
    "authors": ListOf(BOOK_AUTHOR, default=list),
    "editors": ListOf(CONTRIBUTOR, default=list),
    "publisher": Str(default=""),
    "date": Date(required=True, help="add date = 2026-11-01 (or a year: date = 1883): the publication date, "
                                     "also the timestamp of every output"),
    "rights": Str(default=""),
    "description": Str(default=""),
    "series": Str(default=""),
    "version": Version(default="1.0", help='the release\'s version, e.g. version = "1.0" (default "1.0")'),
    "identifier": Str(default=""),
    "epigraphs": ListOf(EPIGRAPH, default=list),
    "editions": Table({"print": PRINT_EDITION, "epub": EDITION, "screen": EDITION}, default=dict),
    "cover": COVER,
    "bibliography": BIBLIOGRAPHY,
    "index": Table({
        "ranges": Choice(("abbreviated", "full"), default="abbreviated",
                         help='"abbreviated" writes a range of pages as "143–47" (Chicago), "full" as "143–147"'),
        "terms": ListOf(IndexTerm(), default=list),
    }, default=dict),
    "figures": Table({
        "numbering": Choice(("none", "book", "chapter"), default="none",
                            help='"chapter" numbers figures 3.2 (essay . figure), "book" 1, 2, 3 … through the book, '
                                 '"none" (default) leaves them unnumbered'),
    }, default=dict),
    "web": Table({"base_url": BaseURL(default="", help='where the web edition is published, e.g. '
                                                       'base_url = "https://example.org/why-we-joined/"')},
                 default=dict),
    "contents": Table({
        "front": ListOf(File(), default=list),
        "essays": ListOf(File(), default=list),
        "numbering": Choice(("none", "roman", "arabic"), default="none",
                            help='"roman" or "arabic" numbers the essays that give no number or label; "none" (default)'),
        "chapter_label": LabelFormat(default="{n}", help='how a number is printed, e.g. "Chapter {n}" or "{n}."'),
        "running_heads_numbered": Bool(default=False, help="true puts an essay's label before its running title"),
        "essay_dates": Choice(("none", "opening", "end"), default="none",
                              help='"opening" or "end" prints each essay\'s year (its date, else its original\'s)'),
        "epigraphs_after": Choice(("copyright", "dedication"), default="copyright",
                                  help='where the book\'s epigraphs stand: after the "copyright" page (default) '
                                       'or after the "dedication"'),
        "parts": ListOf(Table({
            "title": Str(required=True),
            "label": Str(default=None, nonempty=False,
                         help='the part\'s label as printed, e.g. "Book I"; "" prints none (default "Part One" …)'),
            "epigraphs": ListOf(EPIGRAPH, default=list),
            "essays": ListOf(File(), required=True),
        }), default=list),
        "back": ListOf(File(), default=list),
    }, required=True, help="add a [contents] table listing the essays in reading order"),
})


@dataclass
class Settings:
    """The validated book.toml: plain values, plus where each key was written.

    When `problems` holds errors, `values` has only the keys that passed; the loader
    still reads the essays that exist so that one run reports every mistake.
    """

    file: Path
    root: Path
    values: dict[str, Any]
    lines: KeyLines
    raw: dict[str, Any]
    problems: Problems

    def line_of(self, path: KeyPath, value: Any = None) -> int | None:
        return self.lines.line(path, value)

    @property
    def context(self) -> Context:
        return Context(self.file, self.root, self.lines, self.problems)


MAX_SETTINGS_BYTES = 1_000_000


def load_settings(book_dir: Path, problems: Problems | None = None) -> Settings:
    """Read and validate BOOK_DIR/book.toml.

    Errors that leave nothing to go on (no file, not UTF-8, TOML syntax) raise BuildError
    at once; schema errors are collected in `problems` (raised here when none is given).
    """
    book_dir = Path(book_dir)
    file = book_dir / "book.toml"
    fatal = Problems()
    if not book_dir.is_dir():
        fatal.add(book_dir, "is not a folder", hint="give the folder that holds book.toml")
        fatal.raise_if_any()
    if not file.is_file():
        fatal.add(file, "not found", hint="a book folder needs a book.toml (see README.md for an example)")
        fatal.raise_if_any()
    if file.stat().st_size > MAX_SETTINGS_BYTES:
        fatal.add(file, f"is larger than {MAX_SETTINGS_BYTES:,} bytes", hint="check that this is the right file")
        fatal.raise_if_any()
    try:
        raw = file.read_bytes()
    except OSError as exc:
        fatal.add(file, f"cannot be read: {exc.strerror or exc}", hint="check that you may read the file")
        fatal.raise_if_any()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        fatal.add(file, "is not valid UTF-8", line, "save the file as UTF-8")
        fatal.raise_if_any()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        fatal.add(file, f"TOML syntax error: {msg}" + (f" (column {m.group(2)})" if m else ""),
                  int(m.group(1)) if m else None, "fix the syntax; strings need quotes, tables [brackets]")
        fatal.raise_if_any()
    except RecursionError:
        fatal.add(file, "arrays or tables are nested too deeply to read", None, "flatten the nesting")
        fatal.raise_if_any()
    lines = KeyLines(text)
    own = problems is None
    problems = Problems() if own else problems
    ctx = Context(file, book_dir, lines, problems)
    values = BOOK_SCHEMA.check(data, (), ctx)
    contents = values.get("contents") or {}
    if contents and contents.get("essays") and contents.get("parts"):
        ctx.error(("contents", "essays"), "use either contents.essays or [[contents.parts]], not both",
                  "move these essays into a part")
    if contents and not contents.get("essays") and not contents.get("parts") and "contents" in data:
        ctx.error(("contents",), "lists no essays", 'add essays = ["essays/first.md", …] or [[contents.parts]]')
    if own:
        problems.raise_if_any()
    return Settings(file, book_dir, values, lines, data, problems)
