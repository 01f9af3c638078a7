"""`bookbuilder check`: lint the source, build the editions somewhere scratch, run the validators.

One report for the editor: what the loader refuses, what the lint finds, what the build's
own checks and the registered validators say about the files. Nothing in the book folder
is written; the editions are built into a temporary folder and thrown away.
"""
from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import transforms
from .build import BuildResult, build
from .checks import Finding
from .checks.registry import EDITION_CHECKS, SOURCE_CHECKS, load_checks
from .checks.source import SourceFinding
from .errors import BuildError, SourceError
from .sources import load_book


@dataclass
class CheckReport:
    findings: list[Finding] = field(default_factory=list)
    built: list[str] = field(default_factory=list)
    result: BuildResult | None = None  # the scratch build, when `check_book` was given a folder to keep it in

    @property
    def failed(self) -> bool:
        return any(f.fatal for f in self.findings)


# Links to missing files or to essays left out of the contents: the lint says so too (checks/source.py, which
# reads the links with the loader's converter), so the loader's own message is dropped where the lint spoke.
LINTED_LINK = re.compile(r"links to .*, which (?:does not exist|is not in book.toml's contents)")


def as_finding(error: SourceError, book_dir: Path) -> SourceFinding:
    file = error.file.relative_to(book_dir) if error.file.is_absolute() and error.file.is_relative_to(book_dir) \
        else error.file
    message = error.message + (f" → {error.hint}" if error.hint else "")
    return SourceFinding("source", message, True, str(file), error.line)


def check_epub_file(epub: Path, progress: Callable[[str], None] = lambda m: None) -> CheckReport:
    """An EPUB made elsewhere (or edited by hand): only the EPUB validators apply."""
    load_checks()
    report = CheckReport(built=["epub"])
    for edition_check in EDITION_CHECKS.get("epub", []):
        progress(f"epub: {edition_check.__name__}")
        report.findings += edition_check(epub)
    return report


def check_book(book_dir: Path, build_editions: bool = True,
               progress: Callable[[str], None] = lambda m: None, keep_in: Path | None = None) -> CheckReport:
    """A book folder: lint, scratch build, validators. A path to an .epub: its validators only.

    `keep_in`: build into this folder and keep the editions there (a release ships what was checked).
    """
    if Path(book_dir).is_file() and Path(book_dir).suffix.lower() == ".epub":
        return check_epub_file(Path(book_dir), progress)
    book_dir = Path(book_dir).resolve()
    if not (book_dir / "book.toml").is_file():
        raise BuildError([SourceError(book_dir / "book.toml", "not found",
                                      hint="give the folder that holds book.toml (bookbuilder new makes one)")])
    load_checks()
    report = CheckReport()
    progress("linting the sources")
    for source_check in SOURCE_CHECKS:
        report.findings += source_check(book_dir)
    try:
        transforms.apply_all(load_book(book_dir))  # the transforms refuse links that go nowhere
    except BuildError as exc:
        linted = {(f.file, f.line) for f in report.findings if isinstance(f, SourceFinding)}
        for finding in (as_finding(e, book_dir) for e in exc.errors):
            if not (LINTED_LINK.match(finding.message) and (finding.file, finding.line) in linted):
                report.findings.append(finding)  # said once: by the lint where it saw it, else by the loader
        return report
    if not build_editions:
        return report
    if keep_in is not None:
        validate_build(build(book_dir, Path(keep_in), progress=progress), report, progress)
        return report
    with tempfile.TemporaryDirectory(prefix="bookbuilder-check-") as out:
        validate_build(build(book_dir, Path(out), progress=progress), report, progress)
    return report


def validate_build(result: BuildResult, report: CheckReport, progress: Callable[[str], None]) -> None:
    """The build's own findings and warnings, then every registered validator on each written file."""
    report.result = result
    report.findings += result.findings
    report.findings += [Finding("build", w, fatal=False) for w in dict.fromkeys(result.warnings)]
    for rendered in result.outputs:
        report.built.append(rendered.edition)
        if not rendered.path.is_file():  # the build's own checks failed: their findings say why
            continue
        for edition_check in EDITION_CHECKS.get(rendered.edition, []):
            progress(f"{rendered.edition}: {edition_check.__name__}")
            report.findings += edition_check(rendered.path)
