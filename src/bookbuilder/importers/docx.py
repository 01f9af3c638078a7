"""A contributor's Word file → a `Draft`, through mammoth's semantic HTML.

Word's paragraph styles carry the meaning: Title, Subtitle, Quote/Intense Quote (block
quotations; at the head, with a "— Author" line, epigraphs), Caption (under an image).
Images are written into the book's images/ folder as they are met. The title and author
come from the document (its Title paragraph, a "By …" line, else its core properties).
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import mammoth
from lxml import etree, html as lxml_html

from . import Draft
from .markup import article_to_draft, text_of

STYLE_MAP = """
p[style-name='Title'] => h1.doc-title:fresh
p[style-name='Subtitle'] => p.doc-subtitle:fresh
p[style-name='Quote'] => blockquote > p:fresh
p[style-name='Intense Quote'] => blockquote > p:fresh
p[style-name='Block Text'] => blockquote > p:fresh
p[style-name='Epigraph'] => blockquote > p:fresh
p[style-name='Caption'] => p.caption:fresh
"""
EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/svg+xml": ".svg"}
DEFAULT_AUTHORS = {"", "python-docx", "author", "user", "microsoft office user", "unknown"}


def core_properties(source: Path) -> dict[str, str]:
    """dc:title and dc:creator from docProps/core.xml (parsed without DTDs, entities or network)."""
    with zipfile.ZipFile(source) as z:
        if "docProps/core.xml" not in z.namelist():
            return {}
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        root = etree.fromstring(z.read("docProps/core.xml"), parser)
    out = {}
    for el in root:
        if isinstance(el.tag, str) and (el.text or "").strip():
            out[etree.QName(el).localname] = el.text.strip()
    return out


def read_docx(source: Path, images_dir: Path, slug: str) -> Draft:
    draft = Draft()
    saved: list[str] = []

    def save_image(image) -> dict:
        ext = EXTENSIONS.get(image.content_type, ".bin")
        name = f"{slug}-{len(saved) + 1}{ext}"
        with image.open() as data:
            (images_dir / name).write_bytes(data.read())
        saved.append(name)
        return {"src": f"../images/{name}"}

    with source.open("rb") as f:
        result = mammoth.convert_to_html(f, style_map=STYLE_MAP, convert_image=mammoth.images.img_element(save_image))
    for message in result.messages:
        draft.attention.append(f"Word: {message.message}")
    root = lxml_html.fragment_fromstring(result.value or "<p></p>", create_parent="div")

    props = core_properties(source)
    title_el = root.find(".//h1[@class='doc-title']")
    if title_el is None:
        title_el = root.find(".//h1")
    if title_el is not None:
        draft.title = text_of(title_el)
        title_el.getparent().remove(title_el)
    else:
        draft.title = props.get("title", "")
    sub = root.find(".//p[@class='doc-subtitle']")
    if sub is not None:
        draft.subtitle = text_of(sub)
        sub.getparent().remove(sub)
    elif ": " in draft.title:
        draft.title, draft.subtitle = (x.strip() for x in draft.title.split(": ", 1))
    first = next((c for c in root if text_of(c)), None)
    if first is not None and first.tag == "p" and re.match(r"^by\s+\S", text_of(first), re.I):
        draft.authors = [a.strip() for a in re.split(r",| and ", text_of(first)[3:]) if a.strip()]
        root.remove(first)
    elif props.get("creator", "").lower() not in DEFAULT_AUTHORS:
        draft.authors = [props["creator"]]
        draft.recognised.append("author from the document's properties")
    if not draft.authors:
        draft.attention.append("no author found: add author: to the front matter (or import with --author)")

    def image_path(img) -> str | None:
        src = img.get("src") or ""
        return src if src.startswith("../images/") else None

    article_to_draft(root, draft, image_path, slug)
    return draft
