"""File sizes as people read them: the build's summary and the release's download page say the same."""
from __future__ import annotations


def human_size(n: int, units=("bytes", "KB", "MB", "GB"), decimal_mark: str = ".") -> str:
    """'812 bytes', '1.4 MB'; the units and decimal mark of the release page's language ('1,4 Mo')."""
    for i, unit in enumerate(units):
        if n < 1024 or i == len(units) - 1:
            return f"{n} {unit}" if i == 0 else f"{n:.1f} {unit}".replace(".", decimal_mark)
        n /= 1024
    return str(n)
