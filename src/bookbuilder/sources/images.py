"""Image files checked before any edition opens them: type, integrity and pixel count.

A tiny file can decompress into gigabytes (a decompression bomb); Pillow reads only the
header to learn the size, so the check is cheap. Corrupt files are found here, with the
essay and line, rather than deep inside WeasyPrint or a reader's device.
"""
from __future__ import annotations

import re
import warnings
from pathlib import Path

from PIL import Image

from .svg import MAX_BYTES as SVG_MAX_BYTES, svg_problems

MAX_PIXELS = 60_000_000  # 60 megapixels: a 6x9in page at 1,200 dpi is 78 M; a photo at 300 dpi is ~5 M
RASTER = {".jpg", ".jpeg", ".png", ".gif", ".webp"}


def image_problem(path: Path) -> tuple[str, str] | None:
    """(what is wrong, what to do) for an unusable image, or None when it is fine."""
    suffix = path.suffix.lower()
    if suffix == ".svg":
        size = path.stat().st_size
        problems = [f"is {size:,} bytes (at most {SVG_MAX_BYTES:,})"] if size > SVG_MAX_BYTES else \
            svg_problems(path.read_bytes())
        if problems:
            return ("is an SVG that " + "; ".join(problems[:3]) + (" …" if len(problems) > 3 else ""),
                    "export the drawing as PNG, or remove its scripts, animations and links to other files")
        return None
    if suffix not in RASTER:
        return (f"has the type {suffix or '(none)'}, which books cannot carry",
                "save it as JPEG (photos) or PNG (drawings)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                width, height = img.size
                if width * height > MAX_PIXELS:
                    raise Image.DecompressionBombError(f"{width}x{height}")
                img.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        return (f"is too large to open safely ({_dimensions(exc)} pixels; at most {MAX_PIXELS:,})",
                "scale it down to the size it is printed at (300 dpi is plenty)")
    except Exception as exc:  # Pillow raises many kinds for broken files
        return (f"cannot be read as an image ({type(exc).__name__}: {str(exc)[:80]})",
                "open and save it again in an image editor, or replace the file")
    return None


def _dimensions(exc: Exception) -> str:
    m = re.search(r"(\d+)\s*x\s*(\d+)", str(exc)) or re.search(r"\((\d+) pixels\)", str(exc))
    if m and m.lastindex == 2:
        return f"{int(m.group(1)):,} × {int(m.group(2)):,}"
    return f"{int(m.group(1)):,}" if m else "too many"


def own_dpi(path: Path | None) -> float | None:
    """The resolution the image file gives itself (JPEG JFIF/EXIF, PNG pHYs), or None when it names none.

    Print sets the image at that size (900 px at 300 dpi: 3 in), so a 300 dpi file stays 300 ppi;
    values no scanner or camera writes (under 10 or over 10,000) count as none.
    """
    if path is None or path.suffix.lower() not in RASTER:
        return None
    try:
        with Image.open(path) as img:
            dpi = img.info.get("dpi")
    except Exception:  # image_problem has reported an unreadable file already
        return None
    try:
        value = float(dpi[0])
    except (TypeError, ValueError, IndexError):
        return None
    return round(value, 2) if 10 <= value <= 10_000 else None
