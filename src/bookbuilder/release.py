"""`bookbuilder release`: every edition built and validated, then a folder a printer and a reader can take.

The editions are built and judged by the same machinery as `bookbuilder check` (lint, the
build's preflight, the registered validators); any failure, or a validator that could not
run, refuses the release. The folder is assembled aside (a sibling of --out, on the same
file system) and renamed into place only when complete, so a failed or interrupted release
never leaves a half-written folder, and the previous release stays until the new one is whole.
Every file in it is reproducible: the same source gives the same bytes.
"""
from __future__ import annotations

import json
import os
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from lxml import etree

from . import transforms
from .build import new_scratch, OWNER, remove_abandoned_scratch
from .check import check_book
from .checks import Finding
from .editions.cover import CoverGeometry, front_panel_png
from .editions.reproducible import w3c_timestamp
from .errors import BuildError, SourceError
from .fingerprint import file_sha256
from .model import Book
from .offprints import Offprint, source_line, write_offprint
from .sizes import human_size
from .sources import load_book
from .theme import Theme

MANIFEST, SUMS, PAGE = "release.json", "SHA256SUMS", "index.html"

# Each edition's media type, for release.json; the download page names and describes it in the book's words
# (edition_print, edition_print_about … in styles/locales).
EDITION_MEDIA_TYPES = {"print": "application/pdf", "screen": "application/pdf", "cover": "application/pdf",
                       "epub": "application/epub+zip", "web": "text/html"}

# The web edition's files (the same on every machine, unlike the mimetypes module's guesses).
WEB_MEDIA_TYPES = {".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".jpg": "image/jpeg",
                   ".png": "image/png", ".gif": "image/gif", ".svg": "image/svg+xml", ".webp": "image/webp",
                   ".ttf": "font/ttf", ".otf": "font/otf"}


class ReleaseRefused(Exception):
    """A check failed or could not run: nothing was released. `failures` says which."""

    def __init__(self, failures: list[Finding]):
        super().__init__(f"{len(failures)} check(s) failed")
        self.failures = failures


@dataclass
class ReleasedFile:
    path: str  # relative to the release folder, with forward slashes
    kind: str  # edition | offprint | cover image | download page | manifest
    media_type: str
    bytes: int = 0
    sha256: str = ""
    edition: str | None = None
    essay: str | None = None  # an offprint's essay (its slug)
    pages: int | None = None
    page_numbers: str | None = None  # an offprint's folios in the book, "3–7"
    isbn: str | None = None


@dataclass
class Release:
    folder: Path
    files: list[ReleasedFile]
    notes: list[Finding] = field(default_factory=list)  # the checks' "worth a look" items


def default_release_dir(book_dir: Path) -> Path:
    return Path(book_dir) / "_release"


def versioned(name: str, book: Book) -> str:
    """why-we-joined-print.pdf → why-we-joined-1.0-print.pdf."""
    return name.replace(book.slug, f"{book.slug}-{book.version}", 1)


def is_earlier_release(folder: Path) -> bool:
    """A folder this command wrote: its SHA256SUMS names every other file in it, and every sum verifies.

    A stray `release.json` proves nothing (a book folder may hold one); a checksum list that covers the
    whole folder and matches every byte cannot be there by accident.
    """
    sums = folder / SUMS
    if not sums.is_file() or sums.is_symlink():
        return False
    listed: dict[str, str] = {}
    for line in sums.read_text(encoding="utf-8", errors="replace").splitlines():
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64:
            return False
        listed[name] = digest
    present = {p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if not p.is_dir() or p.is_symlink()}
    present.pop(SUMS, None)
    if set(present) != set(listed) or MANIFEST not in listed:
        return False
    return all(not p.is_symlink() and p.is_file() and file_sha256(p) == listed[name] for name, p in present.items())


def refuse_foreign_folder(out: Path, book_dir: Path) -> None:
    """A release replaces its whole folder, so only a new or empty folder or an earlier release may be replaced.

    Never the book folder, nor a folder that holds it: those hold the sources.
    """
    if out == book_dir or out in book_dir.parents:
        raise BuildError([SourceError(out, "holds the book's sources; a release replaces its whole folder",
                                      hint="choose a new or empty --out folder outside the book, or its _release/")])
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not is_earlier_release(out))):
        raise BuildError([SourceError(out, f"is not an earlier release (its {SUMS} does not account for every file "
                                      "in it); a release replaces its whole folder",
                                      hint="choose a new or empty --out folder")])


def release(book_dir: Path, out: Path | None = None, progress: Callable[[str], None] = lambda m: None) -> Release:
    """Check and build into a folder beside `out`, assemble the release there, then rename it into place.

    Raises BuildError for mistakes in the source (nothing written) and ReleaseRefused when a check fails.
    """
    book_dir = Path(book_dir).resolve()
    book = transforms.apply_all(load_book(book_dir))
    out = (Path(out) if out else default_release_dir(book_dir)).resolve()
    refuse_foreign_folder(out, book_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_abandoned_scratch(out.parent)
    stage = new_scratch(out.parent)
    try:
        editions = stage / ".editions"
        report = check_book(book_dir, progress=progress, keep_in=editions)
        failures = [f for f in report.findings if f.fatal or f.did_not_run]
        if failures:
            raise ReleaseRefused(failures)
        files = assemble(stage, report.result.outputs, book, progress)
        shutil.rmtree(editions)
        (stage / OWNER).unlink()
        stage.chmod(0o755)  # mkdtemp's 0700 would hide the folder from a web server
        swap_into_place(stage, out)
        return Release(out, files, [f for f in report.findings if not f.fatal])
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def swap_into_place(stage: Path, out: Path) -> None:
    """The new release takes the folder's name; an earlier release is moved aside first and then removed."""
    if not out.exists():
        os.rename(stage, out)
        return
    previous = out.parent / f".{out.name}.previous-{os.getpid()}"
    os.rename(out, previous)
    os.rename(stage, out)
    shutil.rmtree(previous, ignore_errors=True)


def assemble(stage: Path, outputs: list, book: Book, progress: Callable[[str], None]) -> list[ReleasedFile]:
    """Editions under versioned names, offprints, the cover picture, the page, release.json, SHA256SUMS."""
    theme = Theme.of(book)
    rendered = {r.edition: r for r in outputs}
    files: list[ReleasedFile] = []
    for r in outputs:
        name, is_site = versioned(r.path.name, book), r.path.is_dir()
        os.replace(r.path, stage / name)
        if is_site:  # the web edition: a site, listed file by file (SHA256SUMS checks files)
            files += site_files(stage, name, {o.path.name: versioned(o.path.name, book) for o in outputs})
            continue
        files.append(ReleasedFile(name, "edition", EDITION_MEDIA_TYPES[r.edition], edition=r.edition, pages=r.pages,
                                  isbn=edition_isbn(book, r.edition)))
    screen = rendered["screen"]
    offprints: list[Offprint] = []
    for essay in book.essays:
        progress(f"offprint: {essay.slug}")
        offprint = write_offprint(screen.paged_facts, essay, book, theme, stage / "offprints" / f"{essay.slug}.pdf")
        offprints.append(offprint)
        files.append(ReleasedFile(f"offprints/{essay.slug}.pdf", "offprint", "application/pdf", essay=essay.slug,
                                  pages=offprint.pages, page_numbers=f"{offprint.first_folio}–{offprint.last_folio}"))
    cover = cover_picture(stage, book, rendered)
    files.append(ReleasedFile(cover.name, "cover image", "image/jpeg" if cover.suffix == ".jpg" else "image/png"))
    for f in files:
        measure(stage, f)
    progress("download page")
    epub = stage / files_named(files, "epub")
    (stage / PAGE).write_text(theme.render(
        "release/index.html", book=book, files={f.edition: f for f in files if f.edition},
        offprints={o.essay.slug: (o, next(f for f in files if f.essay == o.essay.slug)) for o in offprints},
        cover=cover.name, summary=accessibility_summary(epub), source_line=source_line(book),
        size=lambda n: human_size(n, theme.words.entries["size_units"], theme.words.entries["decimal_mark"]),
        built=w3c_timestamp(book), sums=SUMS, manifest=MANIFEST), encoding="utf-8")
    files.append(measure(stage, ReleasedFile(PAGE, "download page", "text/html")))
    (stage / MANIFEST).write_text(manifest(book, files), encoding="utf-8")
    files.append(measure(stage, ReleasedFile(MANIFEST, "manifest", "application/json")))
    (stage / SUMS).write_text("".join(f"{f.sha256}  {f.path}\n" for f in sorted(files, key=lambda f: f.path)),
                              encoding="utf-8")
    return files


def site_files(stage: Path, name: str, renamed: dict[str, str]) -> list[ReleasedFile]:
    """The web edition's files: its home page as the edition, the rest as its pages, pictures, fonts, scripts.

    The home page's download links name the other editions as the build wrote them beside the site
    (../why-we-joined.epub); in the release they carry the version (../why-we-joined-1.0.epub).
    """
    site = stage / name
    home = site / "index.html"
    text = home.read_text(encoding="utf-8")
    for old, new in renamed.items():
        text = text.replace(f'href="../{old}"', f'href="../{new}"')
    home.write_text(text, encoding="utf-8")
    found = [ReleasedFile(f"{name}/index.html", "edition", "text/html", edition="web")]
    for path in sorted(p for p in site.rglob("*") if p.is_file() and p != home):
        media = WEB_MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream")
        found.append(ReleasedFile(path.relative_to(stage).as_posix(), "web file", media))
    return found


def edition_isbn(book: Book, edition: str) -> str | None:
    """The cover is sold with the print edition and carries its ISBN."""
    own = book.editions.get("print" if edition == "cover" else edition)
    return own.isbn if own and own.isbn else None


def files_named(files: list[ReleasedFile], edition: str) -> str:
    return next(f.path for f in files if f.edition == edition)


def measure(stage: Path, f: ReleasedFile) -> ReleasedFile:
    path = stage / f.path
    f.bytes, f.sha256 = path.stat().st_size, file_sha256(path)
    return f


def cover_picture(stage: Path, book: Book, rendered: dict) -> Path:
    """The front for the page: the cover art made phone-sized, or the cover PDF's front panel when there is none."""
    from PIL import Image

    if book.cover.image:
        with Image.open(book.cover.image) as im:
            im = im.convert("RGB")
            im.thumbnail((600, 900))
            target = stage / "cover.jpg"
            im.save(target, "JPEG", quality=85, optimize=True)  # no EXIF, no dates: the same bytes every time
        return target
    cover = rendered["cover"]
    geometry = CoverGeometry.for_book(book, cover.facts.interior_pages)
    return front_panel_png(stage / versioned(cover.path.name, book), geometry, stage / "cover.png", dpi=96)


def accessibility_summary(epub: Path) -> str:
    """The EPUB's own schema:accessibilitySummary, so the page says what the file says."""
    with zipfile.ZipFile(epub) as z:
        container = etree.fromstring(z.read("META-INF/container.xml"))
        opf_path = container.find(".//{*}rootfile").get("full-path")
        opf = etree.fromstring(z.read(opf_path))
    found = opf.xpath("//*[local-name()='meta'][@property='schema:accessibilitySummary']")
    return found[0].text.strip() if found else ""


def manifest(book: Book, files: list[ReleasedFile]) -> str:
    """release.json: what is in the release, for a distributor's scripts."""
    data = {
        "title": book.title, "subtitle": book.subtitle, "version": book.version, "publisher": book.publisher,
        "publication_date": book.date.isoformat() if book.date else None, "build_date": w3c_timestamp(book),
        "identifier": book.identifier,
        "isbn": {name: ed.isbn for name, ed in book.editions.items() if ed.isbn},
        "files": [{k: v for k, v in vars(f).items() if v is not None} for f in files],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
