"""Recognise the house elements in an essay's HTML: head epigraphs, figures, notes, attributions.

Works on the lxml tree that Python-Markdown's output parses into; leaves placeholders
(`<figure data-figure>`, `<a data-note>`) where editions render figures and notes.
"""
from __future__ import annotations

import re
from copy import deepcopy
from lxml import etree, html as lxml_html

from ..model import Epigraph, Figure, Note

DASHES = "—―–"
ATTRIBUTION = re.compile(rf"^\s*(?:[{DASHES}]|--)\s*(\S.*)$", re.S)


def parse_fragment(fragment: str) -> etree._Element:
    """HTML fragment → a <div> holding it (lxml.html tolerates Python-Markdown's output)."""
    return lxml_html.fragment_fromstring(fragment or "", create_parent="div")


def inner_html(el: etree._Element) -> str:
    """Serialise the content of an element as XHTML (text, children, tails)."""
    out = etree.tostring(el, encoding="unicode", method="xml", with_tail=False)
    start = out.find(">") + 1
    end = out.rfind("</")
    return out[start:end] if end >= start and not out.endswith("/>") else ""


def outer_html(children) -> str:
    return "".join(etree.tostring(c, encoding="unicode", method="xml", with_tail=True) for c in children)


def split_last_line(p: etree._Element) -> etree._Element | None:
    """Cut <p> at its last newline; return a <span> with what followed it (or None)."""
    slots: list[tuple[etree._Element, str]] = [(p, "text")] + [(c, "tail") for c in p]
    for idx in range(len(slots) - 1, -1, -1):
        owner, attr = slots[idx]
        value = getattr(owner, attr) or ""
        if "\n" in value:
            before, after = value.rsplit("\n", 1)
            setattr(owner, attr, before.rstrip())
            span = lxml_html.Element("span")
            span.text = after
            children = list(p)
            moved = children if attr == "text" else children[children.index(owner) + 1:]
            for child in moved:
                span.append(child)  # lxml moves the child, keeping its tail
            return span
    return None


def detach_attribution(p: etree._Element) -> etree._Element | None:
    """If a paragraph's last line is `— Author, Source`, cut it off and return it as a <span>.

    A paragraph that was nothing but the attribution is left empty (no text, no children).
    """
    text = p.text_content()
    if p.tag != "p" or not ATTRIBUTION.match(text.rsplit("\n", 1)[-1]):
        return None
    if "\n" in text:
        span = split_last_line(p)
        if span is None:
            return None
    else:
        span = lxml_html.Element("span")
        span.text, p.text = p.text, None
        for child in list(p):
            span.append(child)
    m = ATTRIBUTION.match(span.text or "")
    if m:
        span.text = m.group(1)
    return span


def is_empty(p: etree._Element) -> bool:
    return not (p.text or "").strip() and not len(p)


def attributed_groups(quote: etree._Element) -> list[tuple[list[etree._Element], etree._Element | None]]:
    """Split a blockquote into runs of paragraphs, each closed by its attribution line.

    Markdown joins `>` blocks separated by a blank line into one blockquote, so two
    epigraphs in a row arrive as one quote with two attributions.
    """
    groups, current = [], []
    for child in list(quote):
        span = detach_attribution(child)
        if span is None:
            current.append(child)
            continue
        if not is_empty(child):
            current.append(child)
        groups.append((current, span))
        current = []
    if current:
        groups.append((current, None))
    return groups


def attribution_of(quote: etree._Element) -> etree._Element | None:
    """If a blockquote's last line is `— Author, Source`, detach and return it as a <span>."""
    if not len(quote) or quote[-1].tag != "p":
        return None
    last = quote[-1]
    span = detach_attribution(last)
    if span is not None and is_empty(last):
        quote.remove(last)
    return span


def split_author_source(span: etree._Element) -> tuple[str, str]:
    """'Leon Trotsky, <em>History</em>' → ('Leon Trotsky', 'History') (source as inline HTML)."""
    text = span.text or ""
    if "," in text:
        author, rest = text.split(",", 1)
        span.text = rest.lstrip()
    else:
        author, span.text = text, ""  # "— Author <em>Work</em>": what follows the text is the source
    source = inner_html(span).strip()
    # the source is shown in <cite>, which is already italic: drop a wrapping <em>
    m = re.fullmatch(r"<(em|i|cite)>(.*)</\1>", source, re.S)
    if m:
        source = m.group(2)
    return author.strip(), source


def take_head_epigraphs(root: etree._Element, lang: str | None) -> list[Epigraph]:
    """Blockquotes at the very start of the body whose paragraphs end in attributions are epigraphs."""
    found = []
    for child in list(root):
        if child.tag != "blockquote":
            break
        probe = deepcopy(child)
        groups = attributed_groups(probe)
        if not groups or groups[0][1] is None:
            break
        for paras, span in groups:
            if span is None:  # a plain quotation joined to the epigraphs by Markdown stays in the body
                rest = lxml_html.Element("blockquote")
                rest.extend(paras)
                rest.tail = child.tail
                root.replace(child, rest)
                return found
            author, source = split_author_source(span)
            found.append(Epigraph(text_html=outer_html(paras).strip(), author=author, source_html=source,
                                  lang=child.get("lang")))
        root.remove(child)
    return found


def mark_attributed_quotes(root: etree._Element) -> None:
    """A body blockquote ending in `— Author, Source` becomes figure.quotation with a figcaption."""
    for quote in list(root.iter("blockquote")):
        span = attribution_of(quote)
        if span is None:
            continue
        author, source = split_author_source(span)
        fig = lxml_html.Element("figure", {"class": "quotation"})
        parent = quote.getparent()
        parent.replace(quote, fig)
        fig.append(quote)
        cap = etree.SubElement(fig, "figcaption")
        cap.text = "—\u00a0" + author  # the dash stays with the name, as in epigraphs
        if source:
            cap.text += ", "
            cite = etree.fromstring(f"<cite>{source}</cite>")
            cap.append(cite)


def is_decorative(img: etree._Element) -> bool:
    """The author said the image only decorates (`{: .decorative}`), so it needs no alt text."""
    return "decorative" in (img.get("class") or "").split() or img.get("role") in ("presentation", "none")


def take_figures(root: etree._Element, slug: str, resolve, image_lines: list[int]) -> list[Figure]:
    """A paragraph that starts with an image is a figure; the rest of it is the caption.

    `resolve(src, line)` turns the Markdown path into a checked absolute Path (or None).
    """
    figures: list[Figure] = []
    images = list(root.iter("img"))
    line_of = {id(img): image_lines[i] if i < len(image_lines) else None for i, img in enumerate(images)}
    for p in list(root.iter("p")):
        if not len(p) or p[0].tag != "img" or (p.text or "").strip():
            continue
        img = p[0]
        n = len(figures) + 1
        fig_id = f"{slug}-fig-{n}"
        line = line_of.get(id(img))
        src = resolve(img.get("src", ""), line)
        caption = lxml_html.Element("span")
        caption.text = (img.tail or "").lstrip()
        for child in list(p)[1:]:
            caption.append(child)
        caption_html = inner_html(caption).strip()
        if not caption_html and img.get("title"):
            caption_html = img.get("title")
        # a <br /> left at the start of the caption by a hard line break
        caption_html = re.sub(r"^<br\s*/?>\s*", "", caption_html)
        decorative = is_decorative(img)
        figures.append(Figure(id=fig_id, src=src, alt="" if decorative else img.get("alt", "").strip(),
                              caption_html=caption_html, line=line, decorative=decorative))
        placeholder = lxml_html.Element("figure", {"data-figure": fig_id})
        placeholder.tail = p.tail
        p.getparent().replace(p, placeholder)
    return figures


def take_notes(root: etree._Element, slug: str) -> list[Note]:
    """Python-Markdown's footnotes → `Note`s; calls become `<a data-note>` placeholders."""
    notes: list[Note] = []
    block = next((d for d in root.iter("div") if "footnote" in (d.get("class") or "").split()), None)
    if block is None:
        return notes
    bodies = {}
    for li in block.iter("li"):
        for back in li.iter("a"):
            if "footnote-backref" in (back.get("class") or ""):
                back.getparent().remove(back) if back.getparent() is not None else None
        paras = [c for c in li if c.tag == "p"]
        parts = [inner_html(p).strip() for p in paras] or [inner_html(li).strip()]
        bodies[li.get("id")] = " ".join(x for x in parts if x)
    block.getparent().remove(block)
    number = 0
    for sup in list(root.iter("sup")):
        link = sup.find("a")
        if link is None or "footnote-ref" not in (link.get("class") or ""):
            continue
        target = (link.get("href") or "").lstrip("#")
        number += 1
        note_id = f"{slug}-note-{number}"
        notes.append(Note(id=note_id, ref_id=f"{slug}-noteref-{number}", number=number,
                          html=bodies.get(target, "")))
        placeholder = lxml_html.Element("a", {"data-note": note_id})
        placeholder.tail = sup.tail
        sup.getparent().replace(sup, placeholder)
    return notes



def mark_lead_ins(root: etree._Element) -> None:
    """A paragraph ending in a colon right before a quotation introduces it: keep them on one page."""
    for p in root.iter("p"):
        following = p.getnext()
        if following is None or p.text_content().rstrip()[-1:] != ":":
            continue
        if following.tag == "blockquote" or (following.tag == "figure" and "quotation" in (following.get("class") or "")):
            p.set("class", ((p.get("class") or "") + " lead-in").strip())


def is_signed(root: etree._Element, names: list[str]) -> bool:
    """The text signs itself: a `/// signature` block, or one of its last paragraphs is an author's name."""
    children = [el for el in root if isinstance(el.tag, str)]
    if any(el.tag == "div" and "signature" in (el.get("class") or "").split() for el in children):
        return True
    wanted = {n.casefold() for n in names}
    return any(el.tag == "p" and "".join(el.itertext()).strip().rstrip(".,").casefold() in wanted
               for el in children[-3:])
