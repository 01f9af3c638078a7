"""File sizes as people read them: the build's summary and the release's download page say the same."""
from __future__ import annotations


def bytes_of(path) -> int:
    """A file's size, or a folder's (the web edition): every file in it."""
    from pathlib import Path
    path = Path(path)
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else path.stat().st_size


def human_size(n: int, units=("bytes", "KB", "MB", "GB"), decimal_mark: str = ".") -> str:
    """'812 bytes', '1.4 MB'; the units and decimal mark of the release page's language ('1,4 Mo')."""
    for i, unit in enumerate(units):
        if n < 1024 or i == len(units) - 1:
            return f"{n} {unit}" if i == 0 else f"{n:.1f} {unit}".replace(".", decimal_mark)
        n /= 1024
    return str(n)
