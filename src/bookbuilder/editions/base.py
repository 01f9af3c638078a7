"""What an edition is given and what it gives back (mdBook's renderer interface).

Editions come in two kinds, as mdBook's renderers do, and the build treats them by kind:

- a `PagedEdition` (print, screen) is the book laid out in pages by WeasyPrint. The first one a
  build renders makes the layout (`layout()`), which every paged edition of the build shares
  (`Shared.layout`); its HTML can be written for debugging (`standalone_html()`, `build --html`).
- a `FlowingEdition` (the EPUB) has no pages of its own; it may read a paged edition's layout
  facts (`needs_layout_of`: the EPUB's page list follows the print edition's pages).

The cover is neither: it is drawn from the print edition's page count (`requires`).
Each edition returns a `Rendered` with its file and its facts, typed per kind (facts.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ..model import Book
from ..theme import FontFace, Theme
from .facts import EditionFacts, PagedFacts

if TYPE_CHECKING:
    from .layout_pool import BookLayout


@dataclass
class Shared:
    """What one edition makes for the others in the same build."""
    layout: "BookLayout | None" = None  # the paged layout (the print and screen PDFs are written from it)
    faces: list[FontFace] | None = None  # the faces the build's PDFs register (fallbacks.registered_faces)


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
    shared: Shared = field(default_factory=Shared)
    # what the main process may do once a layout worker is left idle (the last chunks): the checks' preparations
    meanwhile: list[Callable[[], object]] = field(default_factory=list)

    def layout_facts(self, edition: str) -> PagedFacts | None:
        """The layout facts a paged edition reported (the EPUB reads the print layout's page starts)."""
        rendered = self.rendered.get(edition)
        return rendered.facts if rendered is not None and isinstance(rendered.facts, PagedFacts) else None

    @property
    def scratch_dir(self) -> Path:
        """Intermediate files (converted images, the cover's inked CSS): inside work_dir, never moved into out_dir."""
        return self.work_dir / ".scratch"


@dataclass
class Rendered:
    edition: str
    path: Path
    pages: int | None = None
    facts: EditionFacts | None = None  # what checks and later editions need (facts.py); None for a kept file
    kept: bool = False  # the file of the last build, left as it was: nothing this edition reads changed
    # chunk layouts (PagedFacts.chunk_spans) whose pages passed this edition's checks in the last build
    # into the same folder, unchanged since: the page checks skip them (checks/pages.py)
    checked_before: frozenset[str] = frozenset()

    @property
    def paged_facts(self) -> PagedFacts | None:
        return self.facts if isinstance(self.facts, PagedFacts) else None


class Edition:
    name = "edition"
    suffix = ""
    requires: tuple[str, ...] = ()  # editions built and written first in the same build (the cover needs print)
    needs_layout_of: tuple[str, ...] = ()  # paged editions whose layout facts this one reads (the EPUB reads print's)
    style_folders: tuple[str, ...] = ()  # folders of styles/ and styles/templates/ it reads besides common/

    def reusable(self, book: Book) -> bool:
        """Whether the last build's file may stand when nothing this edition reads has changed (reuse.py)."""
        return True

    def filename(self, book: Book) -> str:
        return f"{book.slug}{self.suffix}"

    def render(self, context: RenderContext) -> Rendered:  # pragma: no cover - interface
        raise NotImplementedError


class PagedEdition(Edition):
    """The book laid out in pages; every paged edition of one build is written from the same layout."""

    def layout(self, context: RenderContext) -> "BookLayout":  # pragma: no cover - interface
        """The book's layout, made once per build and kept in `context.shared.layout`."""
        raise NotImplementedError

    def standalone_html(self, context: RenderContext) -> str:  # pragma: no cover - interface
        """The whole book's HTML as one file a browser or a plain `weasyprint` can read (`build --html`)."""
        raise NotImplementedError


class FlowingEdition(Edition):
    """Reflowable text with no pages of its own; it may read paged editions' layout facts (`needs_layout_of`)."""
