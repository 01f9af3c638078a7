"""`bookbuilder import`: a contributor's file → essays/<slug>.md in the house format.

Each reader (text, docx, html) turns its file into a `Draft`: front-matter values, the
body in house Markdown, and what it recognised or could not settle. This module writes
the essay, copies the images, appends the essay to book.toml's contents (with tomlkit, so
the editor's comments and layout stay) and returns the report the CLI prints.

Figures whose image file is not at hand (plain text copied from the web names none)
are written as commented-out TODO blocks: the build ignores them, `bookbuilder check`
lists them, and the editor uncomments the block once the image is saved where it says.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import tomlkit
import yaml
from lxml import etree

from ..errors import BuildError, SourceError
from ..sources.essay import slugify
from .files import manuscript_problem

TODO_FIGURE = "TODO figure"


@dataclass
class Draft:
    title: str = ""
    subtitle: str = ""
    authors: list[str] = field(default_factory=list)
    date: dt.date | None = None
    standfirst: str = ""
    original: dict = field(default_factory=dict)  # name, date, url
    epigraphs: list[tuple[str, str]] = field(default_factory=list)  # (text, "Author, Source")
    body: str = ""
    figures: int = 0
    missing_images: list[str] = field(default_factory=list)
    notes: int = 0
    body_epigraphs: int = 0  # epigraphs already written as head quotations in the body (house Markdown)
    front_matter_yaml: str = ""  # kept as written when the file already had front matter
    recognised: list[str] = field(default_factory=list)
    attention: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    essay: Path
    images: list[Path]
    draft: Draft

    def report(self) -> list[str]:
        d = self.draft
        lines = [f"title: {d.title}" + (f" / subtitle: {d.subtitle}" if d.subtitle else ""),
                 "author: " + (", ".join(d.authors) or "none found"),
                 f"epigraphs: {len(d.epigraphs) + d.body_epigraphs}", f"figures: {d.figures}"
                 + (f" ({len(d.missing_images)} without an image file)" if d.missing_images else ""),
                 f"notes: {d.notes}"] + d.recognised
        return lines


def figure_markdown(alt: str, caption: str, credit: str, image: str | None, essay_slug: str, n: int,
                    draft: Draft, why_no_alt: str = "") -> str:
    """One house figure; without an image file, a commented-out TODO block the build skips."""
    draft.figures += 1
    caption_line = caption.strip() + (f" / {credit.strip()}" if credit.strip() else "")
    if not alt.strip():
        because = f" ({why_no_alt})" if why_no_alt else ""
        draft.attention.append(f"figure {n} has no alt text{because}: describe the image in the brackets")
        alt = "TODO: describe the image"
    if not credit.strip():
        draft.attention.append(f"figure {n} has no credit: end its caption with / Image: who made it")
    if image:
        return f"![{alt}]({image})\n{caption_line}"
    wanted = f"images/{essay_slug}-{n}.jpg"
    draft.missing_images.append(wanted)
    draft.attention.append(f"figure {n} has no image file: save it as {wanted}, then uncomment its TODO block")
    safe = f"![{alt}](../{wanted})\n{caption_line}".replace("--", "—")
    return f"<!-- {TODO_FIGURE} {n}: save the image as {wanted}, then delete this line and the last one\n{safe}\n-->"


def epigraph_markdown(text: str, attribution: str) -> str:
    quoted = "\n".join("> " + line if line else ">" for line in text.strip().split("\n"))
    return f"{quoted}\n> — {attribution.strip()}"


def yaml_str(value: str) -> str:
    return yaml.safe_dump(str(value), allow_unicode=True, width=10_000, default_style='"').strip()


def front_matter(d: Draft) -> str:
    if d.front_matter_yaml:
        return f"---\n{d.front_matter_yaml.strip()}\n---"
    lines = ["---", f"title: {yaml_str(d.title)}"]
    if d.subtitle:
        lines.append(f"subtitle: {yaml_str(d.subtitle)}")
    if d.authors:
        lines.append("authors:")
        lines += [f"  - name: {yaml_str(a)}" for a in d.authors]
    else:
        lines.append('# author: "Name"                      TODO: the source names no author')
    if d.standfirst:
        lines.append(f"standfirst: {yaml_str(d.standfirst)}")
    if d.date:
        lines.append(f"date: {d.date.isoformat()}")
    o = {k: v for k, v in d.original.items() if v}
    if o:
        lines.append("original:")
        for key in ("name", "date", "url"):
            if key in o:
                value = o[key].isoformat() if isinstance(o[key], dt.date) else yaml_str(o[key])
                lines.append(f"  {key}: {value}")
    lines.append("---")
    return "\n".join(lines)


def essay_text(d: Draft) -> str:
    parts = [front_matter(d)]
    parts += [epigraph_markdown(t, a) for t, a in d.epigraphs]
    parts.append(d.body.strip())
    return "\n\n".join(p for p in parts if p) + "\n"


def add_to_contents(book_dir: Path, rel: str) -> bool:
    """Append an essay to book.toml's contents (the last part's list, or contents.essays) unless it is
    listed already; False when it was."""
    file = book_dir / "book.toml"
    doc = tomlkit.parse(file.read_text(encoding="utf-8"))
    contents = doc.setdefault("contents", tomlkit.table())
    parts = contents.get("parts")
    lists = [contents.get(key) or [] for key in ("front", "essays", "back")] + [p.get("essays") or [] for p in parts or []]
    if any(rel == str(x) for listed in lists for x in listed):
        return False
    target = parts[-1].setdefault("essays", tomlkit.array()) if parts else contents.setdefault("essays", tomlkit.array())
    target.append(rel)
    if len(target.as_string()) > 80:
        target.multiline(True)
    file.write_text(tomlkit.dumps(doc), encoding="utf-8")
    return True


def read_draft(source: Path, images_dir: Path, slug_hint: str, accept_changes: bool = False) -> Draft:
    """The reader for the file's kind; a file that is not what its name says is bad input (exit 2)."""
    try:
        return pick_reader(source, images_dir, slug_hint, accept_changes)
    except UnicodeDecodeError as exc:
        raise BuildError([SourceError(source, f"is not valid UTF-8 ({exc.reason} at byte {exc.start})",
                                      hint="save the file as UTF-8 and import it again")]) from None
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
        suffix = source.suffix.lower()
        kind = "an OpenDocument .odt" if suffix == ".odt" else "a Word .docx"
        raise BuildError([SourceError(source, f"is not {kind} file ({exc})",
                                      hint=f"open it in Word or LibreOffice and save it as {suffix}")]) from None


def pick_reader(source: Path, images_dir: Path, slug_hint: str, accept_changes: bool = False) -> Draft:
    suffix = source.suffix.lower()
    if suffix == ".docx":
        from .docx import read_docx
        return read_docx(source, images_dir, slug_hint, accept_changes)
    if suffix == ".odt":
        from .odt import read_odt
        return read_odt(source, images_dir, slug_hint, accept_changes)
    if suffix in (".html", ".htm", ".xhtml"):
        from .html import read_html
        return read_html(source, images_dir, slug_hint)
    if suffix in (".md", ".txt", ".markdown", ""):
        from .text import read_text_essay
        return read_text_essay(source, images_dir, slug_hint)
    raise BuildError([SourceError(source, f"cannot import {suffix} files",
                                  hint="import a .docx or .odt, a saved web page (.html) or plain text (.txt, .md)")])


def tracked_changes_refused(source: Path, count: int) -> BuildError:
    """A manuscript with changes still tracked: which text is meant is the editor's call, not the importer's."""
    return BuildError([SourceError(source, f"has {count} tracked change{'s' if count != 1 else ''} not yet accepted "
                                   "or rejected; nothing was written",
                                   hint="accept or reject them in Word or LibreOffice (Review, Track Changes) and "
                                        "save, or import with --accept-changes to take the insertions and drop "
                                        "the deletions")])


def import_file(source: Path, book_dir: Path, force: bool = False, title: str | None = None,
                author: str | None = None, accept_changes: bool = False) -> ImportResult:
    source, book_dir = Path(source), Path(book_dir)
    problems = []
    if not source.is_file():
        problems.append(SourceError(source, "not found", hint="give the path of the file to import"))
    if not (book_dir / "book.toml").is_file():
        problems.append(SourceError(book_dir / "book.toml", "not found",
                                    hint="give --book the folder that holds book.toml (bookbuilder new makes one)"))
    if problems:
        raise BuildError(problems)
    too_large = manuscript_problem(source)
    if too_large:
        raise BuildError([SourceError(source, too_large, hint="import the essay's text alone, and its images apart")])
    images_dir = book_dir / "images"
    stage = Path(tempfile.mkdtemp(prefix=".import-", dir=book_dir))  # nothing lands in the book until all is read
    try:
        slug_hint = slugify(source.stem)
        draft = read_draft(source, stage, slug_hint, accept_changes)
        if (title or author) and draft.front_matter_yaml:
            draft.attention.append("--title and --author were not used: the file's own front matter is kept")
        elif title or author:
            draft.title, draft.authors = title or draft.title, [author] if author else draft.authors
            if author:  # the editor named the author: the reader's request for one is answered
                draft.attention = [a for a in draft.attention if not a.startswith("no author found")]
        if not draft.title:
            draft.title = source.stem.replace("-", " ").replace("_", " ").title()
            draft.attention.append(f"no title found: {draft.title!r} was made from the file name")
        slug = slugify(draft.title.split(":")[0]) if draft.title else slug_hint
        essay = book_dir / "essays" / f"{slug}.md"
        if slug != slug_hint:
            name_images_after(draft, stage, set(stage.iterdir()), slug_hint, slug)
        images = sorted(stage.iterdir())
        taken = [images_dir / i.name for i in images if (images_dir / i.name).exists()]
        if not force and (essay.exists() or taken):
            first = essay if essay.exists() else taken[0]
            raise BuildError([SourceError(first, "already exists; nothing was written",
                                          hint="import with --force to replace it, or rename the existing file")])
        images_dir.mkdir(exist_ok=True)
        essay.parent.mkdir(exist_ok=True)
        for image in images:
            os.replace(image, images_dir / image.name)
        essay.write_text(essay_text(draft), encoding="utf-8")
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    if not add_to_contents(book_dir, f"essays/{essay.name}"):
        draft.recognised.append(f"essays/{essay.name} was already in the contents; book.toml is unchanged")
    return ImportResult(essay, [images_dir / i.name for i in images], draft)


def name_images_after(draft: Draft, images_dir: Path, new: set[Path], old_slug: str, slug: str) -> None:
    """Images were saved under the file's name while reading; name them after the essay instead."""
    for image in new:
        if image.name.startswith(old_slug + "-"):
            image.replace(images_dir / (slug + image.name[len(old_slug):]))
    old, fresh = f"images/{old_slug}-", f"images/{slug}-"
    draft.body = draft.body.replace(old, fresh)
    draft.attention = [a.replace(old, fresh) for a in draft.attention]
    draft.missing_images = [m.replace(old, fresh) for m in draft.missing_images]
