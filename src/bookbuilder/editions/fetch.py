"""WeasyPrint may read only local files inside the book, the house style and the font folder."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint.urls import URLFetcher


class LocalOnlyFetcher(URLFetcher):
    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols={"file", "data"})
        self.roots = [Path(r).resolve() for r in roots]
        self.refused: list[tuple[str, str]] = []

    def fetch(self, url, headers=None):
        parsed = urlparse(url)
        if parsed.scheme == "file":
            path = Path(unquote(parsed.path)).resolve()
            if not any(path.is_relative_to(r) for r in self.roots):
                self.refused.append((url, "outside the book folder"))
                raise ValueError(f"refused (outside the book folder): {url}")
        elif parsed.scheme != "data":
            self.refused.append((url, "remote resources are never fetched"))
            raise ValueError(f"refused (remote): {url}")
        return super().fetch(url, headers)
