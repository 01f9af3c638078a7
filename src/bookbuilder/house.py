"""Where the house style lives: `styles/` inside the installed package, or the checkout's own `styles/`."""
from __future__ import annotations

from pathlib import Path


def house_dir() -> Path:
    installed = Path(__file__).parent / "styles"
    return installed if installed.is_dir() else Path(__file__).resolve().parents[2] / "styles"
