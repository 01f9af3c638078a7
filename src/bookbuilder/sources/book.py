"""The whole book folder → `model.Book`: settings first, then every listed essay."""
from __future__ import annotations

import re
import uuid
from pathlib import Path

import tomllib

from ..config import ROLES, KeyLines, Settings, isbn_urn, load_settings
from ..errors import Problems
from ..house import house_dir
from ..theme import check_book_styles
from ..words import LOCALES, catalogue_names, english, entry_problem, resolve
from ..model import Book, Cover, Edition, Part
from ..names import unique_name, xml_name
from .essay import load_essay, make_contributor, make_epigraph, check_strings, slugify
from .images import image_problem
from .citations import BibliographyError, book_references, load_bibliography
from .markdown import to_inline_html


def load_book(book_dir: Path) -> Book:
    """Read book.toml and every essay; raises BuildError listing all problems found.

    Mistakes in book.toml do not stop the essays that exist from being read, so an
    editor sees every problem of the book in one run.
    """
    book_dir = Path(book_dir).resolve()
    problems = Problems()
    settings = load_settings(book_dir, problems)
    check_strings(settings.raw, (), settings.context)
    v = settings.values
    lang = v.get("language") or "en"
    seen: dict[Path, tuple] = {}
    slugs: set[str] = set()

    def slug_for(path: Path) -> str:
        """The essay's name in every edition (ids, EPUB file): from its file name, unique in the book."""
        slug = unique_name(xml_name(path.stem), lambda s: s in slugs or is_reserved(s))
        slugs.add(slug)
        return slug

    def essays(paths: list[Path], key: tuple, kind: str):
        out = []
        for i, path in enumerate(paths):
            rel = str(path.relative_to(book_dir))
            if path in seen:
                problems.add(settings.file, f"{rel} is listed twice in the contents",
                             settings.line_of(key + (i,), rel), "list each essay once")
                continue
            seen[path] = key
            essay = load_essay(path, book_dir, lang, kind, problems, slug=slug_for(path), bibliography=bibliography,
                               index_terms=(v.get("index") or {}).get("terms"))
            if essay is not None:
                out.append(essay)
        return out

    bibliography, bibliography_notices = None, []
    if (v.get("bibliography") or {}).get("file"):  # a file that is missing was reported by the schema
        try:
            bibliography = load_bibliography(book_dir, v["bibliography"], lang)
            bibliography_notices = bibliography.notices
        except BibliographyError as exc:
            settings.context.error(("bibliography", exc.key), str(exc),
                                   "correct the file or the style named in book.toml's [bibliography]")

    contents = v.get("contents") or {}
    front = essays(contents.get("front", []), ("contents", "front"), "front")
    parts: list[Part] = []
    if contents.get("essays"):
        parts.append(Part(id="part-1", number=0, title="", title_html="",
                          essays=essays(contents["essays"], ("contents", "essays"), "essay")))
    for n, p in enumerate(contents.get("parts", []), 1):
        parts.append(Part(id=f"part-{n}", number=n, title=p.get("title", ""), title_html="",
                          essays=essays(p.get("essays", []), ("contents", "parts", n - 1, "essays"), "essay")))
    back = essays(contents.get("back", []), ("contents", "back"), "back")
    cover = v.get("cover") or {}
    if cover.get("image"):
        wrong = image_problem(cover["image"])
        if wrong:
            settings.context.error(("cover", "image"), f"the cover {wrong[0]}", wrong[1])

    check_book_styles(book_dir, problems)
    check_book_locales(book_dir, problems)

    problems.raise_if_any()

    # Only now are book.toml's strings known to be safe to convert (hostile Markdown is refused above).
    for part, spec in zip([p for p in parts if p.number], contents["parts"]):
        part.title_html = to_inline_html(part.title, lang)
        part.label = spec.get("label")
        part.epigraphs = [make_epigraph(e) for e in spec["epigraphs"]]
    editions = {name: Edition(name=name, isbn=opts.get("isbn") or "", options=opts)
                for name, opts in v["editions"].items() if opts}
    for name in ("print", "epub", "screen"):
        editions.setdefault(name, Edition(name=name))
    references = []
    if bibliography and bibliography.placement == "book":  # every work cited, in the book's reading order
        pieces = [*front, *(e for p in parts for e in p.essays), *back]
        references = book_references(bibliography, list(dict.fromkeys(k for e in pieces for k in e.cited)))
    return Book(
        references=references,
        references_word="bibliography" if bibliography and bibliography.notes else "references",
        root=book_dir, slug=slugify(v["title"]), title=v["title"], subtitle=v["subtitle"], language=lang,
        authors=[make_contributor(a, role=ROLES[a["role"]]) for a in v["authors"]],
        editors=[make_contributor(e, role="edt") for e in v["editors"]], publisher=v["publisher"],
        date=v["date"], rights=v["rights"], description=v["description"], series=v["series"],
        epigraphs=[make_epigraph(e) for e in v["epigraphs"]], editions=editions,
        trim=editions["print"].options.get("trim") if editions["print"].options else None,
        cover=Cover(image=cover.get("image"), credit_html=to_inline_html(cover["credit"]) if cover.get("credit") else "",
                    back_text=cover.get("back_text") or "", background=cover.get("background") or "#8f1c20",
                    pages_per_inch=cover.get("pages_per_inch"), caliper_mm=cover.get("caliper_mm")),
        front=front, parts=parts, back=back, identifier=identifier_for(settings), version=v["version"],
        **with_notices(interface_words(settings, lang), bibliography_notices),
        numbering=contents["numbering"], chapter_label=contents["chapter_label"],
        running_heads_numbered=contents["running_heads_numbered"], epigraphs_after=contents["epigraphs_after"],
        essay_dates=contents["essay_dates"], index_ranges=v["index"]["ranges"],
        figure_numbering=(v.get("figures") or {}).get("numbering") or "none",
        web_base_url=(v.get("web") or {}).get("base_url") or "",
    )


# Names the editions give their own pages, parts and EPUB items; an essay's file name becomes its id and
# file, with a number added when it would be one of these or another essay's.
RESERVED_SLUGS = frozenset("cover title copyright epigraphs book-epigraphs contributors image-credits nav ncx toc "
                           "contents half-title title-page style page-list-title index search bibliography".split())
RESERVED_PATTERN = re.compile(r"^(?:(?:part|font|img)-\d+|page-[a-z0-9]+)$")  # page-: the EPUB's page-break markers


def with_notices(found: dict, notices: list[str]) -> dict:
    return {**found, "warnings": found["warnings"] + notices}


def interface_words(settings: Settings, lang: str) -> dict:
    """The book's words (words.py) and, for a language without a catalogue, the warning that English is used."""
    dirs = [settings.root / "styles", house_dir()]
    entries, used = resolve(dirs, lang, settings.values.get("words"))
    warnings = []
    if not used and catalogue_names(lang)[-1].lower() != "en":
        where = f"{settings.file}:{settings.line_of(('language',)) or 1}"
        warnings.append(f"{where}: language = {lang!r}: bookbuilder has no interface words in this language, so "
                        f"English is used (add styles/locales/{catalogue_names(lang)[-1]}.toml with the keys of "
                        "the house en.toml, or a [words] table)")
    return {"words": entries, "warnings": warnings}


def check_book_locales(book_dir: Path, problems: Problems) -> None:
    """The book's own catalogues (styles/locales/*.toml): TOML, known keys, the English entries' types."""
    reference = english([book_dir / "styles", house_dir()])
    for path in sorted((book_dir / "styles" / LOCALES).glob("*.toml")):
        shown = path.relative_to(book_dir)
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            problems.add(shown, f"TOML syntax error: {exc}", None, "fix the syntax; strings need quotes")
            continue
        lines = KeyLines(text)
        for key, value in data.items():
            problem = entry_problem(reference, key, value)
            if problem:
                problems.add(shown, f"{key}: {problem[0]}", lines.line((key,)), problem[1])


# Names the editions give their own pages, parts and EPUB items; an essay's file name becomes its id and file.
def is_reserved(slug: str) -> bool:
    return slug in RESERVED_SLUGS or bool(RESERVED_PATTERN.match(slug))


def identifier_for(settings: Settings) -> str:
    """A stable identity: the one given, else the EPUB's ISBN, else a UUID derived from title and publisher."""
    v = settings.values
    if v["identifier"]:
        return v["identifier"]
    isbn = (v["editions"].get("epub") or {}).get("isbn")
    if isbn:
        return isbn_urn(isbn)
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"bookbuilder:{v['publisher']}:{v['title']}"))
