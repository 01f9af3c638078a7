"""The web edition's pictures: each raster image made at a few widths with Pillow, for `srcset`.

A phone on a slow line should not fetch a print-resolution scan. Every width is encoded
without metadata (no EXIF, no dates), so the same image gives the same bytes on every build.
"""
from __future__ import annotations

import shutil
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


class ImageFolder:
    """Images written into `<site>/images/`, each source once, under names unique in the folder."""

    def __init__(self, site: Path):
        self.folder = site / "images"
        self.made: dict[Path, WebImage] = {}
        self.names: set[str] = set()

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
        from PIL import Image, ImageOps

        with Image.open(path) as original:
            im = ImageOps.exif_transpose(original)
            alpha = im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)
            im = im.convert("RGBA" if alpha else "RGB")
            ext, fmt, options = (".png", "PNG", {"optimize": True}) if alpha else \
                (".jpg", "JPEG", {"quality": 82, "optimize": True, "progressive": True})
            widths = [w for w in WIDTHS if w < im.width] + [min(im.width, WIDTHS[-1])]
            entries = []
            for w in widths:
                h = max(1, round(im.height * w / im.width))
                scaled = im if w == im.width else im.resize((w, h), Image.LANCZOS)
                name = f"{stem}-{w}{ext}"
                scaled.save(self.folder / name, fmt, **options)
                entries.append((f"images/{name}", w, h))
        src, width, height = entries[-1]
        return WebImage(src, ", ".join(f"{s} {w}w" for s, w, _ in entries), width, height)
