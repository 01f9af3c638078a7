"""SVG figures judged by an allow-list, parsed without entities, DTDs or network.

An SVG is a document that can script, animate links into `javascript:`, import stylesheets
and pull files from elsewhere, and an EPUB carries it as it is. Patterns over its text miss
namespaced tags (`svg:script`), entity-encoded URLs and `<set>`; so it is parsed, and only
the static drawing vocabulary below is accepted. Anything else is named, never shipped.
"""
from __future__ import annotations

import re

from lxml import etree

from ..cssurls import fetched_urls

SVG_NS, XLINK_NS, XHTML_NS = "http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink", "http://www.w3.org/1999/xhtml"
MAX_BYTES = 5_000_000  # a drawing for a page; a 23 MB SVG took minutes and gigabytes to lay out
MAX_ELEMENTS = 50_000

ELEMENTS = frozenset("""
    svg g defs symbol use path rect circle ellipse line polyline polygon text tspan textPath title desc metadata
    clipPath mask pattern linearGradient radialGradient stop image marker style switch filter
    feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix feDiffuseLighting feDisplacementMap
    feDistantLight feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR feGaussianBlur feImage feMerge feMergeNode
    feMorphology feOffset fePointLight feSpecularLighting feSpotLight feTile feTurbulence
""".split())
LOCAL_REFERENCE = re.compile(r"^\s*#")
EMBEDDED_RASTER = re.compile(r"^\s*data:image/(?:png|jpeg|gif|webp)[;,]", re.I)
URL_IN_VALUE = re.compile(r"url\s*\(\s*['\"]?\s*([^'\")\s]*)", re.I)


def svg_problems(data: bytes) -> list[str]:
    """What in this SVG would run, animate, or fetch something; [] when it is a plain drawing."""
    if len(data) > MAX_BYTES:
        return [f"is {len(data):,} bytes; an SVG figure may have at most {MAX_BYTES:,}"]
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return [f"is not well-formed XML ({exc})"]
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.system_url or b"<!ENTITY" in data:
        return ["declares a DOCTYPE or entities (they can expand without end or read other files)"]
    if etree.QName(root).localname != "svg" or etree.QName(root).namespace != SVG_NS:
        return ["is not an SVG document (its root is not <svg> in the SVG namespace)"]
    problems: list[str] = []
    count = 0
    for el in root.iter():
        count += 1
        if count > MAX_ELEMENTS:
            return [f"has more than {MAX_ELEMENTS:,} elements; simplify the drawing or export it as PNG"]
        if not isinstance(el.tag, str):
            if isinstance(el, etree._Entity):
                problems.append(f"uses the entity &{el.name};")
            continue
        name = etree.QName(el)
        if name.namespace == SVG_NS and name.localname not in ELEMENTS:
            problems.append(f"has the element <{name.localname}>")
        elif name.namespace in (XHTML_NS, None):
            problems.append(f"has the element <{name.localname}> outside the SVG vocabulary")
        if name.namespace == SVG_NS and name.localname == "style":
            problems += [f"<style> loads {url[:60]}" for _, url in fetched_urls(el.text or "")
                         if not LOCAL_REFERENCE.match(url)]
        for attr, value in el.attrib.items():
            local = etree.QName(attr).localname.lower()
            if local.startswith("on"):
                problems.append(f"has the event handler {local}= on <{name.localname}>")
            elif local == "href":
                if not (LOCAL_REFERENCE.match(value) or (name.localname == "image" and EMBEDDED_RASTER.match(value))):
                    problems.append(f"<{name.localname}> links to {value.strip()[:60]!r}")
            elif local == "style":
                problems += [f"style= on <{name.localname}> loads {url[:60]}" for _, url in
                             fetched_urls(f"x{{{value}}}") if not LOCAL_REFERENCE.match(url)]
            elif "url" in value.lower():
                problems += [f"{local}= on <{name.localname}> points to {url[:60]}" for url in URL_IN_VALUE.findall(value)
                             if not LOCAL_REFERENCE.match(url)]
    return list(dict.fromkeys(problems))
