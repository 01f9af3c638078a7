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
    """Every file below `root`, in a stable order, leaving out the folders in `skip` (the output folder)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_FOLDERS and (here / d).resolve() not in skip)
        found += [here / name for name in sorted(filenames)]
    return found


def engine_versions() -> list[str]:
    versions = []
    for name in ENGINES:
        try:
            versions.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} absent")
    return versions


def input_fingerprint(book_dir: Path, out: Path, options: dict, house: list[Path], extra: list[Path]) -> str:
    """One sha256 over the build's inputs: file names and contents, options, versions and environment.

    `house` are folders read whole (house styles, bookbuilder's code); `extra` are single
    files (fonts, the CMYK profile, sources the book names from outside its folder).
    """
    digest = hashlib.sha256()

    def add(label: str, value: str) -> None:
        digest.update(f"{label}\0{value}\n".encode())

    add("options", json.dumps(options, sort_keys=True))
    for name in ENVIRONMENT:
        add("env", f"{name}={os.environ.get(name, '')}")
    for version in engine_versions():
        add("engine", version)
    book_dir = Path(book_dir).resolve()
    for path in tree_files(book_dir, {Path(out).resolve()}):
        add(f"book:{path.relative_to(book_dir)}", file_sha256(path))
    for folder in house:
        for path in tree_files(folder):
            add(f"house:{path}", file_sha256(path))
    for path in sorted(set(extra)):
        add(f"file:{path}", file_sha256(path) if Path(path).is_file() else "missing")
    return digest.hexdigest()


@dataclass
class Manifest:
    """What `<out>/.bookbuilder-manifest.json` records about the last successful build into that folder."""

    fingerprint: str
    outputs: list[dict]  # {"edition", "file", "pages", "sha256"}
    extra: list[str] = field(default_factory=list)  # single input files outside the book folder
    notes: list[dict] = field(default_factory=list)  # non-fatal findings, {"edition", "message"}
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, out: Path) -> "Manifest | None":
        try:
            data = json.loads((Path(out) / MANIFEST).read_text(encoding="utf-8"))
            return cls(**data)
        except (OSError, ValueError, TypeError):
            return None

    def write(self, out: Path) -> None:
        """Written last, and atomically: a build killed before this leaves a manifest that no longer matches."""
        target = Path(out) / MANIFEST
        temporary = target.with_name(target.name + ".new")
        temporary.write_text(json.dumps(self.__dict__, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(temporary, target)

    def outputs_intact(self, out: Path) -> bool:
        """Every output is still the file that build wrote (nobody deleted or edited one)."""
        for item in self.outputs:
            path = Path(out) / item["file"]
            if not path.is_file() or file_sha256(path) != item["sha256"]:
                return False
        return True

