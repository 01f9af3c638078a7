"""Raw HTML in Markdown, cut down to an allow-list of tags and attributes by nh3.

Python-Markdown passes raw HTML through, and an EPUB with a <script> or an `onclick`
becomes scripted content that reading systems may run. The cutting is nh3's (the
maintained, Rust-backed allow-list sanitizer ammonia): a hand-written list misses what
it did not think of. No `style` attribute is allowed — a book's look is its stylesheet's,
and CSS in an attribute can load things (`url(…)`) that a deny-list would have to foresee —
except the exact column alignments Python-Markdown's tables write on their cells
(`style="text-align: right;"`), allowed by value, not parsed.

What nh3 removed is found by comparing the tree before and after, and returned as
findings; the loaders report each as a source error naming the file and line, because
removing an editor's text silently would change the book without telling them.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import nh3
from lxml import etree
from lxml import html as lxml_html

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
GLOBAL_ATTRS = frozenset("id class lang xml:lang title dir role".split())
TAG_ATTRS = {
    "a": {"href"}, "img": {"src", "alt", "width", "height"}, "ol": {"start", "type", "reversed"},
    "td": {"colspan", "rowspan", "align"}, "th": {"colspan", "rowspan", "align", "scope"},
    "col": {"span"}, "colgroup": {"span"}, "blockquote": {"cite"}, "q": {"cite"}, "time": {"datetime"},
    "del": {"datetime"}, "ins": {"datetime"},
}
# The only style values let through, each whole: a Markdown table's column alignment (`|--:|`).
CELL_ALIGNMENTS = frozenset(f"text-align: {side};" for side in ("left", "right", "center"))
ALLOWED_VALUES = {tag: {"style": set(CELL_ALIGNMENTS)} for tag in ("th", "td")}
URL_SCHEMES = frozenset({"http", "https", "mailto"})  # and links without a scheme (relative, #anchors)
URL_ATTRS = frozenset({"href", "src", "cite"})
MAX_DEPTH = 90  # elements inside each other; WeasyPrint recurses per level and fails near 150

CLEANER = nh3.Cleaner(tags=set(ALLOWED_TAGS), clean_content_tags=set(DROPPED_TAGS),
                      attributes={"*": set(GLOBAL_ATTRS), **{tag: set(names) for tag, names in TAG_ATTRS.items()}},
                      tag_attribute_values=ALLOWED_VALUES, url_schemes=set(URL_SCHEMES), link_rel=None,
                      strip_comments=True)


@dataclass(frozen=True)
class Removed:
    """What was taken out, and a piece of source text to find its line by."""

    what: str
    needle: str

    def __str__(self) -> str:
        return self.what


def sanitize(root: etree._Element) -> list[Removed]:
    """Cut `root`'s descendants to the allow-list (in place); say what went, in document order."""
    found = _flatten_deep(root)
    before = _inventory(root)
    cleaned = lxml_html.fragment_fromstring(CLEANER.clean(_serialise(root)), create_parent="div")
    after = Counter(_inventory(cleaned))
    for item in before:
        if after[item]:
            after[item] -= 1
        else:
            found.append(_removed(*item))
    root.text = cleaned.text
    root[:] = list(cleaned)
    return found


VOID_TAGS = frozenset("area base br col embed hr img input link meta source track wbr".split())


def _serialise(root: etree._Element) -> str:
    """The tree as markup nh3's HTML parser reads back as the same tree. XML syntax, because lxml's HTML
    serialiser percent-escapes links (`2 deux.md` → `2%20deux.md`); no element written `<p/>`, which an HTML
    parser would read as an open tag."""
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag not in VOID_TAGS and el.text is None and not len(el):
            el.text = ""
    return (root.text or "") + "".join(etree.tostring(c, encoding="unicode", method="xml", with_tail=True)
                                       for c in root)


def _inventory(root: etree._Element) -> list[tuple]:
    """Each tag and attribute below `root`, in document order; nothing inside a tag dropped with its content,
    and no attribute of a tag that is not allowed (the tag's removal says enough)."""
    items: list[tuple] = []
    stack = [child for child in reversed(root)]
    while stack:
        el = stack.pop()
        if not isinstance(el.tag, str):  # comments and processing instructions go without a word
            continue
        tag = el.tag.lower()
        items.append((tag,))
        if tag in DROPPED_TAGS:
            continue
        if tag in ALLOWED_TAGS or tag in ALLOWED_VALUES:
            items += [(tag, name, value) for name, value in el.attrib.items()]
        stack.extend(reversed([child for child in el]))
    return items


def _removed(tag: str, name: str | None = None, value: str = "") -> Removed:
    if name is None:
        if tag in DROPPED_TAGS:
            return Removed(f"<{tag}> is not allowed in an essay (raw HTML: {_why(tag)})", f"<{tag}")
        if tag in ALLOWED_TAGS:  # an HTML parser drops a <td> outside a table, for one
            return Removed(f"<{tag}> stands where HTML does not allow it, so its tag went (its text stays)",
                           f"<{tag}")
        return Removed(f"<{tag}> is not an allowed HTML tag", f"<{tag}")
    low = name.lower()
    if low.startswith("on"):
        return Removed(f"event-handler attribute {name}= on <{tag}> (scripts are not allowed)", name)
    if low == "style":
        return Removed(f"style={value[:40]!r} on <{tag}> is not allowed (the book's stylesheet sets its look)",
                       "style")
    if low in URL_ATTRS and low in GLOBAL_ATTRS | TAG_ATTRS.get(tag, set()):
        return Removed(f"link to {value.strip()[:40]!r} is not allowed (only http, https and mailto)",
                       value.strip()[:20])
    return Removed(f"attribute {name}= on <{tag}> is not allowed", name)


def _flatten_deep(root: etree._Element) -> list[Removed]:
    """Tags nested deeper than MAX_DEPTH lose their tags (their text stays): WeasyPrint, and a recursive
    sanitizer, would not survive them."""
    too_deep = [el for el, depth in _walk(root) if depth > MAX_DEPTH]
    if not too_deep:
        return []
    for el in reversed(too_deep):
        el.drop_tag()
    return [Removed(f"tags nested more than {MAX_DEPTH} deep (are raw HTML tags left open?)",
                    f"<{too_deep[0].tag}")]


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
