"""Checks on what the editions produced, judged from the files themselves (pikepdf, WeasyPrint's layout)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Finding:
    edition: str
    message: str
    fatal: bool = True
    did_not_run: bool = False  # a validator that could not run: `check` reports it, `release` refuses

    def __str__(self) -> str:
        return f"{self.edition}: {self.message}"
