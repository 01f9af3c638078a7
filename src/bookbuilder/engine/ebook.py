"""ebooklib, the EPUB packager: its public classes, and the one writer that goes beyond them.

`epub` is ebooklib's public module (EpubBook, EpubHtml, EpubItem, EpubNav, EpubNcx, Link,
Section): the EPUB edition builds its package with it through here, so there is one place
that names the engine.

`BookWriter` is ebooklib's EpubWriter with three changes ebooklib 0.20 has no option for.
Relies on (EbookLib 0.20; tests/test_engine_contracts.py checks each):
- `EpubWriter.write()` writes through `self.out` (a `zipfile.ZipFile`) by calling the private
  `_write_container()`, `_write_opf()` and `_write_items()`, and only `writestr` on it: our
  `write()` opens a ZipFile that dates every entry from the book (not the clock), with
  the same calls in the same order. Upstream fix: a `mtime` (or SOURCE_DATE_EPOCH) option
  for the zip entries;
- `_write_opf_file(root)` (private) receives the `<package>` element before it is written:
  we set `xml:lang` on it. Upstream fix: a package-language option;
- `_get_nav(item)` (private) returns the nav document's bytes: `edit_nav(root, file_name)`
  may change its tree (our page list, made only of the print edition's page breaks, and
  the page-break markers of the printed contents page). Upstream fix: a hook, or a page
  list taken from the book rather than from every `epub:type="pagebreak"` in the text.
"""
from __future__ import annotations

import zipfile
from typing import Callable

from ebooklib import epub
from lxml import etree

__all__ = ["epub", "BookWriter", "EPUB_NS"]

EPUB_NS = "http://www.idpf.org/2007/ops"  # the epub: namespace (EPUB 3 §2.5)


class DatedZip(zipfile.ZipFile):
    """A zip whose `writestr` entries all carry one date and plain file permissions (reproducible builds)."""

    def __init__(self, file, stamp: tuple[int, int, int, int, int, int]):
        super().__init__(file, "w", zipfile.ZIP_DEFLATED)
        self.stamp = stamp

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        name = zinfo_or_arcname if isinstance(zinfo_or_arcname, str) else zinfo_or_arcname.filename
        info = zipfile.ZipInfo(name, date_time=self.stamp)
        info.compress_type = zipfile.ZIP_DEFLATED if compress_type is None else compress_type
        info.external_attr = 0o644 << 16
        return super().writestr(info, data, compress_type=compress_type, compresslevel=compresslevel)


class BookWriter(epub.EpubWriter):
    """ebooklib's writer: entries dated `options["mtime"]`, `xml:lang` on the package, a nav we may edit.

    `language` goes on the package; `edit_nav(root, file_name)`, when set, changes the nav
    document's tree (lxml, XHTML namespace) before it is written.
    """

    language: str = "en"
    edit_nav: Callable[[etree._Element, str], None] | None = None

    def _write_opf_file(self, root):
        root.set("{http://www.w3.org/XML/1998/namespace}lang", self.language)
        super()._write_opf_file(root)

    def _get_nav(self, item):
        if self.edit_nav is None:
            return super()._get_nav(item)
        root = etree.fromstring(super()._get_nav(item))
        self.edit_nav(root, item.file_name)
        return etree.tostring(root, pretty_print=True, encoding="utf-8", xml_declaration=True)

    def write(self):
        stamp = self.options["mtime"].timetuple()[:6]  # reproducible.build_timestamp keeps it within 1980–2099
        self.out = DatedZip(self.file_name, stamp)
        self.out.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        self._write_container()
        self._write_opf()
        self._write_items()
        self.out.close()
