"""What an edition is given and what it gives back (mdBook's renderer interface)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..model import Book
from ..theme import Theme


@dataclass
class RenderContext:
    book: Book
    theme: Theme
    out_dir: Path  # where the finished file goes
    work_dir: Path  # scratch space inside out_dir, removed after the build
    progress: Callable[[str], None] = lambda message: None
    rendered: dict[str, "Rendered"] = field(default_factory=dict)  # editions built or laid out so far
    jobs: int = 1  # processes the paged layout may use
    environment: str = ""  # fingerprint of what every chunk's layout reads besides its own HTML (styles, code…)
    cache_dir: Path | None = None  # chunks kept from the last build into the same folder (layout_pool.py)
    shared: dict = field(default_factory=dict)  # what one edition makes for others in the same build (the layout)

    @property
    def facts(self) -> dict[str, dict]:
        """Edition name → the facts it reported (the EPUB reads the print layout's page starts)."""
        return {name: r.facts for name, r in self.rendered.items()}

    @property
    def scratch_dir(self) -> Path:
        """Intermediate files (converted images, the cover's inked CSS): inside work_dir, never moved into out_dir."""
        return self.work_dir / ".scratch"


@dataclass
class Rendered:
    edition: str
    path: Path
    pages: int | None = None
    facts: dict = field(default_factory=dict)  # what checks need (e.g. page of each essay)
    kept: bool = False  # the file of the last build, left as it was: nothing this edition reads changed


class Edition:
    name = "edition"
    suffix = ""
    requires: tuple[str, ...] = ()  # editions built and written first in the same build (the cover needs print)
    needs_layout_of: tuple[str, ...] = ()  # editions whose layout facts this one reads (the EPUB reads print's)
    style_folders: tuple[str, ...] = ()  # folders of styles/ and styles/templates/ it reads besides common/

    def reusable(self, book: Book) -> bool:
        """Whether the last build's file may stand when nothing this edition reads has changed (reuse.py)."""
        return True

    def filename(self, book: Book) -> str:
        return f"{book.slug}{self.suffix}"

    def render(self, context: RenderContext) -> Rendered:  # pragma: no cover - interface
        raise NotImplementedError
