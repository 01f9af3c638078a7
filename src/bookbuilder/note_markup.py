"""A note's blocks, shaped for where each edition sets them (template filters).

A note is block XHTML (model.Note.html). WeasyPrint sets a print note as a footnote float, an
inline <span> that cannot hold a <p> or a <blockquote> (the HTML parser would end the float at
the first block, engine-notes §1.3 point 4): each block becomes a <span> classed after its tag,
which 70-notes.css displays as a block. The EPUB puts the note's number inside its first paragraph.
"""
from __future__ import annotations

from lxml import etree, html as lxml_html

#: Elements that are blocks in HTML: inside a footnote float they become <span class="note-TAG">.
BLOCKS = frozenset("p blockquote ul ol li dl dt dd div pre h1 h2 h3 h4 h5 h6 hr table thead tbody tfoot tr "
                   "td th caption figure figcaption aside section address".split())


def _fragment(html: str) -> etree._Element:
    return lxml_html.fragment_fromstring(html or "", create_parent="div")


def _serialise(holder: etree._Element) -> str:
    """The content of the holder <div> as XHTML (text, children, tails)."""
    return (holder.text or "") + "".join(
        etree.tostring(c, encoding="unicode", method="xml", with_tail=True) for c in holder)


def footnote_spans(html: str) -> str:
    """Note blocks → spans a footnote float can hold; links → plain spans.

    Links go because a paged note sits inside the screen PDF's link to itself (screen/note.html)
    and HTML has no link inside a link: the parser would close the outer one and carry the rest
    of the note into the running text.
    """
    holder = _fragment(html)
    holder.text = (holder.text or "").strip()
    for el in holder.iter():
        if el is holder or not isinstance(el.tag, str):
            continue
        # WeasyPrint 70 sets the newline after a <br> in a footnote as an empty line of its own,
        # and the layout whitespace between blocks as empty lines too
        if el.tag == "br" or (el.tag in BLOCKS and not (el.tail or "").strip()):
            el.tail = (el.tail or "").lstrip()
        if el.tag in BLOCKS and len(el) and not (el.text or "").strip():
            el.text = None
        if el.tag in BLOCKS:
            verse = "note-verse" if el.tag == "p" and el.find("br") is not None else None
            el.set("class", " ".join(filter(None, [f"note-{el.tag}", verse, el.get("class")])))
            el.tag = "span"
        elif el.tag == "a":
            if "page" in (el.get("class") or "").split() and el.get("href"):
                el.set("data-target", el.get("href"))  # a page reference keeps its target: print writes "(p. 43)"
            for name in ("href", "title", "target", "rel"):
                el.attrib.pop(name, None)
            el.set("class", " ".join(filter(None, ["note-link-text", el.get("class")])))
            el.tag = "span"
    return _serialise(holder)


def lead_with(html: str, lead: str) -> str:
    """Put `lead` (a note's number) at the start of the note's first paragraph, or in a paragraph of its own."""
    holder = _fragment(html)
    first = holder[0] if len(holder) and not (holder.text or "").strip() else None
    marker = _fragment(lead)
    if first is None or first.tag != "p":
        paragraph = etree.Element("p")
        holder.insert(0, paragraph)
        paragraph.tail, holder.text = (holder.text or ""), ""
        if paragraph.tail.strip():  # loose text before any block: it belongs with the number
            paragraph.text, paragraph.tail = paragraph.tail, ""
        first = paragraph
    text, children = first.text or "", list(marker)
    first.text = marker.text
    for index, child in enumerate(children):
        first.insert(index, child)
    if children:
        children[-1].tail = (children[-1].tail or "") + " " + text
    else:
        first.text = (first.text or "") + " " + text
    return _serialise(holder)
