"""Python-Markdown, configured once for the house source format.

Smart quotes and dashes become Unicode characters, footnotes get predictable ids,
`attr_list` carries `lang`, `/// aside | call-to-action` makes an <aside>, and
`/// signature` and `/// dateline` a closing or heading name, place and date.
"""
from __future__ import annotations

import xml.etree.ElementTree as etree

import markdown
from pymdownx.blocks import BlocksExtension
from pymdownx.blocks.block import Block

from .sanitize import Removed, sanitize
from .structure import outer_html, parse_fragment

SMARTY_UNICODE = {
    "left-single-quote": "‘", "right-single-quote": "’", "left-double-quote": "“",
    "right-double-quote": "”", "ndash": "–", "mdash": "—", "ellipsis": "…",
    "left-angle-quote": "«", "right-angle-quote": "»",
}


class AsideBlock(Block):
    """`/// aside | call-to-action` … `///`: a closing call or editorial note, styled by class."""

    NAME = "aside"
    ARGUMENT = None

    def on_create(self, parent):
        kind = (self.argument or "editorial-note").strip().lower()
        return etree.SubElement(parent, "aside", {"class": kind})


class SignatureBlock(Block):
    """`/// signature` … `///`: the name, place and date that close a letter or preface, set right."""

    NAME = "signature"
    ARGUMENT = False

    def on_create(self, parent):
        return etree.SubElement(parent, "div", {"class": self.NAME})


class DatelineBlock(SignatureBlock):
    """`/// dateline` … `///`: the place and date that head (or end) a letter, set right."""

    NAME = "dateline"


class AsideExtension(BlocksExtension):
    def extendMarkdownBlocks(self, md, block_mgr):
        for block in (AsideBlock, SignatureBlock, DatelineBlock):
            block_mgr.register(block, self.getConfigs())


def new_converter() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["footnotes", "smarty", "attr_list", "tables", "def_list", "abbr", "sane_lists",
                    AsideExtension()],
        extension_configs={
            "footnotes": {"SEPARATOR": "-", "BACKLINK_TEXT": ""},
            "smarty": {"substitutions": SMARTY_UNICODE, "smart_angled_quotes": False},
        },
        output_format="xhtml",
    )


_converter: markdown.Markdown | None = None


def to_raw_html(text: str) -> str:
    """Block Markdown → HTML fragment, raw HTML included. One converter is reused (reset clears notes)."""
    global _converter
    if _converter is None:
        _converter = new_converter()
    _converter.reset()
    return _converter.convert(text)


def to_html_checked(text: str) -> tuple[str, list[Removed]]:
    """Block Markdown → HTML fragment cut to the allow-list, and what was removed."""
    raw = to_raw_html(text)
    if "<" not in text and ":" not in text:
        return raw, []  # nothing raw, no link schemes: Markdown alone writes only allowed HTML
    root = parse_fragment(raw)
    removed = sanitize(root)
    return (root.text or "") + outer_html(root), removed


def to_html(text: str) -> str:
    """Block Markdown → safe HTML fragment (see sanitize.py)."""
    return to_html_checked(text)[0]


def to_inline_html(text: str) -> str:
    """A line of Markdown (a title, an attribution) → inline HTML without the <p>."""
    html = to_html(text.strip())
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html
