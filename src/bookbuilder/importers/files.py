"""What an import may read besides the manuscript, and how much: the files beside it, within bounds.

A manuscript names its images; a hostile one names `/proc/self/environ`, `../../secret` or a
link to either. Images are read only from the manuscript's own folder (or from inside a
.docx package), and only regular files; a manuscript or package larger than a real one is
refused before any parser sees it (a small .docx can unzip to gigabytes).
"""
from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlparse

MAX_MANUSCRIPT_BYTES = 20_000_000  # a long essay with photos saved beside it is ~100 KB of text
MAX_PACKAGE_BYTES = 100_000_000  # a .docx with its pictures, unzipped
MAX_PACKAGE_RATIO = 200  # unzipped / zipped: text compresses ~10×, a zip bomb ~1000×


def manuscript_problem(source: Path) -> str | None:
    """Why this file is too large to import, or None."""
    size = source.stat().st_size
    if size > MAX_MANUSCRIPT_BYTES:
        return f"is {size:,} bytes; a manuscript may have at most {MAX_MANUSCRIPT_BYTES:,}"
    if source.suffix.lower() in (".docx", ".odt") and zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as z:
            unzipped = sum(i.file_size for i in z.infolist())
        if unzipped > MAX_PACKAGE_BYTES or unzipped > MAX_PACKAGE_RATIO * max(size, 1):
            return (f"unzips to {unzipped:,} bytes from {size:,}; that is not a manuscript "
                    f"(at most {MAX_PACKAGE_BYTES:,} bytes and {MAX_PACKAGE_RATIO}× its size)")
    return None


def image_beside(source: Path, reference: str) -> tuple[Path | None, str]:
    """The regular file `reference` names inside the manuscript's folder, or None and why not."""
    url = urlparse(reference.strip())
    if url.scheme or url.netloc:
        return None, "is on the web: it was not downloaded"
    relative = unquote(url.path)
    if not relative or relative.startswith(("/", "\\")) or "\0" in relative:
        return None, "is an absolute path: only images saved beside the manuscript are read"
    folder = source.parent.resolve()
    candidate = folder / relative
    try:
        real = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None, "was not found beside the manuscript"
    if not real.is_relative_to(folder):
        return None, "is outside the manuscript's folder: it was not read"
    if not stat.S_ISREG(os.stat(real).st_mode):
        return None, "is not a regular file: it was not read"
    return real, ""
