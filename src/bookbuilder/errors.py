"""Errors about the editor's sources.

Every problem with the input is a `SourceError` that names the file, the line when
there is one, and what to do about it. Loaders collect them in a `Problems` list so a
build reports every mistake at once instead of one per run.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class SourceError:
    file: Path
    message: str
    line: int | None = None
    hint: str = ""

    def __str__(self) -> str:
        where = str(self.file) + (f":{self.line}" if self.line else "")
        text = f"{where}: {self.message}"
        return text + (f"\n    → {self.hint}" if self.hint else "")


class BuildError(Exception):
    """Raised with every `SourceError` found; the CLI prints them and exits 2."""

    def __init__(self, errors: list[SourceError]):
        # Grouped by file (in the order files were read), then by line: the order an editor fixes them.
        first_seen: dict[Path, int] = {}
        for e in errors:
            first_seen.setdefault(e.file, len(first_seen))
        self.errors = sorted(errors, key=lambda e: (first_seen[e.file], e.line or 0))
        super().__init__("\n".join(str(e) for e in self.errors))

    def __reduce__(self):
        """Pickled with its errors, so a worker process can hand it back (layout_pool.py)."""
        return (BuildError, (self.errors,))


@dataclass
class Problems:
    """Collects errors while a loader keeps going; `raise_if_any` ends the stage."""

    errors: list[SourceError] = field(default_factory=list)

    def add(self, file: Path, message: str, line: int | None = None, hint: str = "") -> None:
        self.errors.append(SourceError(Path(file), message, line, hint))

    def extend(self, other: "Problems") -> None:
        self.errors.extend(other.errors)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise BuildError(self.errors)
