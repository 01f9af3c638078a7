"""Checks on what the editions produced, judged from the files themselves (pikepdf, WeasyPrint's layout)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Finding:
    edition: str
    message: str
    fatal: bool = True

    def __str__(self) -> str:
        return f"{self.edition}: {self.message}"
