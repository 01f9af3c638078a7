"""The house style: templates, stylesheets and fonts, each overridable from the book folder.

A book may hold its own `styles/` folder; any file there with the same relative path as
one of the house files replaces it (MkDocs' custom_dir is the model).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2

from . import note_markup
from .errors import BuildError, Problems, SourceError

# url(…) or @import of anything with a scheme other than data: (a reader would fetch it).
REMOTE_IN_CSS = re.compile(r"""(?:url\(\s*|@import\s+)["']?\s*(?!data:)([a-z][a-z0-9+.-]*:|//)""", re.I)


def house_dir() -> Path:
    installed = Path(__file__).parent / "styles"
    return installed if installed.is_dir() else Path(__file__).resolve().parents[2] / "styles"


@dataclass(frozen=True)
class FontFace:
    family: str
    style: str
    weight: int
    file: Path

    @property
    def media_type(self) -> str:
        return "font/otf" if self.file.suffix == ".otf" else "font/ttf"


# EB Garamond (SIL OFL) from Debian's fonts-ebgaramond-extra: real italics, small caps through `smcp`.
FONT_DIR = Path("/usr/share/fonts/truetype/ebgaramond")
FONT_FACES = (
    ("EB Garamond House", "normal", 400, "EBGaramond12-Regular.ttf"),
    ("EB Garamond House", "italic", 400, "EBGaramond12-Italic.ttf"),
    ("EB Garamond House", "normal", 700, "EBGaramond12-Bold.ttf"),
)


class Theme:
    def __init__(self, book_root: Path):
        self.dirs = [Path(book_root) / "styles", house_dir()]
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(d / "templates") for d in self.dirs]),
            autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
            undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        )
        self.env.filters.update(footnote_spans=note_markup.footnote_spans, lead_with=note_markup.lead_with)

    def render(self, template: str, **context) -> str:
        return self.env.get_template(template).render(**context)

    def file(self, relative: str) -> Path:
        for d in self.dirs:
            if (d / relative).is_file():
                return d / relative
        raise FileNotFoundError(relative)

    def stylesheets(self, *folders: str) -> list[Path]:
        """Every CSS file of the given style folders, house and book overrides merged by name.

        Files are ordered by name across the folders, so a later folder's `90-*.css`
        comes after the shared `10-*.css` … `80-*.css` (the screen edition adds to print's).
        """
        names: dict[str, Path] = {}
        for folder_name in folders:
            for d in reversed(self.dirs):
                folder = d / folder_name
                if folder.is_dir():
                    for css in folder.glob("*.css"):
                        names[css.name] = css
        return [names[n] for n in sorted(names)]

    def fonts(self) -> list[FontFace]:
        faces = [FontFace(f, s, w, FONT_DIR / name) for f, s, w, name in FONT_FACES]
        missing = [f.file for f in faces if not f.file.is_file()]
        if missing:
            raise BuildError([SourceError(missing[0], "the book face EB Garamond is not installed",
                                          hint="run ./dev build once, or apt-get install fonts-ebgaramond-extra")])
        return faces


def check_book_styles(book_root: Path, problems: Problems) -> None:
    """The book's own styles/ folder: nothing linked from outside the book, nothing fetched remotely.

    The EPUB carries stylesheets verbatim, so a remote url() would make every reader's
    device fetch it; WeasyPrint's fetcher refuses it for print, but the editor should
    hear about it before either edition is made.
    """
    root = Path(book_root).resolve()
    folder = root / "styles"
    if not folder.exists():
        return
    entries = [folder]
    for dirpath, dirnames, filenames in os.walk(folder):  # symlinked folders are listed, not entered
        entries += [Path(dirpath) / name for name in sorted(dirnames) + sorted(filenames)]
    for path in entries:
        shown = path.relative_to(root)
        if not path.resolve().is_relative_to(root):
            problems.add(shown, f"points outside the book folder (to {path.resolve()})", None,
                         "copy the file into the book folder instead of linking to it")
            continue
        if path.suffix.lower() == ".css" and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            for n, line in enumerate(text.splitlines(), 1):
                m = REMOTE_IN_CSS.search(line)
                if m:
                    problems.add(shown, f"loads {m.group(1)}… from outside the book; nothing is downloaded", n,
                                 "put the font or image into the book folder and use a relative url()")
