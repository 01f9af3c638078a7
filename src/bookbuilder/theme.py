"""The house style: templates, stylesheets and fonts, each overridable from the book folder.

A book may hold its own `styles/` folder; any file there with the same relative path as
one of the house files replaces it (MkDocs' custom_dir is the model).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import jinja2
import jinja2.sandbox

from .cssurls import remote_urls
from . import note_markup
from .errors import BuildError, Problems, SourceError
from .house import house_dir
from .words import Words



@dataclass(frozen=True)
class FontFace:
    family: str
    style: str
    weight: int
    file: Path

    @property
    def media_type(self) -> str:
        return "font/otf" if self.file.suffix == ".otf" else "font/ttf"


@dataclass(frozen=True)
class FontFamily:
    """A family the stylesheets name, its files and the Debian package that installs them."""
    name: str
    package: str
    folder: Path
    files: tuple[tuple[str, int, str], ...]  # (font-style, font-weight, file name)

    @property
    def faces(self) -> list[FontFace]:
        return [FontFace(self.name, style, weight, self.folder / name) for style, weight, name in self.files]


# The book face, then the faces for the characters it lacks, in the order a character looks for a face that
# has it (the font-family stacks of styles/*/20-text.css, the cover's and the offprint's name them in this order).
# Each is registered under its own name, with "House", so that fontconfig's system fonts never stand in: a
# character none of them has falls to a system font, and the build warns (fallbacks.py, checks/pdf.py).
# All are under the SIL Open Font License (Linux Libertine also GPL with the font exception): embedding is allowed.
FONT_FAMILIES = (
    # EB Garamond: real italics, small caps through `smcp`; Greek and Cyrillic in roman and italic, not in bold.
    FontFamily("EB Garamond House", "fonts-ebgaramond-extra", Path("/usr/share/fonts/truetype/ebgaramond"),
               (("normal", 400, "EBGaramond12-Regular.ttf"), ("italic", 400, "EBGaramond12-Italic.ttf"),
                ("normal", 700, "EBGaramond12-Bold.ttf"))),
    # Linux Libertine: an old-style serif of Garamond's colour; Latin extended, Greek, Cyrillic, Hebrew, ⋮, arrows.
    FontFamily("Linux Libertine House", "fonts-linuxlibertine", Path("/usr/share/fonts/opentype/linux-libertine"),
               (("normal", 400, "LinLibertine_R.otf"), ("italic", 400, "LinLibertine_RI.otf"),
                ("normal", 700, "LinLibertine_RB.otf"))),
    # Cardo: Bembo's old style for scholars; Hebrew cantillation, the rarer Greek, medieval signs.
    FontFamily("Cardo House", "fonts-cardo", Path("/usr/share/fonts/truetype/cardo"),
               (("normal", 400, "Cardo104s.ttf"), ("italic", 400, "Cardoi99.ttf"), ("normal", 700, "Cardob101.ttf"))),
    # Gentium Plus: the rest of Cyrillic (Supplement) and of Latin (phonetic letters).
    FontFamily("Gentium House", "fonts-sil-gentiumplus", Path("/usr/share/fonts/truetype/gentiumplus"),
               (("normal", 400, "GentiumPlus-Regular.ttf"), ("italic", 400, "GentiumPlus-Italic.ttf"),
                ("normal", 700, "GentiumPlus-Bold.ttf"))),
    # STIX: mathematical symbols, arrows and technical signs.
    FontFamily("STIX House", "fonts-stix", Path("/usr/share/fonts/opentype/stix-word"),
               (("normal", 400, "STIX-Regular.otf"), ("italic", 400, "STIX-Italic.otf"),
                ("normal", 700, "STIX-Bold.otf"))),
)
FONT_FACES = tuple(face for family in FONT_FAMILIES for face in family.faces)


class Theme:
    """The book's templates and stylesheets over the house ones, and the words templates write.

    `words` (the book's, see words.py; English when not given) is every template's `t`:
    `{{ t("contents") }}`, `{{ t("edited_by", names=book.editors|names) }}`, `{{ date|month_year }}`.
    """

    def __init__(self, book_root: Path, words: Words | None = None):
        self.dirs = [Path(book_root) / "styles", house_dir()]
        self.words = words or Words.english(self.dirs)
        # Sandboxed: a book folder may come from anyone, and its template overrides must not run Python.
        # "house/…" names the house template itself, so an override may extend it and replace one block.
        self.env = jinja2.sandbox.SandboxedEnvironment(
            loader=jinja2.ChoiceLoader([
                jinja2.PrefixLoader({"house": jinja2.FileSystemLoader(str(house_dir() / "templates"))}),
                jinja2.FileSystemLoader([str(d / "templates") for d in self.dirs])]),
            autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
            undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        )
        self.env.globals["t"] = self.words
        self.env.filters.update(names=self.words.names, month_year=self.words.month_year,
                                day_month_year=self.words.day_month_year,
                                footnote_spans=note_markup.footnote_spans, lead_with=note_markup.lead_with)

    @classmethod
    def of(cls, book) -> "Theme":
        """The theme a book is built with: its styles over the house's, its words."""
        return cls(book.root, Words.of(book))

    def render(self, template: str, **context) -> str:
        try:
            return self.env.get_template(template).render(**context)
        except jinja2.TemplateError as error:
            raise template_error(error, template) from None

    def template_file(self, template: str) -> Path:
        """The file a template name is read from: the book's override, else the house's."""
        return self.file(f"templates/{template}")

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
        """Every registered face: the book face's, then the fallbacks', in the stacks' order."""
        for family in FONT_FAMILIES:
            missing = [f.file for f in family.faces if not f.file.is_file()]
            if missing:
                raise BuildError([SourceError(missing[0], f"the font {family.name.removesuffix(' House')} "
                                              "is not installed", hint=f"run ./dev build once, or apt-get install "
                                              f"{family.package}")])
        return list(FONT_FACES)


def template_error(error: jinja2.TemplateError, template: str) -> BuildError:
    """A template that fails to compile or render, named by file and line (overrides are the usual suspects)."""
    file, line = getattr(error, "filename", None), getattr(error, "lineno", None)
    tb = error.__traceback__
    while tb is not None:  # Jinja maps render-time errors back onto the template's own lines
        if tb.tb_frame.f_code.co_filename.endswith((".html", ".xhtml")):
            file, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    what = "is not allowed in a template" if isinstance(error, jinja2.sandbox.SecurityError) else "failed"
    return BuildError([SourceError(Path(file or template), f"{what}: {error.message or error}", line,
                                   hint="fix or remove this template override; templates may only show the book's data")])


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
            for n, url in remote_urls(text):
                problems.add(shown, f"loads {url[:60]} from outside the book; nothing is downloaded", n,
                             "put the font or image into the book folder and use a relative url()")
