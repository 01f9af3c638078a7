"""The web edition's pictures: each raster image made at a few widths with Pillow, for `srcset`.

A phone on a slow line should not fetch a print-resolution scan. Every width is encoded
without metadata (no EXIF, no dates), so the same image gives the same bytes on every build;
so the widths made for an image are kept (`cache`, in the output folder's chunk cache) and
copied by the next build while the image's bytes and bookbuilder stay the same: encoding
them again took most of the web edition's time in a one-sentence edit.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..names import unique_name, xml_name

WIDTHS = (480, 800, 1200, 1600)  # a phone, a phone at 2x or a tablet, a desktop column at 2x
RASTER = {".jpg", ".jpeg", ".png", ".webp"}


@dataclass(frozen=True)
class WebImage:
    src: str  # the largest width, relative to the site's root
    srcset: str  # "images/x-480.jpg 480w, …" ("" for an SVG or GIF, copied as it is)
    width: int | None
    height: int | None


CACHE = "web-images"  # the folder in the chunk cache (layout_pool.CACHE_FOLDER) that keeps made widths
SIZES = "sizes.json"


class ImageFolder:
    """Images written into `<site>/images/`, each source once, under names unique in the folder.

    `cache`: where the widths made for each source are kept between builds, under a digest of
    the source's bytes and `salt` (what else they depend on: bookbuilder's code); None keeps none.
    """

    def __init__(self, site: Path, cache: Path | None = None, salt: str = ""):
        self.folder = site / "images"
        self.made: dict[Path, WebImage] = {}
        self.names: set[str] = set()
        self.cache, self.salt = cache, salt
        self.used: set[str] = set()

    def add(self, path: Path) -> WebImage:
        if path not in self.made:
            self.folder.mkdir(parents=True, exist_ok=True)
            stem = unique_name(xml_name(path.stem, "image", prefix="image-").lower(), lambda s: s in self.names)
            self.names.add(stem)
            self.made[path] = self.resized(path, stem) if path.suffix.lower() in RASTER else self.copied(path, stem)
        return self.made[path]

    def copied(self, path: Path, stem: str) -> WebImage:
        name = f"{stem}{path.suffix.lower()}"
        shutil.copyfile(path, self.folder / name)
        size = None
        if path.suffix.lower() == ".gif":
            from PIL import Image
            with Image.open(path) as im:
                size = im.size
        return WebImage(f"images/{name}", "", *(size or (None, None)))

    def resized(self, path: Path, stem: str) -> WebImage:
        """The widths of a raster image, from the cache when they were made before, under the stem's names."""
        if self.cache is not None:
            return self.named(self.kept(path), stem)
        with tempfile.TemporaryDirectory() as scratch:
            return self.named(self.widths_of(path, Path(scratch)), stem)

    def named(self, made: list[tuple[Path, int, int]], stem: str) -> WebImage:
        entries = []
        for file, w, h in made:
            name = f"{stem}-{file.name}"
            shutil.copyfile(file, self.folder / name)
            entries.append((f"images/{name}", w, h))
        src, width, height = entries[-1]
        return WebImage(src, ", ".join(f"{s} {w}w" for s, w, _ in entries), width, height)

    def kept(self, path: Path) -> list[tuple[Path, int, int]] | None:
        """The widths kept for this source, made now if they were not (into a folder renamed into place whole)."""
        key = hashlib.sha256(self.salt.encode() + b"\0" + path.read_bytes()).hexdigest()[:32]
        self.used.add(key)
        place = self.cache / key
        if (place / SIZES).is_file():
            return [(place / name, w, h) for name, w, h in json.loads((place / SIZES).read_text())]
        self.cache.mkdir(parents=True, exist_ok=True)
        draft = Path(tempfile.mkdtemp(dir=self.cache, prefix=".draft-"))
        made = self.widths_of(path, draft)
        (draft / SIZES).write_text(json.dumps([[f.name, w, h] for f, w, h in made]))
        shutil.rmtree(place, ignore_errors=True)
        os.replace(draft, place)
        return [(place / f.name, w, h) for f, w, h in made]

    def forget_unused(self) -> None:
        """Drop the kept widths of images this build did not show (a replaced photograph's)."""
        if self.cache is not None and self.cache.is_dir():
            for place in self.cache.iterdir():
                if place.name not in self.used:
                    shutil.rmtree(place, ignore_errors=True)

    @staticmethod
    def widths_of(path: Path, folder: Path) -> list[tuple[Path, int, int]]:
        """The image at each width into `folder` ("480.jpg"…): (file, width, height), the largest last."""
        from PIL import Image, ImageOps

        with Image.open(path) as original:
            im = ImageOps.exif_transpose(original)
            alpha = im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)
            im = im.convert("RGBA" if alpha else "RGB")
            ext, fmt, options = (".png", "PNG", {"optimize": True}) if alpha else \
                (".jpg", "JPEG", {"quality": 82, "optimize": True, "progressive": True})
            widths = [w for w in WIDTHS if w < im.width] + [min(im.width, WIDTHS[-1])]
            made = []
            for w in widths:
                h = max(1, round(im.height * w / im.width))
                scaled = im if w == im.width else im.resize((w, h), Image.LANCZOS)
                scaled.save(folder / f"{w}{ext}", fmt, **options)
                made.append((folder / f"{w}{ext}", w, h))
        return made
