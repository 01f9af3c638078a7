"""Every check, in one place: what the build runs on each edition it makes, and what `bookbuilder check`
adds (source checks on the folder, validators on the files).

The build's own checks are the table BUILD_CHECKS (in the order they run; a print edition
is judged before its words are counted). A validator module registers its functions with
the decorators below and is named in `MODULES`; the command itself never changes when a
validator joins.
"""
from __future__ import annotations

import importlib
from pathlib import Path
from typing import Callable

from . import Finding

BuildCheck = Callable[..., list[Finding]]  # (rendered, book) → findings
SourceCheck = Callable[[Path], list[Finding]]  # the book folder → findings
EditionCheck = Callable[[Path], list[Finding]]  # a built file → findings

BUILD_CHECKS = {  # "module:function", imported when a build first asks (so `--help` loads none of them)
    "print": ("pdf:check_print", "preflight:check_press", "conservation:check_print_words"),
    "cover": ("preflight:check_cover",),
    "epub": ("epub_package:check_epub_package", "epub_content:check_epub_content", "conservation:check_epub_words"),
    "web": ("web:check_web",),
}
# What the main process may prepare for an edition's checks while the layout workers run
# ("module:function", (book) → anything; build.py hands them to RenderContext.meanwhile)
BUILD_PREPARATIONS = {"print": "conservation:read_sources", "epub": "conservation:read_sources"}
# What an edition's checks judged, in units the next build may skip when they come out the same
# ("module:function", (rendered, book) → the units): a print chunk's layout, an EPUB essay's document
CHECKED_UNITS = {"print": "pages:chunk_units", "epub": "conservation:epub_units"}
SOURCE_CHECKS: list[SourceCheck] = []
EDITION_CHECKS: dict[str, list[EditionCheck]] = {}
MODULES = ("bookbuilder.checks.source", "bookbuilder.checks.epub_package", "bookbuilder.checks.epub")


def build_checks(edition: str) -> list[BuildCheck]:
    """The checks the build runs on an edition it made, in order."""
    checks = []
    for name in BUILD_CHECKS.get(edition, ()):
        module, function = name.split(":")
        checks.append(getattr(importlib.import_module(f"{__package__}.{module}"), function))
    return checks


def build_preparations(editions: list[str]) -> list[Callable]:
    """The preparations of the checks of these editions, each once."""
    names = dict.fromkeys(BUILD_PREPARATIONS[e] for e in editions if e in BUILD_PREPARATIONS)
    return [getattr(importlib.import_module(f"{__package__}.{module}"), function)
            for module, function in (name.split(":") for name in names)]


def checked_units_for(edition: str) -> Callable | None:
    """The function naming what this edition's checks judged, or None when the next build checks it all."""
    name = CHECKED_UNITS.get(edition)
    if name is None:
        return None
    module, function = name.split(":")
    return getattr(importlib.import_module(f"{__package__}.{module}"), function)


def source_check(fn: SourceCheck) -> SourceCheck:
    SOURCE_CHECKS.append(fn)
    return fn


def edition_check(edition: str) -> Callable[[EditionCheck], EditionCheck]:
    def register(fn: EditionCheck) -> EditionCheck:
        EDITION_CHECKS.setdefault(edition, []).append(fn)
        return fn
    return register


def load_checks() -> None:
    for name in MODULES:
        importlib.import_module(name)
