"""What `bookbuilder check` runs, in one list: source checks on the folder, edition checks on the files.

A checks module registers its functions with the decorators below and is named in
`MODULES`; the command itself never changes when a validator joins.
"""
from __future__ import annotations

import importlib
from pathlib import Path
from typing import Callable

from . import Finding

SourceCheck = Callable[[Path], list[Finding]]  # the book folder → findings
EditionCheck = Callable[[Path], list[Finding]]  # a built file → findings

SOURCE_CHECKS: list[SourceCheck] = []
EDITION_CHECKS: dict[str, list[EditionCheck]] = {}
MODULES = ("bookbuilder.checks.source", "bookbuilder.checks.epub_package", "bookbuilder.checks.epub")


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
