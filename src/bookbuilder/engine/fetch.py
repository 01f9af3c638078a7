"""WeasyPrint may read only local files inside the book, the house style and the font folder.

Relies on (WeasyPrint 70.0; tests/test_engine_contracts.py checks each): the documented
`weasyprint.urls.URLFetcher` class (WeasyPrint 68 and later; `weasyprint.URLFetcher`),
its `allowed_protocols` argument and its `fetch(url, headers=None)` method, which
WeasyPrint calls for every resource when a fetcher instance is given as `url_fetcher`.
This is a documented hook, not a patch; before WeasyPrint 68 a fetcher was a function
(`default_url_fetcher`), and this class would have to become one.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint.urls import URLFetcher


class LocalOnlyFetcher(URLFetcher):
    """`aliases` serve a prepared file (e.g. a greyscale copy in the scratch folder) under a stable URL:
    WeasyPrint names images by the hash of their URL, so a random scratch path would change every build."""

    def __init__(self, roots: list[Path], aliases: dict[str, Path] | None = None):
        super().__init__(allowed_protocols={"file", "data"})
        self.roots = [Path(r).resolve() for r in roots]
        self.aliases = aliases if aliases is not None else {}
        self.refused: list[tuple[str, str]] = []

    def fetch(self, url, headers=None):
        if url in self.aliases:
            return super().fetch(self.aliases[url].as_uri(), headers)
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
