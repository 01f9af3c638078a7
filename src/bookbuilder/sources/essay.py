"""One Markdown file with YAML front matter → one `Essay` (or front/back-matter piece)."""
from __future__ import annotations

import re
from pathlib import Path

from ..config import (_MISSING, CONTRIBUTOR, EPIGRAPH, TITLE_CHARS, Bool, Choice, Context, Date, Lang, ListOf,
                      Option, Str, Table)
from ..errors import Problems
from ..model import AutoTerm, Contributor, Epigraph, Essay, OriginalPublication
from ..names import xml_name
from . import guards, structure
from .citations import Bibliography, Cited, cite
from .frontmatter import split_front_matter
from .images import image_problem, own_dpi
from .index_marks import take_index_marks
from .markdown import to_html, to_html_checked, to_inline_html, to_tree_checked
from .sanitize import line_of
from .links import mark_link_lines


class Ordinal(Option):
    """An essay's number as printed: IV, 4, "4a" (a YAML number or a string)."""

    expects = 'a number such as 4 or IV'

    def check(self, value, path, ctx):
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if isinstance(value, str) and value.strip() and len(value) <= 20:
            return value.strip()
        return self.wrong_type(value, path, ctx)


PAGE_KINDS = ("dedication", "epigraph", "frontispiece")

ESSAY_SCHEMA = Table({
    "title": Str(required=True, max_chars=TITLE_CHARS, help='add title: "The Essay\'s Title" to the front matter'),
    "subtitle": Str(default="", max_chars=TITLE_CHARS),
    "running_title": Str(default="", max_chars=TITLE_CHARS),
    "author": CONTRIBUTOR,
    "authors": ListOf(CONTRIBUTOR, default=list),
    "standfirst": Str(default=""),
    "date": Date(default=None),
    "original": Table({"name": Str(default=""), "date": Date(default=None), "url": Str(default="")},
                      shorthand="name", default=None),
    "lang": Lang(default=None),
    "epigraphs": ListOf(EPIGRAPH, default=list),
    "number": Ordinal(default=None, help="the essay's number, e.g. number: IV (printed as the book's chapter_label)"),
    "label": Str(default=None, nonempty=False, help='the label as printed, e.g. label: "Chapter IV"; "" for none'),
    "kind": Choice(PAGE_KINDS, default="", help='"dedication", "epigraph" or "frontispiece": a page with no heading'),
    "heading": Bool(default=None, help="false leaves the title unprinted (it stays in the EPUB's contents)"),
    "index_terms": Bool(default=True, help="false: the book's [index] terms are not looked for in this piece "
                                           "(its own {^term} marks still count)"),
})

IMAGE_MARK = re.compile(r"!\[")


def lines_of_images(body_lines: list[str], first_line: int) -> list[int]:
    """The source line of each image in the body, in order: the nth <img> of the HTML was written on the nth."""
    return [first_line + i for i, line in enumerate(body_lines) for _ in IMAGE_MARK.finditer(line)]


SLUG_CHARS = 80  # slugs name files (book-print.pdf, essays/…md): well inside the 255 bytes a file name may have


def slugify(text: str) -> str:
    text = re.sub(r"[^\w\s-]", "", text.lower(), flags=re.U)
    slug = re.sub(r"[\s_-]+", "-", text).strip("-") or "essay"
    if len(slug) > SLUG_CHARS:  # cut at a word boundary where there is one
        cut = slug[:SLUG_CHARS]
        slug = cut.rsplit("-", 1)[0] if "-" in cut[SLUG_CHARS // 2:] else cut
    return slug


def make_epigraph(data: dict) -> Epigraph:
    source = to_inline_html(data["source"]) if data.get("source") else ""
    return Epigraph(text_html=to_html(data["text"]).strip(),
                    attribution_html=structure.written_attribution(data.get("author") or "", source),
                    lang=data.get("lang"))


def make_contributor(data: dict, role: str = "aut") -> Contributor:
    return Contributor(name=data["name"], bio_html=to_inline_html(data["bio"]) if data.get("bio") else "", role=role)


def read_text(path: Path, problems: Problems, shown: Path | None = None) -> str | None:
    try:
        if not guards.check_size(shown or path, path.stat().st_size, problems):
            return None
        raw = path.read_bytes()
    except OSError as exc:
        problems.add(shown or path, f"cannot be read: {exc.strerror or exc}", None,
                     "check that the file exists and that you may read it")
        return None
    try:
        return raw.decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        problems.add(shown or path, "is not valid UTF-8", raw[: exc.start].count(b"\n") + 1,
                     "save the file as UTF-8 (most editors: File › Save with encoding)")
        return None


def load_essay(path: Path, root: Path, default_lang: str, kind: str, problems: Problems,
               slug: str | None = None, bibliography: Bibliography | None = None,
               index_terms: list[AutoTerm] | None = None) -> Essay | None:
    """Read, validate and structure one essay; problems are collected, never raised.

    `slug`: its name in the book (load_book makes them unique); by default made from the file name.
    `bibliography`: the book's, when it has one; the essay's citations are resolved from it (citations.py).
    `index_terms`: what the book's index finds in every essay (index_marks.py), unless its front matter says
    `index_terms: false`.
    """
    rel = path.relative_to(root) if path.is_relative_to(root) else path
    text = read_text(path, problems, rel)
    if text is None:
        return None
    src = split_front_matter(rel, text, problems)
    if src is None:
        return None
    before = len(problems.errors)
    ctx = Context(rel, root, src.lines, problems)
    meta = ESSAY_SCHEMA.check(src.data, (), ctx)
    check_strings(src.data, (), ctx)
    if meta is not _MISSING and meta.get("number") is not None and meta.get("label") is not None:
        ctx.error(("label",), "give either number or label, not both",
                  'number: IV is printed as the book\'s chapter_label; label: "Chapter IV" as written')
    if meta is not _MISSING and kind == "essay" and (meta.get("kind") or meta.get("heading") is False):
        key = "kind" if meta.get("kind") else "heading"
        ctx.error((key,), "a page without a heading belongs to the front or back matter, not among the essays",
                  "list this file in [contents] front (or back) in book.toml")
    if meta is _MISSING or len(problems.errors) > before:
        return None
    if not src.body.strip():
        problems.add(rel, "the essay has no text after its front matter", src.body_first_line,
                     "write the essay below the closing ---")
        return None

    slug = slug or xml_name(path.stem)
    lang = meta["lang"] or default_lang
    authors = [make_contributor(a) for a in ([meta["author"]] if meta.get("author") else []) + meta["authors"]]

    body_lines = src.body.split("\n")
    image_lines = lines_of_images(body_lines, src.body_first_line)

    def resolve(href: str, line: int | None) -> Path | None:
        if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I):
            problems.add(rel, f"image {href!r} is a URL; images are never downloaded during a build", line,
                         "save the image into the book's images/ folder and link to it by path")
            return None
        target = (path.parent / href).resolve()
        if not target.is_relative_to(root.resolve()):
            problems.add(rel, f"image {href!r} is outside the book folder", line,
                         "copy the image into the book's images/ folder")
            return None
        if not target.is_file():
            problems.add(rel, f"image {href!r} not found", line, f"add the file {target} or fix the path")
            return None
        wrong = image_problem(target)
        if wrong:
            problems.add(rel, f"image {href!r} {wrong[0]}", line, wrong[1])
            return None
        return target

    if not guards.check_body(rel, src.body, src.body_first_line, problems):
        return None
    cited = (cite(src.body, bibliography, rel, src.body_first_line, problems, slug=slug) if bibliography
             else Cited(src.body))
    marked = take_index_marks(cited.body, rel, src.body_first_line, problems,
                              index_terms if meta["index_terms"] else None)
    try:
        tree, removed = to_tree_checked(marked.body, lang)
    except RecursionError:
        problems.add(rel, "the Markdown is nested too deeply to read", src.body_first_line,
                     "flatten deeply nested lists or quotes")
        return None
    for item in removed:
        problems.add(rel, f"raw HTML removed: {item}", line_of(item.needle, body_lines, src.body_first_line),
                     "write the passage in Markdown, or delete the HTML")
    report_duplicate_ids(rel, tree, body_lines, src.body_first_line, problems)
    mark_link_lines(tree, body_lines, src.body_first_line)
    epigraphs = [make_epigraph(e) for e in meta["epigraphs"]] + structure.take_head_epigraphs(tree, lang)
    figures = structure.take_figures(tree, slug, resolve, image_lines)
    alt_hint = ("describe what it shows: ![A crowd outside the depot gate](…), or, if it only decorates, "
                "mark it: ![](…){: .decorative}")
    for n, figure in enumerate(figures, 1):
        figure.dpi = own_dpi(figure.src)
        if not figure.alt and not figure.decorative:
            image = figure.src.name if figure.src else "the image"
            problems.add(rel, f"image {n} of “{meta['title']}” ({image}) has no alt text", figure.line, alt_hint)
    for img in tree.iter("img"):  # images inside a paragraph's text, not figures
        if not (img.get("alt") or "").strip() and not structure.is_decorative(img):
            problems.add(rel, f"an image in the text of “{meta['title']}” ({img.get('src')}) has no alt text",
                         None, alt_hint)
    notes = structure.take_notes(tree, slug)
    for note in notes:  # Markdown lets a note call a note; no edition can set a note inside a note
        for label in re.findall(r'href="#fn-([^"]+)"', note.html):
            definition = next((n for n, text in enumerate(body_lines, src.body_first_line)
                               if re.match(rf"\[\^[^\]]+\]:.*\[\^{re.escape(label)}\]", text)), None)
            problems.add(rel, f"note {note.number} calls a note ([^{label}]); a note cannot hold another note",
                         definition, "write what the inner note says into the note itself, in parentheses")
            break
    for img in list(tree.iter("img")):  # an image inside a paragraph: not a figure, but still a file to check
        href = img.get("src", "")
        if resolve(href, line_of(href, body_lines, src.body_first_line) if href else None) is None:
            img.drop_tree()
    structure.mark_attributed_quotes(tree)
    structure.mark_lead_ins(tree)
    original = None
    if meta.get("original"):
        o = meta["original"]
        original = OriginalPublication(name=o.get("name") or "", date=o.get("date"), url=o.get("url") or "")
    return Essay(
        slug=slug, path=path, title=meta["title"], title_html=to_inline_html(meta["title"], lang),
        subtitle=meta["subtitle"], running_title=meta["running_title"], authors=authors,
        standfirst_html=to_inline_html(meta["standfirst"], lang) if meta["standfirst"] else "",
        date=meta["date"], original=original, lang=lang, epigraphs=epigraphs,
        body=tree, figures=figures, notes=notes, kind=kind,
        form=meta["kind"], heading=meta["heading"] if meta["heading"] is not None else not meta["kind"],
        number=meta["number"] or "", label=meta["label"], signed=structure.is_signed(tree, [a.name for a in authors]),
        source=text, references=cited.references, cited=cited.keys, index_marks=marked.marks,
        resolved_source=text[: len(text) - len(src.body)] + marked.body if marked.body != src.body else "",
    )


def check_strings(data, path: tuple, ctx: Context) -> None:
    """Front-matter and book.toml strings become HTML too: the same size guards and HTML allow-list apply."""
    if isinstance(data, dict):
        for key, value in data.items():
            check_strings(value, path + (key,), ctx)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            check_strings(value, path + (i,), ctx)
    elif isinstance(data, str):
        hostile = Problems()
        if not guards.check_body(ctx.file, data, 1, hostile):
            for err in hostile.errors:
                ctx.error(path, err.message.replace(" starting here", " in this value"), err.hint)
        elif "<" in data or ":" in data:
            for item in to_html_checked(data)[1]:
                ctx.error(path, f"raw HTML removed: {item}", "write plain text or Markdown here")


def report_duplicate_ids(rel: Path, tree, lines: list[str], first_line: int, problems: Problems) -> None:
    """Two elements with the same id in one essay: links to it would go to the wrong one."""
    seen: set[str] = set()
    for el in tree.iter():
        ident = el.get("id") if isinstance(el.tag, str) else None
        if ident is None or ident.startswith(("fn-", "fnref-")):
            continue
        if ident in seen:
            problems.add(rel, f"the id {ident!r} is used twice in this essay", line_of("#" + ident, lines, first_line),
                         "give each {#id} a different name")
        seen.add(ident)
