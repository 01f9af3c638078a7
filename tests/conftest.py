"""Shared fixtures: the sample anthology is built once per test run, for real."""
from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "book"


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bookbuilder.cli", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, timeout=600)


def pdf_pages_text(pdf: Path) -> list[str]:
    """Text of every page, in layout order, via poppler's pdftotext (what a reader's tools see)."""
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


@dataclass
class BuiltBook:
    out: Path
    result: object  # build.BuildResult
    book: object  # model.Book

    def edition(self, name):
        return next(r for r in self.result.outputs if r.edition == name)

    @property
    def pdf(self) -> Path:
        return self.edition("print").path

    @property
    def screen(self) -> Path:
        return self.edition("screen").path

    @property
    def epub(self) -> Path:
        return self.edition("epub").path

    def epub_text(self, member: str) -> str:
        with zipfile.ZipFile(self.epub) as z:
            return z.read(member).decode("utf-8")


@pytest.fixture(scope="session")
def sample(tmp_path_factory) -> BuiltBook:
    from bookbuilder import transforms
    from bookbuilder.build import build
    from bookbuilder.sources import load_book

    out = tmp_path_factory.mktemp("sample-build")
    result = build(SAMPLE, out)
    assert not result.failed, [str(f) for f in result.findings]
    return BuiltBook(out, result, transforms.apply_all(load_book(SAMPLE)))


@pytest.fixture()
def book_copy(tmp_path) -> Path:
    """A scratch copy of the sample book, for tests that break it on purpose."""
    target = tmp_path / "book"
    shutil.copytree(SAMPLE, target, ignore=shutil.ignore_patterns("_build"))
    return target


def linked_book(root: Path, names=("01-intro.md", "2 deux.md", "é.t.é.md")) -> Path:
    """A small book whose essays have real-world file names and link to each other's text, figure and note."""
    from PIL import Image

    (root / "essays").mkdir(parents=True)
    (root / "images").mkdir()
    Image.new("L", (1500, 1000), 128).save(root / "images" / "pic-one.jpg")
    listed = ", ".join(f'"essays/{n}"' for n in names)
    (root / "book.toml").write_text(f'title = "Linked"\ndate = 2026-11-01\n\n[contents]\nessays = [{listed}]\n')
    first, second, third = names[0], names[1], names[2]
    (root / "essays" / first).write_text(
        '---\ntitle: "Intro"\nauthor: "A. Writer"\n---\n\n'
        f"See [the second essay](<{second}>) and [its heading](<{second}#the-same-subject>).\n\n"
        f"Also [the figure](<../essays/{second}#fig-1>), [the note](<{second}#note-1>) and [below](#later-on).\n\n"
        f"## Later on\n\nMore, and [the third]({third.replace(' ', '%20')}).\n")
    (root / "essays" / second).write_text(
        '---\ntitle: "Deux"\nauthor: "B. Writer"\n---\n\n'
        "Text with a note.[^a]\n\n## The Same Subject\n\nBody.\n\n"
        "![A grey field](../images/pic-one.jpg)\nA grey field. / Image: Someone\n\n[^a]: The note.\n")
    (root / "essays" / third).write_text('---\ntitle: "Été"\nauthor: "C. Writer"\n---\n\nSummer text.\n')
    return root
