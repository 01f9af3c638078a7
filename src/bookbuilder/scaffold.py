"""`bookbuilder new`: a working book folder from the template shipped in scaffold/.

The template is real source (book.toml with every option commented, an example essay in
the house format, style overrides ready to edit); only the title and the dates are filled
in, and the example figure is drawn here so no binary file has to live in the package.
"""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from PIL import Image, ImageDraw

from .errors import BuildError, SourceError

TEMPLATE = Path(__file__).parent / "scaffold"
FILLED = ("book.toml", "essays/example.md")


def title_from_folder(folder: Path) -> str:
    return folder.resolve().name.replace("-", " ").replace("_", " ").strip().title() or "Untitled"


def draw_example_figure(path: Path) -> None:
    """A flat banner-and-crowd picture, 1500 px wide: over 300 ppi across the 6 × 9 in text block (4.62 in)."""
    img = Image.new("RGB", (1500, 833), (243, 236, 222))
    d = ImageDraw.Draw(img)
    d.polygon([(214, 107), (1286, 107), (1226, 357), (274, 357)], fill=(150, 28, 32))
    for i in range(14):
        x = 71 + i * 101
        d.ellipse([x, 500, x + 83, 583], fill=(40, 36, 34))
        d.rectangle([x + 6, 589, x + 77, 833], fill=(40, 36, 34))
    img.save(path, "JPEG", quality=88, dpi=(300, 300))


def create_book(folder: Path, title: str | None = None, today: dt.date | None = None) -> list[Path]:
    """Write the template into FOLDER (which must be new or empty); returns the files written."""
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BuildError([SourceError(folder, "already exists and is not empty",
                                      hint="give a new folder name; bookbuilder new never writes over files")])
    today = today or dt.date.today()
    title = " ".join((title or "").split()) or title_from_folder(folder)  # a line break in a title is a slip
    if any(ord(c) < 32 or c == "\x7f" for c in title):
        raise BuildError([SourceError(Path("--title"), "has control characters", hint="type the title as it is printed")])
    shutil.copytree(TEMPLATE, folder, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    toml_title = title.replace("\\", "\\\\").replace('"', '\\"')
    for rel in FILLED:
        f = folder / rel
        text = f.read_text(encoding="utf-8").replace("__TITLE__", toml_title)
        f.write_text(text.replace("__DATE__", today.isoformat()).replace("__YEAR__", str(today.year)), encoding="utf-8")
    (folder / "front").mkdir(exist_ok=True)
    (folder / "images").mkdir(exist_ok=True)
    draw_example_figure(folder / "images" / "example-figure.jpg")
    return sorted(p for p in folder.rglob("*") if p.is_file())
