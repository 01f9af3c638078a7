"""EPUB content check: the package is not scripted content and points at nothing outside itself.

The sources stage already cuts raw HTML to an allow-list; this looks at what was actually
packaged, so a book's own template override or a future edition bug cannot ship a
<script>, an event handler or a remote resource that a reading system would run or fetch.
"""
from __future__ import annotations

import re
import zipfile

from lxml import etree

from ..editions import Rendered
from ..cssurls import remote_urls
from ..sources.svg import svg_problems
from . import Finding

ACTIVE_TAGS = {"script", "iframe", "object", "embed", "form", "frame", "applet", "portal"}
REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)
FETCHED_ATTRS = ("src", "data", "poster")  # what a reading system loads by itself (links wait for a tap)


def scripted_content(name: str, data: bytes) -> list[str]:
    """What in one XHTML document would run code or load something from outside the package."""
    found: list[str] = []
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        return [f"{name} is not well-formed XHTML ({exc})"]
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        tag = etree.QName(el).localname
        if tag in ACTIVE_TAGS:
            found.append(f"{name} contains <{tag}>")
        for attr, value in el.attrib.items():
            local = etree.QName(attr).localname.lower()
            if local.startswith("on"):
                found.append(f"{name}: <{tag}> has the event handler {local}=")
            elif local in FETCHED_ATTRS and REMOTE.match(value.strip()) and not value.startswith("data:"):
                found.append(f"{name}: <{tag} {local}> loads {value[:60]} from outside the package")
            elif local == "href" and value.strip().lower().startswith(("javascript:", "vbscript:")):
                found.append(f"{name}: <{tag}> links to a script")
    return found


def check_epub_content(rendered: Rendered, book=None) -> list[Finding]:
    findings = []
    with zipfile.ZipFile(rendered.path) as z:
        for name in z.namelist():
            if name.endswith((".xhtml", ".html")):
                findings += [Finding("epub", f"scripted content: {m}") for m in scripted_content(name, z.read(name))]
            elif name.lower().endswith(".svg"):
                findings += [Finding("epub", f"active content: {name} {m}") for m in svg_problems(z.read(name))]
            elif name.endswith(".css"):
                findings += [Finding("epub", f"{name}:{line} loads {url[:60]} from outside the package")
                             for line, url in remote_urls(z.read(name).decode("utf-8", "replace"))]
    return findings
