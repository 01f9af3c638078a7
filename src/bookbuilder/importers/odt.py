"""An OpenDocument text (.odt, from LibreOffice, Google Docs or pandoc) → a `Draft`.

content.xml is read with lxml (no DTDs, entities or network) and written as the same semantic
HTML mammoth makes of a .docx, so both end in docx.document_to_draft: the paragraph styles
mean what they mean in Word (an automatic style `P1` means its parent, `Quotations`), the
footnotes become a list the notes are taken from, and pictures are saved as they are met.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree, html as lxml_html

from . import Draft, tracked_changes_refused
from .docx import CAPTION_STYLES, FRONT_STYLES, ORDINARY_STYLES, QUOTE_STYLES, document_to_draft

NS = {"office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
      "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
      "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
      "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
      "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
      "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
      "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
      "xlink": "http://www.w3.org/1999/xlink",
      "dc": "http://purl.org/dc/elements/1.1/",
      "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"}
EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".svg"}


def style_key(name: str) -> str:
    """'Text_20_body', 'Text body' and 'TextBody' are one style."""
    return re.sub(r"[^a-z0-9]", "", name.replace("_20_", " ").lower())


BLOCK_STYLES = ({style_key(n): h for n, h in FRONT_STYLES.items()}
                | {style_key(n): "blockquote" for n in QUOTE_STYLES}
                | {style_key(n): "p.caption" for n in CAPTION_STYLES}
                | {style_key(n): "p.figure" for n in ("Captioned Figure", "Figure with Caption")}
                | {style_key(n): "p.section-break" for n in ("Horizontal Line", "Section Break", "Separator")})
ORDINARY = {style_key(n) for n in ORDINARY_STYLES} | {"footnote", "endnote", "heading", "textbody", "quotations"}


def q(tag: str) -> str:
    prefix, local = tag.split(":")
    return f"{{{NS[prefix]}}}{local}"


def parse(data: bytes):
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                                                  huge_tree=False))


class OdtReader:
    def __init__(self, package: zipfile.ZipFile, images_dir: Path, slug: str, draft: Draft):
        self.z, self.images_dir, self.slug, self.draft = package, images_dir, slug, draft
        self.parents: dict[str, str] = {}  # automatic style → the named style it is based on
        self.inline_tags: dict[str, list[str]] = {}  # text style → em/strong
        self.display: dict[str, str] = {}  # style name → the name shown to the writer
        self.notes: list = []
        self.saved = 0
        self.unknown: set[str] = set()
        self.langs: dict[str, str] = {}  # style → the language it sets (the document's is settled at the end)
        self.smallcaps: set[str] = set()
        self.numbered: set[str] = set()  # list styles that number their items
        self.default_lang = ""
        self.comments: list[str] = []

    def read_default_lang(self, root) -> None:
        for st in root.iter(q("style:default-style")):
            props = st.find(q("style:text-properties"))
            if st.get(q("style:family")) == "paragraph" and props is not None and props.get(q("fo:language")):
                self.default_lang = props.get(q("fo:language")).lower()

    def read_styles(self, root) -> None:
        for st in root.iter(q("style:style")):
            name = st.get(q("style:name"))
            self.display[name] = st.get(q("style:display-name")) or name.replace("_20_", " ")
            if st.get(q("style:parent-style-name")):
                self.parents[name] = st.get(q("style:parent-style-name"))
            props = st.find(q("style:text-properties"))
            tags = []
            if props is not None and props.get(q("fo:font-style")) == "italic" or style_key(name) == "emphasis":
                tags.append("em")
            if props is not None and props.get(q("fo:font-weight")) == "bold" or style_key(name) == "strongemphasis":
                tags.append("strong")
            self.inline_tags[name] = tags
            language = props.get(q("fo:language")) if props is not None else None
            if language and language.lower() not in ("zxx", "none"):
                country = props.get(q("fo:country")) or ""
                self.langs[name] = language + (f"-{country}" if country and country.lower() != "none" else "")
            if props is not None and props.get(q("fo:font-variant")) == "small-caps":
                self.smallcaps.add(name)
        for ls in root.iter(q("text:list-style")):
            first = next((c for c in ls if isinstance(c.tag, str)), None)
            if first is not None and etree.QName(first).localname == "list-level-style-number":
                self.numbered.add(ls.get(q("style:name")))

    def paragraph_style(self, el) -> str:
        """The named style a paragraph is in (an automatic style stands for its parent)."""
        name = el.get(q("text:style-name")) or ""
        seen = set()
        while style_key(name) not in BLOCK_STYLES and name in self.parents and name not in seen:
            seen.add(name)
            name = self.parents[name]
        return name

    def block(self, el, out) -> None:
        """Append the HTML of one ODF block to `out` (quotations in a row share one blockquote, as mammoth's)."""
        tag = etree.QName(el).localname if isinstance(el.tag, str) else ""
        if tag == "h":
            level = int(el.get(q("text:outline-level")) or 1)
            out.append(self.inline(el, lxml_html.Element(f"h{min(level, 6)}")))
        elif tag == "p" and self.is_rule(el):  # a line drawn across the page (Word's rule as Writer saves it)
            out.append(lxml_html.Element("p", {"class": "section-break"}))
        elif tag == "p":
            name = self.paragraph_style(el)
            path = BLOCK_STYLES.get(style_key(name), "p")
            if path == "p" and name and style_key(name) not in ORDINARY:
                self.unknown.add(self.display.get(name, name))
            if path == "blockquote":
                if not len(out) or out[-1].tag != "blockquote":
                    out.append(lxml_html.Element("blockquote"))
                out[-1].append(self.inline(el, lxml_html.Element("p")))
                return
            tag_name, _, cls = path.partition(".")
            p = lxml_html.Element(tag_name, {"class": cls} if cls else {})
            own = self.paragraph_lang(el.get(q("text:style-name")) or "")
            if own:  # the whole paragraph set in a language (Writer: its paragraph style, or the one it is based on)
                self.inline(el, etree.SubElement(p, "span", {"lang": own}))
                out.append(p)
            else:
                out.append(self.inline(el, p))
        elif tag == "list":
            out.append(self.list(el, el.get(q("text:style-name")) or ""))
        elif tag == "table":
            table = lxml_html.Element("table")
            for row in el.iter(q("table:table-row")):
                tr = etree.SubElement(table, "tr")
                for cell in row.iter(q("table:table-cell")):
                    td = etree.SubElement(tr, "td")
                    for p in cell.iter(q("text:p")):
                        self.inline(p, etree.SubElement(td, "p"))
            out.append(table)
        elif tag == "section":
            for child in el:
                self.block(child, out)

    def list(self, el, style: str):
        """A list and the lists inside its items (which number as the list they are in, unless they say)."""
        ul = lxml_html.Element("ol" if style in self.numbered else "ul")
        for item in el.findall(q("text:list-item")):
            li = etree.SubElement(ul, "li")
            for child in item:
                kind = etree.QName(child).localname
                if kind in ("p", "h"):
                    if len(li) or (li.text or "").strip():
                        etree.SubElement(li, "br")
                    self.inline(child, li)
                elif kind == "list":
                    li.append(self.list(child, child.get(q("text:style-name")) or style))
        return ul

    def paragraph_lang(self, name: str) -> str:
        seen = set()
        while name and name not in self.langs and name in self.parents and name not in seen:
            seen.add(name)
            name = self.parents[name]
        return self.langs.get(name, "")

    @staticmethod
    def is_rule(el) -> bool:
        """A paragraph that holds only a drawn line or rectangle, no text and no picture: a section break."""
        shapes = [c for c in el.iter(q("draw:rect"), q("draw:line"))]
        return bool(shapes) and not "".join(el.itertext()).strip() and el.find(".//" + q("draw:image")) is None

    def append_text(self, parent, text: str) -> None:
        if not text:
            return
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + text
        else:
            parent.text = (parent.text or "") + text

    def inline(self, el, parent):
        """The inline content of an ODF paragraph or span into the HTML element `parent`."""
        self.append_text(parent, el.text)
        for child in el:
            tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
            if tag == "span":
                target, style = parent, child.get(q("text:style-name")) or ""
                if style in self.langs:
                    target = etree.SubElement(target, "span", {"lang": self.langs[style]})
                if style in self.smallcaps:
                    target = etree.SubElement(target, "span", {"class": "smallcaps"})
                for t in self.inline_tags.get(style, []):
                    target = etree.SubElement(target, t)
                self.inline(child, target)
            elif tag == "a":
                self.inline(child, etree.SubElement(parent, "a", {"href": child.get(q("xlink:href")) or ""}))
            elif tag == "line-break":
                etree.SubElement(parent, "br")
            elif tag == "s":
                self.append_text(parent, " " * int(child.get(q("text:c")) or 1))
            elif tag == "tab":
                self.append_text(parent, " ")
            elif tag == "note":
                self.note(child, parent)
            elif tag == "annotation":
                self.comment(child)
            elif tag in ("annotation-end", "change", "change-start", "change-end"):
                pass
            elif tag == "frame":
                self.frame(child, parent)
            elif tag not in ("bookmark", "bookmark-start", "bookmark-end", "soft-page-break", "sequence-decls"):
                self.inline(child, parent)
            self.append_text(parent, child.tail)
        return parent

    def note(self, el, parent) -> None:
        """A footnote: a call here, its blocks in the list at the end (where markup.take_notes finds them)."""
        n = len(self.notes) + 1
        sup = etree.SubElement(parent, "sup")
        etree.SubElement(sup, "a", {"href": f"#odt-note-{n}"}).text = str(n)
        li = lxml_html.Element("li", {"id": f"odt-note-{n}"})
        body = el.find(q("text:note-body"))
        for child in body if body is not None else []:
            self.block(child, li)
        self.notes.append(li)

    def comment(self, el) -> None:
        """A comment is for the editor: listed in the report, never in the text."""
        who = (el.findtext(q("dc:creator")) or "someone").strip()
        text = " ".join("".join(p.itertext()).strip() for p in el.iter(q("text:p"))).strip()
        marks = [el.tail or ""]  # the words it marks, up to its end in the same paragraph
        for sib in el.itersiblings():
            if sib.tag == q("office:annotation-end") and sib.get(q("office:name")) == el.get(q("office:name")):
                break
            marks += ["".join(sib.itertext()), sib.tail or ""]
        else:
            marks = []
        marked = re.sub(r"\s+", " ", "".join(marks)).strip()
        where = f' on "{marked[:60]}{"…" if len(marked) > 60 else ""}"' if marked else ""
        self.comments.append(f"comment by {who}{where}: {text}")

    def frame(self, el, parent) -> None:
        """A picture: saved into the book's images; its description (svg:desc, else svg:title) is its alt.
        A LibreOffice captioned frame holds the picture and its caption as text: they are read in turn."""
        image = el.find(q("draw:image"))
        href = image.get(q("xlink:href")) if image is not None else ""
        ext = Path(href or "").suffix.lower()
        if ext in EXTENSIONS and href in self.z.namelist():
            self.saved += 1
            name = f"{self.slug}-{self.saved}{'.jpg' if ext == '.jpeg' else ext}"
            (self.images_dir / name).write_bytes(self.z.read(href))
            alt = (el.findtext(q("svg:desc")) or el.findtext(q("svg:title")) or "").strip()
            etree.SubElement(parent, "img", {"src": f"../images/{name}", "alt": alt})
        elif href:
            self.draft.attention.append(f"a picture ({href}) could not be read: add it by hand")
        text_box = el.find(q("draw:text-box"))
        for child in text_box if text_box is not None else []:
            self.inline(child, parent)


def settle_languages(root, default: str) -> None:
    """Only what is in another language than the essay keeps its mark. The essay's language is the one most of
    its text is set in (an essay typed in English on a German machine is English, its German words German)."""
    chars: dict[str, int] = {}

    def count(el, lang: str) -> None:
        lang = el.get("lang", lang) if el.tag == "span" else lang
        primary = lang.split("-")[0].lower()
        chars[primary] = chars.get(primary, 0) + len((el.text or "").strip())
        for child in el:
            if isinstance(child.tag, str):
                count(child, lang)
            chars[primary] = chars.get(primary, 0) + len((child.tail or "").strip())

    count(root, default)
    essay = max(chars, key=chars.get) if chars else default.split("-")[0].lower()
    for span in list(root.iter("span")):
        if span.get("lang") and span.get("lang").split("-")[0].lower() == essay:
            unwrap(span)


def unwrap(el) -> None:
    """The element's content in its place."""
    parent, index = el.getparent(), el.getparent().index(el)
    if el.text:
        if index:
            parent[index - 1].tail = (parent[index - 1].tail or "") + el.text
        else:
            parent.text = (parent.text or "") + el.text
    children = list(el)
    if children:
        children[-1].tail = (children[-1].tail or "") + (el.tail or "")
    elif el.tail:
        if index:
            parent[index - 1].tail = (parent[index - 1].tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent[index:index + 1] = children


def meta_properties(z: zipfile.ZipFile) -> dict[str, str]:
    """dc:title and the creator from meta.xml, under the names docx.core_properties uses."""
    if "meta.xml" not in z.namelist():
        return {}
    root = parse(z.read("meta.xml"))
    title = root.findtext(".//" + q("dc:title")) or ""
    creator = root.findtext(".//" + q("dc:creator")) or root.findtext(".//" + q("meta:initial-creator")) or ""
    return {"title": title.strip(), "creator": creator.strip()}


def read_odt(source: Path, images_dir: Path, slug: str, accept_changes: bool = False) -> Draft:
    """Tracked changes are refused unless accepted: the deleted text is kept apart (text:tracked-changes), the
    inserted text stands in the body, so accepting them is reading the body without the record."""
    draft = Draft()
    with zipfile.ZipFile(source) as z:
        reader = OdtReader(z, images_dir, slug, draft)
        styles = parse(z.read("styles.xml")) if "styles.xml" in z.namelist() else None
        if styles is not None:
            reader.read_default_lang(styles)
            reader.read_styles(styles)
        content = parse(z.read("content.xml"))
        reader.read_styles(content)
        body = content.find(f"{q('office:body')}/{q('office:text')}")
        regions = f"{q('text:tracked-changes')}/{q('text:changed-region')}"
        changes = len(body.findall(regions)) if body is not None else 0
        if changes and not accept_changes:
            raise tracked_changes_refused(source, changes)
        root = lxml_html.Element("div")
        for child in body if body is not None else []:
            if etree.QName(child).localname != "tracked-changes":
                reader.block(child, root)
        props = meta_properties(z)
    if reader.notes:
        ol = etree.SubElement(root, "ol")
        ol.extend(reader.notes)
    settle_languages(root, reader.default_lang)
    for name in sorted(reader.unknown):
        draft.attention.append(f"OpenDocument: Unrecognised paragraph style: {name}")
    draft.attention += reader.comments
    return document_to_draft(root, draft, props, slug)
