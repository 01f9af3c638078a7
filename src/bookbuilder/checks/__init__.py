"""Checks on what the editions produced, judged from the files themselves (pikepdf, WeasyPrint's layout)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Finding:
    edition: str
    message: str
    fatal: bool = True
    # A validator that could not run: `check` reports it, `release` refuses. Keyword-only, so that
    # subclasses (SourceFinding) keep their own positional fields after `fatal`.
    did_not_run: bool = field(default=False, kw_only=True)

    def __str__(self) -> str:
        return f"{self.edition}: {self.message}"
