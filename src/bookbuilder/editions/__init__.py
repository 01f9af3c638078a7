"""Editions: each a small object with a name and `render(context)`; all read the same Book."""
from __future__ import annotations

from .base import Edition, FlowingEdition, PagedEdition, RenderContext, Rendered
from .cover import CoverEdition
from .epub import EpubEdition
from .print import PrintEdition
from .screen import ScreenEdition
from .web import WebEdition

EDITIONS: dict[str, type[Edition]] = {
    "print": PrintEdition,
    "screen": ScreenEdition,
    "cover": CoverEdition,
    "epub": EpubEdition,
    "web": WebEdition,
}

__all__ = ["EDITIONS", "Edition", "FlowingEdition", "PagedEdition", "RenderContext", "Rendered"]
