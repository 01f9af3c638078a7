"""No-op rebuilds: a fingerprint of everything a build reads, kept beside the outputs it made.

When the next build would read exactly the same inputs (every file of the book folder,
the house styles and templates, the fonts and press profile, bookbuilder's own code and
its engines' versions, the editions asked for, SOURCE_DATE_EPOCH) and the outputs are
still the files that build wrote, building again could only write the same bytes, so
nothing is rewritten at all.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

MANIFEST = ".bookbuilder-manifest.json"
ENGINES = ("weasyprint", "ebooklib", "pydyf", "pikepdf", "Pillow", "Jinja2", "Markdown", "lxml")
ENVIRONMENT = ("SOURCE_DATE_EPOCH",)
SKIPPED_FOLDERS = {".git", "__pycache__"}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def tree_files(root: Path, skip: set[Path] = frozenset()) -> list[Path]:
    """Every entry below `root` but folders, in a stable order, leaving out the folders in `skip` (the output folder).

    Symbolic links are listed, never followed (os.walk does not enter linked folders).
    """
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_FOLDERS and (here / d).resolve() not in skip)
        found += [here / name for name in sorted(filenames + [d for d in dirnames if (here / d).is_symlink()])]
    return found


def output_sha256(path: Path) -> str:
    """A file's sha256; a folder's (the web edition) over every file's relative path and sha256, in order."""
    path = Path(path)
    if not path.is_dir():
        return file_sha256(path)
    digest = hashlib.sha256()
    for item in sorted(p for p in path.rglob("*") if not p.is_dir()):
        digest.update(f"{item.relative_to(path).as_posix()}\0{file_sha256(item)}\n".encode())
    return digest.hexdigest()


def entry_digest(path: Path) -> str:
    """A regular file's sha256; a link by what it names, anything else (a FIFO, a device) by its kind alone.

    Opening a link to /dev/zero or a FIFO that nobody writes to would never return, and a link may point
    outside the book: neither is read. A link the book really uses is read where it is used, and refused
    there if it leads outside the book.
    """
    mode = os.lstat(path).st_mode
    if stat.S_ISREG(mode):
        return file_sha256(path)
    if stat.S_ISLNK(mode):
        return "link:" + os.readlink(path)
    return f"special:{stat.S_IFMT(mode):o}"


def engine_versions() -> list[str]:
    versions = []
    for name in ENGINES:
        try:
            versions.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} absent")
    return versions


def style_folder(relative: Path) -> str | None:
    """The edition folder a styles file belongs to (styles/epub/…, templates/cover/…); None: every edition reads it
    (templates/common, and the words of locales/)."""
    parts = relative.parts[1:] if relative.parts[:1] == ("templates",) else relative.parts
    return parts[0] if len(parts) > 1 and parts[0] not in ("common", "locales") else None


class Inputs:
    """Every input of a build, each file hashed once; fingerprints of all of them or of one edition's share.

    `styles` are folders of house styles and templates (read by edition folder); `code` are
    folders read whole (bookbuilder itself); `extra` are single files (fonts, the CMYK profile,
    sources the book names from outside its folder).
    """

    def __init__(self, book_dir: Path, out: Path, options: dict, styles: list[Path], code: list[Path],
                 extra: list[Path]):
        lines: list[tuple[str | None, str]] = [(None, "options\0" + json.dumps(options, sort_keys=True))]
        lines += [(None, f"env\0{name}={os.environ.get(name, '')}") for name in ENVIRONMENT]
        lines += [(None, "engine\0" + version) for version in engine_versions()]
        book_dir = Path(book_dir).resolve()
        for path in tree_files(book_dir, {Path(out).resolve()}):
            relative = path.relative_to(book_dir)
            folder = style_folder(relative.relative_to("styles")) if relative.parts[0] == "styles" else None
            lines.append((folder, f"book:{relative}\0{entry_digest(path)}"))
        for root in styles:
            lines += [(style_folder(path.relative_to(root)), f"house:{path}\0{entry_digest(path)}")
                      for path in tree_files(root)]
        for root in code:
            lines += [(None, f"code:{path}\0{entry_digest(path)}") for path in tree_files(root)]
        for path in sorted(set(extra)):
            lines.append((None, f"file:{path}\0" + (file_sha256(path) if Path(path).is_file() else "missing")))
        self.lines = lines

    def code_fingerprint(self) -> str:
        """bookbuilder's own code and the engines': what a check's verdict may change with besides its input."""
        digest = hashlib.sha256()
        for _folder, line in self.lines:
            if line.startswith(("code:", "engine\0")):
                digest.update(line.encode() + b"\n")
        return digest.hexdigest()

    def layout_environment(self, folders: tuple[str, ...], skip: set[str]) -> str:
        """What every chunk's layout may read besides its own HTML and figures: the styles of these
        folders (the book's too), any other file of the book (an image a stylesheet names), book.toml,
        fonts, the CMYK profile, engines, our code. Left out: the Markdown sources (their text is in the
        chunks' HTML) and `skip`: the figures (each chunk's key hashes its own, typeset.chunk_key) and
        the cover's image (the interior never shows it)."""
        digest = hashlib.sha256()
        for folder, line in self.lines:
            if folder is not None and folder not in folders:
                continue
            if line.startswith("book:"):
                relative = line[len("book:"):].split("\0", 1)[0]
                if relative.endswith((".md", ".markdown")) or relative in skip:
                    continue
            digest.update(line.encode() + b"\n")
        return digest.hexdigest()

    def fingerprint(self, folders: tuple[str, ...] | None = None) -> str:
        """One sha256 over all inputs, or only those an edition reading these style folders reads."""
        digest = hashlib.sha256()
        for folder, line in self.lines:
            if folders is None or folder is None or folder in folders:
                digest.update(line.encode() + b"\n")
        return digest.hexdigest()


@dataclass
class Manifest:
    """What `<out>/.bookbuilder-manifest.json` records about the last successful build into that folder."""

    fingerprint: str
    outputs: list[dict]  # {"edition", "file", "pages", "sha256"}
    extra: list[str] = field(default_factory=list)  # single input files outside the book folder
    notes: list[dict] = field(default_factory=list)  # non-fatal findings, {"edition", "message"}
    warnings: list[str] = field(default_factory=list)
    editions: dict[str, dict] = field(default_factory=dict)  # name → {"fingerprint", "upstream"} (reuse.py)

    @classmethod
    def read(cls, out: Path) -> "Manifest | None":
        """The last build's record, or None when there is none or it is not one we wrote (then all is built anew)."""
        try:
            data = json.loads((Path(out) / MANIFEST).read_text(encoding="utf-8"))
            manifest = cls(**data)
            if not (isinstance(manifest.fingerprint, str) and isinstance(manifest.editions, dict)
                    and all(isinstance(w, str) for w in manifest.warnings)
                    and all(isinstance(x, str) for x in manifest.extra)
                    and all(isinstance(o, dict) and isinstance(o.get("file"), str) and isinstance(o.get("sha256"), str)
                            and "edition" in o and "pages" in o for o in manifest.outputs)
                    and all(isinstance(n, dict) and {"edition", "message"} <= set(n) for n in manifest.notes)
                    and all(isinstance(e, dict) for e in manifest.editions.values())):
                return None
            return manifest
        except (OSError, ValueError, TypeError):
            return None

    def write(self, out: Path) -> None:
        """Written last, and atomically: a build killed before this leaves a manifest that no longer matches."""
        target = Path(out) / MANIFEST
        temporary = target.with_name(target.name + ".new")
        temporary.write_text(json.dumps(self.__dict__, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(temporary, target)

    def outputs_intact(self, out: Path, editions: set[str] | None = None) -> bool:
        """Every output (of these editions) is still the file that build wrote (nobody deleted or edited one)."""
        for item in self.outputs:
            if editions is not None and item["edition"] not in editions:
                continue
            path = Path(out) / item["file"]
            if not path.exists() or path.is_symlink() or output_sha256(path) != item["sha256"]:
                return False
        return True

