"""A contributor's Word file → a `Draft`, through mammoth's semantic HTML.

Word's paragraph styles carry the meaning: Title, Subtitle, Author (the byline), Date,
Abstract (the standfirst), Quote/Intense Quote/Block Text (block quotations; at the head,
each with its "— Author" line, epigraphs), Caption/Image Caption (under an image). The
styles Word, LibreOffice, Google Docs and pandoc give ordinary text are read as paragraphs
without a warning. Images are written into the book's images/ folder as they are met. The
title and author come from the document (its Title paragraph, an Author paragraph or a
"By …" line, else its core properties).
"""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import mammoth
from lxml import etree, html as lxml_html

from . import Draft, tracked_changes_refused
from .markup import article_to_draft, inline, text_of
from .wordml import LANG_STYLE, prepare

FRONT_STYLES = {"Title": "h1.doc-title", "Subtitle": "p.doc-subtitle", "Author": "p.doc-author",
                "Byline": "p.doc-author", "Date": "p.doc-date", "Abstract": "p.doc-abstract",
                "Abstract Title": "p.doc-abstract-title"}
QUOTE_STYLES = ("Quote", "Intense Quote", "Block Text", "Epigraph", "Quotations", "Quotation")
CAPTION_STYLES = ("Caption", "Image Caption", "Figure", "Illustration", "Figure Caption")
# Styles for ordinary text (Word's, LibreOffice's, Google Docs', pandoc's): paragraphs, never a warning.
ORDINARY_STYLES = {"normal", "body text", "body text 2", "body text 3", "body text indent", "first paragraph",
                   "compact", "text body", "default", "default style", "standard", "list paragraph", "list",
                   "no spacing", "plain text", "normal (web)", "footnote text", "endnote text", "captioned figure",
                   "figure with caption", "table contents", "table heading", "frame contents", "hyperlink",
                   "internet link", "footnote reference", "endnote reference", "footnote characters", "footnote anchor",
                   "endnote characters", "endnote anchor", "footnote symbol", "endnote symbol",
                   "emphasis", "strong", "verbatim char", "section number", "source text", "block text char"}
STYLE_MAP = "\n".join(
    [f"p[style-name='{name}'] => {html}:fresh" for name, html in FRONT_STYLES.items()]
    + [f"p[style-name='{name}'] => blockquote > p:fresh" for name in QUOTE_STYLES]
    + [f"p[style-name='{name}'] => p.caption:fresh" for name in CAPTION_STYLES]
    + ["p[style-name='Captioned Figure'] => p.figure:fresh", "p[style-name='Figure with Caption'] => p.figure:fresh"]
    + [f"p[style-name='{name}'] => p.section-break:fresh" for name in ("Horizontal Line", "Section Break", "Separator")]
    + ["small-caps => span.smallcaps"])
UNRECOGNISED = re.compile(r"^Unrecognised (?:paragraph|run) style: (.*) \(Style ID: .*\)$")
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


BYLINE = re.compile(r"^by\s+(?=\S)", re.I)


def byline_names(byline: str) -> list[str]:
    """'By Ana Ruiz and Tomasz Wróbel' → the names."""
    return [a.strip() for a in re.split(r",| and | & ", BYLINE.sub("", byline)) if a.strip()]


DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%B %d, %Y", "%B %d %Y", "%d %b %Y", "%b %d, %Y")


def written_date(text: str) -> dt.date | None:
    """A date as writers type it in English ('2 May 2024', 'May 2, 2024', '2024-05-02'), or None."""
    for form in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text.strip().rstrip("."), form).date()
        except ValueError:
            continue
    return None


def front_paragraphs(root, draft: Draft) -> None:
    """Author, Date and Abstract paragraphs go to the front matter and leave the body."""
    for el in list(root.iter("p")):
        kind, text = el.get("class") or "", text_of(el)
        if kind not in ("doc-author", "doc-date", "doc-abstract", "doc-abstract-title"):
            continue
        if kind == "doc-author" and text:
            draft.authors += byline_names(text)
        elif kind == "doc-date" and text:
            draft.date = written_date(text)
            if draft.date is None:
                draft.attention.append(f"the Date paragraph {text!r} is not a date like 2024-05-02 or "
                                       "2 May 2024: add date: to the front matter")
        elif kind == "doc-abstract" and text:
            draft.standfirst = (draft.standfirst + " " + inline(el).strip()).strip()
        el.getparent().remove(el)
    if draft.standfirst:
        draft.recognised.append("standfirst from the Abstract paragraph")
    if draft.date:
        draft.recognised.append(f"date {draft.date.isoformat()} from the Date paragraph")


def read_docx(source: Path, images_dir: Path, slug: str, accept_changes: bool = False) -> Draft:
    draft = Draft()
    package, comments, changes, langs, notes = prepare(source, accept_changes)
    if changes:
        raise tracked_changes_refused(source, changes)
    draft.attention += notes + comments
    style_map = STYLE_MAP + "".join(f"\nr[style-name='{LANG_STYLE} {lang}'] => span.lang-{lang}" for lang in langs)
    saved: list[str] = []

    def save_image(image) -> dict:
        ext = EXTENSIONS.get(image.content_type, ".bin")
        name = f"{slug}-{len(saved) + 1}{ext}"
        with image.open() as data:
            (images_dir / name).write_bytes(data.read())
        saved.append(name)
        return {"src": f"../images/{name}"}

    result = mammoth.convert_to_html(package, style_map=style_map, convert_image=mammoth.images.img_element(save_image))
    for message in result.messages:
        style = UNRECOGNISED.match(message.message)
        if not (style and style.group(1).strip().lower() in ORDINARY_STYLES):
            draft.attention.append(f"Word: {message.message}")
    root = lxml_html.fragment_fromstring(result.value or "<p></p>", create_parent="div")
    for span in root.iter("span"):
        lang = re.match(r"lang-(\S+)", span.get("class") or "")
        if lang:
            span.set("lang", lang.group(1))
            del span.attrib["class"]
    return document_to_draft(root, draft, core_properties(source), slug)


def document_to_draft(root, draft: Draft, props: dict[str, str], slug: str) -> Draft:
    """A word processor's document as semantic HTML (styles as the classes of STYLE_MAP) → the draft:
    front matter from the styled paragraphs (else the document's properties), then the article."""
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
    front_paragraphs(root, draft)
    first = next((c for c in root if text_of(c)), None)
    if draft.authors:
        draft.recognised.append("author from the Author paragraph (the byline left the body)")
    elif first is not None and first.tag == "p" and BYLINE.match(text_of(first)):
        draft.authors = byline_names(text_of(first))
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
