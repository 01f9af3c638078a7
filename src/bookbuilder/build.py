"""The pipeline: load → transform → render each edition → check → move the files into place.

Editions render into a scratch folder inside the output folder; only when every
edition and check has succeeded are the files renamed over the previous outputs, so
a failed or interrupted build leaves the last good outputs untouched.
"""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import transforms
from .checks import Finding
from .checks.pdf import check_print
from .checks.preflight import check_cover, check_press, preflight, spec_for
from .editions import EDITIONS, RenderContext, Rendered
from .errors import BuildError, SourceError
from .sources import load_book
from .theme import Theme

DEFAULT_EDITIONS = ("print", "screen", "cover", "epub")
CHECKS = {"print": (check_print, check_press), "cover": (check_cover,)}  # each check(rendered, book) -> findings


@dataclass
class BuildResult:
    outputs: list[Rendered]
    findings: list[Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return any(f.fatal for f in self.findings)


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def with_requirements(names: list[str]) -> list[str]:
    """The editions in build order, each preceded by those it needs (the cover reads print's page count)."""
    ordered: list[str] = []
    for name in names:
        for needed in EDITIONS[name].requires:
            if needed not in ordered:
                ordered.append(needed)
        if name not in ordered:
            ordered.append(name)
    return ordered


def default_out_dir(book_dir: Path) -> Path:
    return Path(book_dir) / "_build"


def build(book_dir: Path, out_dir: Path | None = None, editions: list[str] | None = None,
          progress: Callable[[str], None] = lambda m: None, write_html: bool = False) -> BuildResult:
    started = time.perf_counter()
    names = list(editions or DEFAULT_EDITIONS)
    unknown = [n for n in names if n not in EDITIONS]
    if unknown:
        raise BuildError([SourceError(Path(book_dir), f"unknown edition {unknown[0]!r}",
                                      hint="choose from " + ", ".join(EDITIONS))])
    names = with_requirements(names)
    progress("reading the sources")
    book = transforms.apply_all(load_book(Path(book_dir)))
    theme = Theme(book.root)
    out = Path(out_dir) if out_dir else default_out_dir(book.root)
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".incomplete-", dir=out))
    collector = _Collect()
    logging.getLogger("weasyprint").addHandler(collector)
    try:
        context = RenderContext(book=book, theme=theme, out_dir=out, work_dir=work, progress=progress)
        results: list[Rendered] = []
        findings: list[Finding] = []
        for name in names:
            edition = EDITIONS[name]()
            if write_html and hasattr(edition, "html"):
                (work / f"{book.slug}-{name}.html").write_text(edition.html(context), encoding="utf-8")
            rendered = edition.render(context)
            context.rendered[name] = rendered
            results.append(rendered)
            for check in CHECKS.get(name, ()):
                findings.extend(check(rendered, book))
        if any(f.fatal for f in findings):
            return BuildResult(results, findings, collector.messages, time.perf_counter() - started)
        for item in sorted(work.iterdir()):
            if not item.name.startswith("."):  # .scratch holds intermediates
                os.replace(item, out / item.name)
        for r in results:
            r.path = out / r.path.name
        return BuildResult(results, findings, collector.messages, time.perf_counter() - started)
    finally:
        logging.getLogger("weasyprint").removeHandler(collector)
        shutil.rmtree(work, ignore_errors=True)


def check_built(book_dir: Path, out_dir: Path | None = None) -> tuple[Path, list[Finding]]:
    """Preflight the print PDF a previous build left in the output folder, against book.toml.

    Without the layout, images are named by matching their pixel size against the book's figures.
    """
    from PIL import Image

    book = load_book(Path(book_dir))
    out = Path(out_dir) if out_dir else default_out_dir(book.root)
    pdf = out / EDITIONS["print"]().filename(book)
    if not pdf.is_file():
        raise BuildError([SourceError(pdf, "not found", hint="build the print edition first: bookbuilder build")])
    images = []
    for essay, figure in book.figures:
        if figure.src.suffix.lower() != ".svg":
            with Image.open(figure.src) as im:
                images.append({"page": None, "figure": figure.id, "essay": essay.slug, "pixels": im.size,
                               "source": str(figure.src.relative_to(book.root))})
    return pdf, preflight(pdf, spec_for(book), "print", {"images": images})
