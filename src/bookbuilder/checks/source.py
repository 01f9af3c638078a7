"""Lint of the source folder: what the build accepts but a finished book should not have.

Missing alt text, captions without a credit or with an unknown credit label (a figure
without any caption, such as an ornament, is fine), figures still awaiting their image
(imported TODO blocks), links and cross-references to files that are not there or not in
the contents, notes called but never written (or written but never called), images no
essay uses, and essays the contents leave out. Mistakes the build itself refuses (missing files, unknown keys)
come from the loader, so they are reported once, by it.

The lint reads what the loader reads, with the loader's own parsers: book.toml through
config.load_settings, each essay through its front-matter split, guards and Markdown
converter, its figures through structure.take_figures and their credits through the one
caption rule. It keeps no pattern of the Markdown syntax of its own, so it cannot
disagree with the build about what an essay says.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from ..config import load_settings
from ..errors import BuildError, Problems
from ..sources import guards
from ..sources.conventions import CREDIT_LABELS, FIGURE_SIZES, split_caption
from ..sources.essay import lines_of_images, read_text
from ..sources.frontmatter import split_front_matter
from ..sources.links import is_local
from ..sources.markdown import to_raw_html
from ..sources.sanitize import line_of
from ..sources.structure import figure_images, parse_fragment, take_figures
from . import Finding
from .registry import source_check

LABELLED = re.compile(r"\s/\s*(\w+)\s*:\s*\S")  # `… / Word: Name`: meant as a credit, whatever the word
TODO_FIGURE = re.compile(r"^\s*TODO figure\b(?P<rest>[^\n]*)")  # the importer's block for a figure without its file
NOTE_CALL = re.compile(r"\[\^(?P<label>[^\]]+)\]")  # left as text by the converter when no note is written
NOTE_PREFIX = ("#fn-", "fn-")  # Python-Markdown's ids of a note (sources/markdown.py sets the separator)
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".svg", ".webp"}


@dataclass
class SourceFinding(Finding):
    file: str = ""
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}" + (f":{self.line}" if self.line else "") + f": {self.message}"


def contents_of(book_dir: Path) -> tuple[list[Path], Path | None]:
    """Every source book.toml lists, and the cover, as the loader reads them (its errors are the loader's to say)."""
    try:
        values = load_settings(book_dir, Problems()).values
    except BuildError:  # book.toml cannot be read at all: the loader says why
        return [], None
    contents = values.get("contents") or {}
    paths = [*contents.get("front", []), *contents.get("essays", []), *contents.get("back", [])]
    for part in contents.get("parts", []) or []:
        paths += part.get("essays", []) or []
    cover = (values.get("cover") or {}).get("image")
    return [p for p in paths if isinstance(p, Path)], cover if isinstance(cover, Path) else None


def lint_essay(path: Path, book_dir: Path, listed: set[Path], used_images: set[Path]) -> list[SourceFinding]:
    rel = str(path.relative_to(book_dir))
    found: list[SourceFinding] = []

    def problem(line: int | None, message: str, fatal: bool = True) -> None:
        found.append(SourceFinding("source", message, fatal, rel, line))

    quiet = Problems()  # what the loader refuses, it reports itself
    text = read_text(path, quiet, Path(rel))
    src = split_front_matter(Path(rel), text, quiet) if text is not None else None
    if src is None or not guards.check_body(Path(rel), src.body, src.body_first_line, quiet):
        return found
    lines, first = src.body.split("\n"), src.body_first_line
    tree = parse_fragment(to_raw_html(src.body))

    for comment in [c for c in tree.iter(etree.Comment)]:
        todo = TODO_FIGURE.match(comment.text or "")
        if todo:
            problem(line_of(todo.group(0).strip(), lines, first),
                    "a figure awaits its image: " + todo.group("rest").split(":", 1)[-1].strip(" ->"))
            block = parse_fragment(to_raw_html((comment.text or "").split("\n", 1)[-1]))
            used_images.update((path.parent / img.get("src", "")).resolve() for img in block.iter("img"))

    classes = [(img.get("class") or "").split() for img in figure_images(tree)]

    def resolve(src_attr: str, line: int | None) -> Path:
        return (path.parent / src_attr).resolve()  # as the loader resolves it

    used_images.update(resolve(img.get("src", ""), None) for img in tree.iter("img"))  # figures and inline ones
    for figure, asked in zip(take_figures(tree, "lint", resolve, lines_of_images(lines, first)), classes):
        n = figure.line
        for unknown in [c for c in asked if c not in FIGURE_SIZES and c != "decorative"]:
            problem(n, f"the image's class .{unknown} means nothing to the build: a figure's size is one of "
                    + ", ".join("." + size for size in FIGURE_SIZES), fatal=False)
        if len([c for c in asked if c in FIGURE_SIZES]) > 1:
            problem(n, "the image asks for more than one size: keep one of "
                    + ", ".join("." + c for c in asked if c in FIGURE_SIZES), fatal=False)
        if figure.alt.startswith("TODO"):  # an empty one is the loader's error already
            problem(n, "figure alt text is still a TODO: describe the image inside the [brackets]")
        caption = figure.caption_html
        if caption.strip() and not split_caption(caption)[1] and not figure.decorative:
            caption_line = n + 1 if n else None
            unknown = LABELLED.search(caption)
            if unknown:
                problem(caption_line, f"“{unknown.group(1)}:” is not a credit label, so the credit would print as "
                        "part of the caption: use one of " + ", ".join(CREDIT_LABELS)
                        + " (Credit: prints the name alone)", fatal=False)
            else:
                problem(caption_line, "caption without a credit: end it with / Image: who made it (or / Photo: …, "
                        "or / Credit: Name to print the name alone)", fatal=False)

    for a in tree.iter("a"):
        target = a.get("href") or ""
        if not is_local(target) or target.startswith("#"):
            continue  # web links are not fetched; in-page anchors (and notes) are made by the build
        line = line_of(target, lines, first)
        file = (path.parent / unquote(target.split("#", 1)[0])).resolve()
        if not file.exists():
            problem(line, f"broken link: {target} does not exist")
        elif file.suffix == ".md" and file not in listed:
            problem(line, f"cross-reference to {target}, which is not in book.toml's contents")

    called = {a.get("href", "").removeprefix(NOTE_PREFIX[0]) for a in tree.iter("a")
              if "footnote-ref" in (a.get("class") or "").split()}
    written = [li.get("id", "").removeprefix(NOTE_PREFIX[1]) for div in tree.iter("div")
               if "footnote" in (div.get("class") or "").split() for li in div.iterfind("ol/li")]
    unwritten = sorted({m.group("label") for el in tree.iter() if isinstance(el.tag, str)
                        and el.tag not in ("code", "pre") for piece in (el.text, el.tail) if piece
                        for m in NOTE_CALL.finditer(piece)})
    for label in unwritten:
        problem(line_of(f"[^{label}]", lines, first), f"note [^{label}] is called but never written: add a line "
                f"[^{label}]: …")
    for label in sorted(set(written) - called):
        problem(line_of(f"[^{label}]:", lines, first), f"note [^{label}] is written but never called", fatal=False)
    return found


@source_check
def lint_sources(book_dir: Path) -> list[Finding]:
    book_dir = Path(book_dir).resolve()
    paths, cover = contents_of(book_dir)
    listed = {p.resolve() for p in paths}
    used: set[Path] = {cover.resolve()} if cover else set()
    findings: list[Finding] = []
    for essay in sorted(listed):
        if essay.is_file():
            findings += lint_essay(essay, book_dir, listed, used)
    for folder in ("essays", "front", "back"):
        for essay in sorted((book_dir / folder).glob("*.md")):
            if essay.resolve() not in listed:
                findings.append(SourceFinding("source", "is not in book.toml's contents: list it, or move it out of "
                                              "the book folder", False, str(essay.relative_to(book_dir))))
    for image in sorted((book_dir / "images").glob("*")):
        if image.suffix.lower() in IMAGE_SUFFIXES and image.resolve() not in used:
            findings.append(SourceFinding("source", "no essay uses this image", False,
                                          str(image.relative_to(book_dir))))
    return findings
