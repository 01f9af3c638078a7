"""Lint of the source folder: what the build accepts but a finished book should not have.

Missing alt text, captions without a credit or with an unknown credit label (a figure
without any caption, such as an ornament, is fine), figures still awaiting their image
(imported TODO blocks), links and cross-references to files that are not there or not in
the contents, notes called but never written (or written but never called), images no
essay uses, and essays the contents leave out. Mistakes the build itself refuses (missing files, unknown keys)
come from the loader, so they are reported once, by it.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from ..sources.conventions import CREDIT_LABELS, FIGURE_SIZES
from ..transforms.credits import split_caption
from . import Finding
from .registry import source_check

IMAGE_LINE = re.compile(r"^!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)\)(?:\{:(?P<attrs>[^}]*)\})?")
LINK = re.compile(r"(?<!!)\[[^\]^]+\]\((?:<(?P<angled>[^>]+)>|(?P<target>[^)\s]+))")
CODE_SPAN = re.compile(r"`[^`]*`")
NOTE_CALL = re.compile(r"\[\^(?P<label>[^\]]+)\](?!:)")
NOTE_BODY = re.compile(r"^\[\^(?P<label>[^\]]+)\]:", re.M)
LABELLED = re.compile(r"\s/\s*(\w+)\s*:\s*\S")  # `… / Word: Name`: meant as a credit, whatever the word
DECORATIVE = re.compile(r"\{:[^}]*\.decorative\b")
TODO_FIGURE = re.compile(r"^<!--\s*TODO figure\b(?P<rest>.*)$")
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".svg", ".webp"}


@dataclass
class SourceFinding(Finding):
    file: str = ""
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}" + (f":{self.line}" if self.line else "") + f": {self.message}"


def contents_of(book_dir: Path) -> tuple[list[str], str | None]:
    """Every source path book.toml lists, and the cover (read leniently: the loader judges the file)."""
    try:
        data = tomllib.loads((book_dir / "book.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return [], None
    contents = data.get("contents") or {}
    paths = [*contents.get("front", []), *contents.get("essays", []), *contents.get("back", [])]
    for part in contents.get("parts", []) or []:
        paths += part.get("essays", []) or []
    cover = (data.get("cover") or {}).get("image")
    return [p for p in paths if isinstance(p, str)], cover if isinstance(cover, str) else None


def lint_essay(path: Path, book_dir: Path, listed: set[Path], used_images: set[Path]) -> list[SourceFinding]:
    rel = str(path.relative_to(book_dir))
    found: list[SourceFinding] = []

    def problem(line: int | None, message: str, fatal: bool = True) -> None:
        found.append(SourceFinding("source", message, fatal, rel, line))

    lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
    in_todo = False
    for n, line in enumerate(lines, 1):
        todo = TODO_FIGURE.match(line)
        if todo:
            problem(n, "a figure awaits its image: " + todo.group("rest").split(":", 1)[-1].strip(" ->"))
            in_todo = True
        if in_todo:
            m = re.search(r"\]\(([^)\s]+)\)", line)
            if m:
                used_images.add((path.parent / m.group(1)).resolve())
            in_todo = "-->" not in line
            continue
        image = IMAGE_LINE.match(line)
        if image:
            used_images.add((path.parent / image.group("src")).resolve())
            classes = re.findall(r"\.([\w-]+)", image.group("attrs") or "")
            for unknown in [c for c in classes if c not in FIGURE_SIZES and c != "decorative"]:
                problem(n, f"the image's class .{unknown} means nothing to the build: a figure's size is one of "
                        + ", ".join("." + size for size in FIGURE_SIZES), fatal=False)
            if len([c for c in classes if c in FIGURE_SIZES]) > 1:
                problem(n, "the image asks for more than one size: keep one of "
                        + ", ".join("." + c for c in classes if c in FIGURE_SIZES), fatal=False)
            if image.group("alt").startswith("TODO"):  # an empty one is the loader's error already
                problem(n, "figure alt text is still a TODO: describe the image inside the [brackets]")
            caption = lines[n] if n < len(lines) else ""
            if caption.strip() and not split_caption(caption)[1] and not DECORATIVE.search(line):
                unknown = LABELLED.search(caption)
                if unknown:
                    problem(n + 1, f"“{unknown.group(1)}:” is not a credit label, so the credit would print as "
                            "part of the caption: use one of " + ", ".join(CREDIT_LABELS)
                            + " (Credit: prints the name alone)", fatal=False)
                else:
                    problem(n + 1, "caption without a credit: end it with / Image: who made it (or / Photo: …, "
                            "or / Credit: Name to print the name alone)", fatal=False)
        for link in LINK.finditer(CODE_SPAN.sub("", line)):  # `[x](y.md)` in backticks shows syntax, links nothing
            target = link.group("angled") or link.group("target")
            if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith("#"):
                continue  # web links are not fetched; in-page anchors are made by the build
            file = (path.parent / unquote(target.split("#", 1)[0])).resolve()
            if not file.exists():
                problem(n, f"broken link: {target} does not exist")
            elif file.suffix == ".md" and file not in listed:
                problem(n, f"cross-reference to {target}, which is not in book.toml's contents")
    text = "\n".join(lines)
    calls = {m.group("label") for line in lines if not NOTE_BODY.match(line) for m in NOTE_CALL.finditer(line)}
    bodies = {m.group("label"): text[: m.start()].count("\n") + 1 for m in NOTE_BODY.finditer(text)}
    for label in sorted(calls - set(bodies)):
        line = next(n for n, x in enumerate(lines, 1) if f"[^{label}]" in x)
        problem(line, f"note [^{label}] is called but never written: add a line [^{label}]: …")
    for label in sorted(set(bodies) - calls):
        problem(bodies[label], f"note [^{label}] is written but never called", fatal=False)
    return found


@source_check
def lint_sources(book_dir: Path) -> list[Finding]:
    book_dir = Path(book_dir).resolve()
    paths, cover = contents_of(book_dir)
    listed = {(book_dir / p).resolve() for p in paths}
    used: set[Path] = {(book_dir / cover).resolve()} if cover else set()
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
