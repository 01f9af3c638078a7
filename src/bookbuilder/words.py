"""The words the builder itself writes ("Contents", "Part One", "January 2021"), in the book's language.

One catalogue per language, `styles/locales/<lang>.toml`, overridable like a template: a book's
own `styles/locales/fr.toml` is read over the house one, key by key, and a `[words]` table in
book.toml over both. A tag such as "fr-CA" uses `fr-CA.toml` when there is one, else `fr.toml`;
a language without a catalogue uses English (the loader warns). Every key has the type of the
English entry: a string (with `{fields}`), a list (month names, ordinals) or a table of plural
forms (`one`, `other`).
"""
from __future__ import annotations

import datetime as dt
import difflib
import string
import tomllib
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .house import house_dir
from .model import Year

LOCALES = "locales"
ENGLISH = "en"


def catalogue_file(dirs: list[Path], name: str) -> list[Path]:
    """The catalogue files for `name`, house first, the book's own after it (it wins)."""
    return [d / LOCALES / f"{name}.toml" for d in reversed(dirs) if (d / LOCALES / f"{name}.toml").is_file()]


def read_catalogue(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def english(dirs: list[Path]) -> dict[str, Any]:
    """The English catalogue: every key there is, each with the type a translation must have."""
    entries: dict[str, Any] = {}
    for path in catalogue_file(dirs, ENGLISH):
        entries.update(read_catalogue(path))
    return entries


def catalogue_names(lang: str) -> list[str]:
    """Catalogues to try for a BCP 47 tag, most specific first: "fr-CA" → fr-CA, fr."""
    parts = lang.split("-")
    return ["-".join(parts[:n]) for n in range(len(parts), 0, -1)]


def same_shape(reference: Any, value: Any) -> bool:
    """A translation has the English entry's type: a string, a list of strings as long, or plural forms."""
    if isinstance(reference, str):
        return isinstance(value, str)
    if isinstance(reference, list):
        return isinstance(value, list) and len(value) == len(reference) and all(isinstance(v, str) for v in value)
    if isinstance(reference, dict):
        return isinstance(value, dict) and set(value) == set(reference) and all(isinstance(v, str)
                                                                                 for v in value.values())
    return False


def describe_shape(reference: Any) -> str:
    if isinstance(reference, list):
        return f"a list of {len(reference)} strings"
    if isinstance(reference, dict):
        return "a table with " + " and ".join(sorted(reference))
    return "a string"


def fields_of(text: str) -> set[str] | None:
    """The {fields} a string fills in; None when its braces do not parse."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return None


def entry_problem(reference: dict[str, Any], key: str, value: Any) -> tuple[str, str] | None:
    """(message, hint) when `value` cannot stand for the English entry `key`; None when it can."""
    if key not in reference:
        close = difflib.get_close_matches(key, list(reference), n=1)
        return "unknown key", f"did you mean {close[0]!r}?" if close else "see styles/locales/en.toml for the keys"
    english_value = reference[key]
    if not same_shape(english_value, value):
        shown = (repr(english_value[:3])[:-1] + ", …]") if isinstance(english_value, list) else repr(english_value)
        return f"expected {describe_shape(english_value)}", f"the English entry is {key} = {shown}"
    texts = value.values() if isinstance(value, dict) else value if isinstance(value, list) else [value]
    allowed = set().union(*(fields_of(t) or set() for t in (
        english_value.values() if isinstance(english_value, dict) else
        english_value if isinstance(english_value, list) else [english_value])))
    for text in texts:
        found = fields_of(text)
        if found is None:
            return f"{text!r} has an unmatched brace", "write fields as {name}; a literal brace as {{ or }}"
        if found - allowed:
            known = ", ".join("{" + f + "}" for f in sorted(allowed)) or "none"
            return (f"{text!r} names " + ", ".join("{" + f + "}" for f in sorted(found - allowed)),
                    f"this entry can use: {known}")
    return None


def resolve(dirs: list[Path], lang: str, overrides: dict[str, Any] | None = None) -> tuple[dict[str, Any], str]:
    """The catalogue for `lang` (English underneath), then `overrides`; and the catalogue used ("" if none).

    The English entries stay under a translation, so a book's partial catalogue still builds.
    """
    entries = english(dirs)
    used = ""
    for name in catalogue_names(lang):
        files = catalogue_file(dirs, name)
        if files:
            used = name
            for path in files:
                entries.update({k: v for k, v in read_catalogue(path).items() if k in entries})
            break
    entries.update(overrides or {})
    return entries, used


def plural_form(lang: str, n: int) -> str:
    """CLDR's two cardinal forms of these languages: French counts 0 and 1 as singular."""
    base = lang.split("-")[0].lower()
    return "one" if (n in (0, 1) if base == "fr" else n == 1) else "other"


class Words:
    """Lookups in one resolved catalogue: `words("contents")`, part labels, dates, lists of names.

    Called from a template it returns Markup: the entry is escaped, and so is every field
    except those already Markup (a `<cite>` the template made).
    """

    def __init__(self, entries: dict[str, Any], lang: str = ENGLISH):
        self.entries, self.lang = entries, lang

    @classmethod
    def of(cls, book) -> "Words":
        """The book's words (sources/book.py resolves them); English for a Book made without them."""
        return cls(book.words, book.language) if book.words else cls.english([book.root / "styles", house_dir()])

    @classmethod
    def english(cls, dirs: list[Path]) -> "Words":
        return cls(english(dirs), ENGLISH)

    def __call__(self, key: str, **fields) -> Markup:
        return Markup.escape(self.entries[key]).format(**fields)

    def text(self, key: str, **fields) -> str:
        """Plain text, for metadata and file titles."""
        return self.entries[key].format(**fields)

    def count(self, key: str, n: int) -> str:
        return self.entries[key][plural_form(self.lang, n)].format(n=n)

    def names(self, people) -> str:
        """'A', 'A and B', 'A, B and C' with the language's 'and'; people are names or contributors."""
        names = [getattr(p, "name", p) for p in people]
        if len(names) <= 1:
            return "".join(names)
        return ", ".join(names[:-1]) + f" {self.entries['and']} " + names[-1]

    def labelled(self, thing) -> str:
        """A part's or an essay's title with its label ("Chapter IV: Of Individuality"), in the book's words."""
        return self.text("part_heading", label=thing.label, title=thing.title) if thing.label else thing.title

    def part_label(self, number: int) -> str:
        """'Part One', 'Première partie', 'Erster Teil'; beyond the catalogue's ordinals, 'Part 21'."""
        ordinals = self.entries["part_ordinals"]
        if 1 <= number <= len(ordinals):
            return self.text("part", ordinal=ordinals[number - 1])
        return self.text("part_number", number=number)

    def month_year(self, date: dt.date) -> str:
        if isinstance(date, Year):  # known only to its year: printed as the year alone
            return str(date.year)
        return self.text("date_month_year", month=self.entries["months"][date.month - 1], year=date.year)

    def day_month_year(self, date: dt.date) -> str:
        if isinstance(date, Year):
            return str(date.year)
        day = self.entries["first_day"] if date.day == 1 else str(date.day)
        return self.text("date_day_month_year", day=day, month=self.entries["months"][date.month - 1],
                         year=date.year)
