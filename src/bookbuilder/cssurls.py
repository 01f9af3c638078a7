"""Every address a stylesheet makes a renderer fetch, read with a real CSS tokenizer (tinycss2).

Patterns over the text miss what CSS allows: escapes (`url("ht\\74 p://…")`), comments between
tokens (`@import/**/"http://…"`), strings inside `image-set()` or `src()`. The tokenizer
undoes all of that first, so what is checked is what a renderer would read.
"""
from __future__ import annotations

import re

import tinycss2

REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//|\\\\)", re.I)  # a scheme, a network path, a UNC path
URL_FUNCTIONS = {"url", "src", "image", "image-set", "-webkit-image-set", "cross-fade", "element"}


def fetched_urls(css: str) -> list[tuple[int, str]]:
    """(line, address) of every url(), string in a URL-taking function, and @import in `css`."""
    found: list[tuple[int, str]] = []
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    stack: list = list(rules)
    while stack:
        node = stack.pop()
        kind = getattr(node, "type", None)
        if kind == "url":
            found.append((node.source_line, node.value))
        elif kind == "at-rule":
            if node.lower_at_keyword == "import":
                found += [(t.source_line, t.value) for t in node.prelude if t.type in ("string", "url")]
            stack += list(node.prelude) + list(node.content or [])
        elif kind == "qualified-rule":
            stack += list(node.prelude) + list(node.content or [])
        elif kind == "function":
            if node.lower_name in URL_FUNCTIONS:
                found += [(t.source_line, t.value) for t in node.arguments if t.type == "string"]
            stack += list(node.arguments)
        elif kind in ("() block", "[] block", "{} block"):
            stack += list(node.content)
        elif kind == "declaration":
            stack += list(node.value)
    return sorted(found)


def remote_urls(css: str) -> list[tuple[int, str]]:
    """The fetched addresses that lead outside: anything with a scheme but data:, and network paths."""
    return [(line, url) for line, url in fetched_urls(css)
            if REMOTE.match(url) and not url.strip().lower().startswith("data:")]
