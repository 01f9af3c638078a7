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
from urllib.parse import quote, unquote, urlparse

from weasyprint.urls import URLFetcher

# Where WeasyPrint sees the book's folder. It names an image in the PDF by the hash of its URL:
# under the real path, the same book built from two folders would give two different PDFs.
BOOK_URL = "file:///book/"


def book_url(path: Path, root: Path) -> str:
    """The stable URL of a file of the book (an image); a file elsewhere keeps its own."""
    path = Path(path)
    if path.is_relative_to(root):
        return BOOK_URL + quote(path.relative_to(root).as_posix())
    return path.as_uri()


def file_of(url: str, book_root: Path | None) -> Path:
    """The file a file: URL names (a BOOK_URL one in the book's folder)."""
    if book_root is not None and url.startswith(BOOK_URL):
        return Path(book_root) / unquote(urlparse(url).path.removeprefix(urlparse(BOOK_URL).path))
    return Path(unquote(urlparse(url).path))


class LocalOnlyFetcher(URLFetcher):
    """`aliases` serve a prepared file (e.g. a greyscale copy in the scratch folder) under a stable URL:
    WeasyPrint names images by the hash of their URL, so a random scratch path would change every build."""

    def __init__(self, roots: list[Path], aliases: dict[str, Path] | None = None, book_root: Path | None = None):
        super().__init__(allowed_protocols={"file", "data"})
        self.book_root = Path(book_root) if book_root is not None else None  # what BOOK_URL stands for
        self.roots = [Path(r).resolve() for r in roots]
        self.aliases = aliases if aliases is not None else {}
        self.refused: list[tuple[str, str]] = []

    def path_of(self, url: str) -> Path:
        return file_of(url, self.book_root)

    def fetch(self, url, headers=None):
        if url in self.aliases:
            return super().fetch(self.aliases[url].as_uri(), headers)
        parsed = urlparse(url)
        if parsed.scheme == "file":
            path = self.path_of(url).resolve()
            url = path.as_uri()
            if not any(path.is_relative_to(r) for r in self.roots):
                self.refused.append((url, "outside the book folder"))
                raise ValueError(f"refused (outside the book folder): {url}")
        elif parsed.scheme != "data":
            self.refused.append((url, "remote resources are never fetched"))
            raise ValueError(f"refused (remote): {url}")
        return super().fetch(url, headers)
