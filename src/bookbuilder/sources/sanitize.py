"""Raw HTML in Markdown, cut down to an allow-list of tags and attributes.

Python-Markdown passes raw HTML through, and an EPUB with a <script> or an `onclick`
becomes scripted content that reading systems may run. An allow-list is used because
a deny-list misses whatever it did not think of. Anything outside it is removed here
(so nothing unsafe can reach an edition) and returned as a finding; the loaders report
each finding as a source error naming the file and line, because removing an editor's
text silently would change the book without telling them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

# Tags Python-Markdown, its extensions and ordinary prose use.
ALLOWED_TAGS = frozenset("""
    p br hr h1 h2 h3 h4 h5 h6 em strong i b u s del ins mark small sub sup cite q abbr dfn code kbd samp var
    pre span div blockquote ul ol li dl dt dd table thead tbody tfoot tr th td caption colgroup col a img
    figure figcaption aside section time bdi bdo ruby rt rp wbr
""".split())
# Tags removed with everything inside them: active content, embedded documents, forms, page-level elements.
DROPPED_TAGS = frozenset("""
    script style iframe frame frameset object embed applet form input button select textarea option optgroup
    label fieldset link meta base svg math template noscript audio video source track canvas portal dialog
    head title html body
""".split())
GLOBAL_ATTRS = frozenset("id class lang xml:lang title dir role style".split())
TAG_ATTRS = {
    "a": {"href"}, "img": {"src", "alt", "width", "height"}, "ol": {"start", "type", "reversed"},
    "td": {"colspan", "rowspan", "align"}, "th": {"colspan", "rowspan", "align", "scope"},
    "col": {"span"}, "colgroup": {"span"}, "blockquote": {"cite"}, "q": {"cite"}, "time": {"datetime"},
    "del": {"datetime"}, "ins": {"datetime"},
}
MAX_DEPTH = 90  # elements inside each other; WeasyPrint recurses per level and fails near 150
SAFE_LINK = re.compile(r"^(?:https?:|mailto:|#|[^:]*$)", re.I)  # a web or mail link, or no scheme at all
UNSAFE_STYLE = re.compile(r"url\s*\(|expression\s*\(|@import|behavior\s*:|-moz-binding|\\", re.I)


@dataclass(frozen=True)
class Removed:
    """What was taken out, and a piece of source text to find its line by."""

    what: str
    needle: str

    def __str__(self) -> str:
        return self.what


def _scrub_attrs(el: etree._Element, found: list[Removed]) -> None:
    allowed = GLOBAL_ATTRS | TAG_ATTRS.get(el.tag, set())
    for name, value in list(el.attrib.items()):
        low = name.lower()
        if low.startswith("on"):
            found.append(Removed(f"event-handler attribute {name}= on <{el.tag}> (scripts are not allowed)", name))
        elif low not in allowed:
            found.append(Removed(f"attribute {name}= on <{el.tag}> is not allowed", name))
        elif low == "href" and not SAFE_LINK.match(value.strip()):
            found.append(Removed(f"link to {value.strip()[:40]!r} is not allowed (only http, https and mailto)",
                                 value.strip()[:20]))
        elif low == "style" and UNSAFE_STYLE.search(value):
            found.append(Removed(f"style={value[:40]!r} on <{el.tag}> loads or runs something", "style"))
        else:
            continue
        del el.attrib[name]


def sanitize(root: etree._Element) -> list[Removed]:
    """Remove from `root`'s descendants every tag and attribute not on the allow-list; say what went."""
    found: list[Removed] = []
    for el in list(root.iterdescendants()):
        if not isinstance(el.tag, str):  # comments and processing instructions
            if el.getparent() is not None:
                el.drop_tree() if hasattr(el, "drop_tree") else el.getparent().remove(el)
            continue
        tag = el.tag.lower()
        if tag in DROPPED_TAGS:
            found.append(Removed(f"<{tag}> is not allowed in an essay (raw HTML: {_why(tag)})", f"<{tag}"))
            el.drop_tree()
            continue
        if tag not in ALLOWED_TAGS:
            found.append(Removed(f"<{tag}> is not an allowed HTML tag", f"<{tag}"))
            el.drop_tag()
            continue
        _scrub_attrs(el, found)
    too_deep = [el for el, depth in _walk(root) if depth > MAX_DEPTH]
    if too_deep:
        found.append(Removed(f"tags nested more than {MAX_DEPTH} deep (are raw HTML tags left open?)",
                             f"<{too_deep[0].tag}"))
        for el in reversed(too_deep):
            el.drop_tag()
    return found


def _walk(root: etree._Element):
    """Every element below `root` with its depth, without recursion (the tree may be hostile)."""
    stack = [(child, 1) for child in reversed(root) if isinstance(child.tag, str)]
    while stack:
        el, depth = stack.pop()
        yield el, depth
        stack.extend((child, depth + 1) for child in reversed(el) if isinstance(child.tag, str))


def _why(tag: str) -> str:
    if tag in ("script", "noscript", "template"):
        return "scripts never go into the book"
    if tag in ("form", "input", "button", "select", "textarea", "option", "optgroup", "label", "fieldset"):
        return "forms cannot work in print or in an EPUB"
    if tag in ("iframe", "frame", "frameset", "object", "embed", "applet", "portal", "audio", "video",
               "source", "track", "canvas", "svg", "math"):
        return "embedded content is loaded from elsewhere or runs code"
    return "it belongs to the page, not to an essay"


def line_of(needle: str, lines: list[str], first_line: int) -> int:
    """First line in `lines` containing `needle` (case-insensitive), numbered from `first_line`."""
    low = needle.lower()
    for n, line in enumerate(lines, first_line):
        if low in line.lower():
            return n
    return first_line
