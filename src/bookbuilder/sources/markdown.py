"""Python-Markdown, configured once for the house source format.

Smart quotes and dashes become Unicode characters, footnotes get predictable ids,
`attr_list` carries `lang`, `/// aside | call-to-action` makes an <aside>, and
`/// signature` and `/// dateline` a closing or heading name, place and date.
"""
from __future__ import annotations

import threading
import xml.etree.ElementTree as etree
from functools import lru_cache

import markdown
from lxml import etree as lxml_etree
from markdown.inlinepatterns import SubstituteTagInlineProcessor
from pymdownx.blocks import BlocksExtension
from pymdownx.blocks.block import Block

from .sanitize import Removed, sanitize
from .structure import parse_fragment, serialise

SMARTY_UNICODE = {
    "left-single-quote": "‘", "right-single-quote": "’", "left-double-quote": "“",
    "right-double-quote": "”", "ndash": "–", "mdash": "—", "ellipsis": "…",
    "left-angle-quote": "«", "right-angle-quote": "»",
}
# Straight double quotes typed in the source become the language's quotation marks (French: « », spaced by
# transforms/typography.py). Single quotes stay ‘ ’: smartypants writes ’ for apostrophes too, so a German
# closing ‘ cannot be told from one. Quotation marks the author typed are never changed.
DOUBLE_QUOTES = {"fr": ("«", "»"), "es": ("«", "»"), "it": ("«", "»"), "de": ("„", "“")}


def quote_style(lang: str) -> str:
    base = (lang or "en").split("-")[0].lower()
    return base if base in DOUBLE_QUOTES else "en"


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


class BackslashBreakExtension(markdown.Extension):
    """A backslash at the end of a line is a hard line break, as in CommonMark (verse is often written so).

    Python-Markdown knows only the two trailing spaces; without this the backslash was printed
    and the verse ran on as one line.
    """

    def extendMarkdown(self, md):
        # before "escape" (180), which would otherwise leave the backslash as it is
        md.inlinePatterns.register(SubstituteTagInlineProcessor(r"(?<!\\)\\\n", "br"), "backslash_break", 185)


def new_converter(lang: str = "en") -> markdown.Markdown:
    substitutions = dict(SMARTY_UNICODE)
    if quote_style(lang) in DOUBLE_QUOTES:
        substitutions["left-double-quote"], substitutions["right-double-quote"] = DOUBLE_QUOTES[quote_style(lang)]
    return markdown.Markdown(
        extensions=["footnotes", "smarty", "attr_list", "tables", "def_list", "abbr", "sane_lists",
                    AsideExtension(), BackslashBreakExtension()],
        extension_configs={
            "footnotes": {"SEPARATOR": "-", "BACKLINK_TEXT": ""},
            "smarty": {"substitutions": substitutions, "smart_angled_quotes": False},
        },
        output_format="xhtml",
    )


_local = threading.local()  # a converter keeps state while it converts: the checks' threads each need their own


def to_raw_html(text: str, lang: str = "en") -> str:
    """Block Markdown → HTML fragment, raw HTML included. One converter per quote style and thread is reused
    (reset clears notes); two threads sharing one mixed each other's stashed quotes into the text."""
    return converted(text, quote_style(lang))


@lru_cache(maxsize=4096)
def converted(text: str, style: str) -> str:
    """A text converted once per process: `serve` rebuilds after each edit, and the essays not edited (their
    notes, epigraphs and titles) convert to the same HTML; Python-Markdown was most of the rebuild's reading."""
    converters = _local.__dict__.setdefault("converters", {})
    if style not in converters:
        converters[style] = new_converter(style)
    converter = converters[style]
    converter.reset()
    return converter.convert(text)


def to_tree_checked(text: str, lang: str = "en") -> tuple[lxml_etree._Element, list[Removed]]:
    """Block Markdown → the fragment's tree (a `parse_fragment` holder) cut to the allow-list, and what was removed.

    An essay's body stays this tree until an edition writes it: parsing it again would cost a parse per step."""
    raw = to_raw_html(text, lang)
    root = parse_fragment(raw)  # always: attribute lists ({: onclick=… }) write attributes without a "<"
    removed = sanitize(root)
    return root, removed


def to_html_checked(text: str, lang: str = "en") -> tuple[str, list[Removed]]:
    """Block Markdown → HTML fragment cut to the allow-list, and what was removed."""
    root, removed = to_tree_checked(text, lang)
    return serialise(root), removed


def to_html(text: str, lang: str = "en") -> str:
    """Block Markdown → safe HTML fragment (see sanitize.py)."""
    return to_html_checked(text, lang)[0]


def to_inline_html(text: str, lang: str = "en") -> str:
    """A line of Markdown (a title, an attribution) → inline HTML without the <p>."""
    html = to_html(text.strip(), lang)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html
