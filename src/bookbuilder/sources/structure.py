"""Recognise the house elements in an essay's HTML: head epigraphs, figures, notes, attributions.

Works on the lxml tree that Python-Markdown's output parses into; leaves placeholders
(`<figure data-figure>`, `<a data-note>`) where editions render figures and notes.
"""
from __future__ import annotations

import re
from copy import deepcopy
from html import escape as html_escape
from lxml import etree, html as lxml_html

from ..model import Epigraph, Figure, Note
from .conventions import ATTRIBUTION_DASH, ATTRIBUTION_LINE, FIGURE_SIZES


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


def serialise(holder: etree._Element) -> str:
    """The fragment a holder from `parse_fragment` holds, as XHTML: its leading text, then its children."""
    return (holder.text or "") + outer_html(holder)


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
    if p.tag != "p" or not ATTRIBUTION_LINE.match(text.rsplit("\n", 1)[-1]):
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
    span.text = ATTRIBUTION_DASH.sub("", span.text or "", count=1)  # the dash may stand alone: `— *Henry VI*`
    return span


def is_empty(p: etree._Element) -> bool:
    return not (p.text or "").strip() and not len(p)


def starts_with_dash(p: etree._Element) -> bool:
    return p.tag == "p" and bool(ATTRIBUTION_DASH.match(p.text_content()))


def attributed_groups(quote: etree._Element) -> list[tuple[list[etree._Element], etree._Element | None]]:
    """Split a blockquote into runs of paragraphs, each closed by its attribution line.

    Markdown joins `>` blocks separated by a blank line into one blockquote, so two
    epigraphs in a row arrive as one quote with two attributions.
    """
    groups, current = [], []
    children = list(quote)
    dashed = [starts_with_dash(c) for c in children]
    for i, child in enumerate(children):
        if dashed[i] and (not current or "\n" in child.text_content().strip() or (i and dashed[i - 1])
                          or (i + 1 < len(children) and dashed[i + 1])):
            current.append(child)  # dialogue (— Où vas-tu ? / — Chez moi.), not an attribution: nothing quoted before it
            continue
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


ITALICS = ("em", "i", "cite")


def attribution_html(written: str) -> str:
    """An attribution line as written (inline HTML, the dash gone) → what every edition prints after the dash.

    Nothing is moved or dropped. Italics mark the work and become <cite>: `*Henry VI*`,
    `J. S. Mill, *Principles of Political Economy*, Chapter V.`, `Homer, *The Iliad*, tr. Emily Wilson`.
    A line without italics names the work after its first comma, up to the next one:
    `Karl Marx, Capital, Volume I` cites *Capital*; one without a comma is the author alone.
    """
    span = parse_fragment(written.strip())
    italic = [el for el in span.iter(*ITALICS) if el.getparent().tag not in ITALICS]
    for el in italic:
        el.tag = "cite"
    if not italic and "," in (span.text or ""):
        author, rest = span.text.split(",", 1)
        work, comma, after = rest.partition(",")
        if work.strip():
            cite = lxml_html.Element("cite")
            cite.text = work.strip()
            cite.tail = work[len(work.rstrip()):] + comma + after
            span.text = author + "," + work[: len(work) - len(work.lstrip())]
            span.insert(0, cite)
    return inner_html(span).strip()


def written_attribution(author: str, source_html: str) -> str:
    """`author:` and `source:` (front matter, book.toml) → the attribution line they stand for.

    The source is the work, so it is cited whole, unless it marks its own italics
    (`*Principles of Political Economy*, Chapter V.`): then it is kept as written.
    """
    if source_html and not any(f"<{tag}>" in source_html for tag in ITALICS):
        source_html = f"<em>{source_html}</em>"
    return attribution_html(", ".join(x for x in (html_escape(author.strip()), source_html.strip()) if x))


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
            found.append(Epigraph(text_html=outer_html(paras).strip(),
                                  attribution_html=attribution_html(inner_html(span)), lang=child.get("lang")))
        root.remove(child)
    return found


def mark_attributed_quotes(root: etree._Element) -> None:
    """A body blockquote ending in `— Author, Work` becomes figure.quotation with a figcaption.

    Quotations Markdown joined into one (a blank `>` line between them) are parted again,
    each with its own attribution, as at the head of an essay.
    """
    for quote in list(root.iter("blockquote")):
        groups = attributed_groups(quote)
        if all(span is None for _, span in groups):
            continue
        parent, tail = quote.getparent(), quote.tail
        at = parent.index(quote)
        parent.remove(quote)
        for n, (paras, span) in enumerate(groups):
            part = lxml_html.Element("blockquote", {k: v for k, v in quote.attrib.items() if n == 0 or k != "id"})
            part.extend(paras)
            if span is not None:
                fig = lxml_html.Element("figure", {"class": "quotation"})
                fig.append(part)
                caption = "—\u00a0" + attribution_html(inner_html(span))  # the dash stays with the name
                fig.append(parse_fragment(f"<figcaption>{caption}</figcaption>")[0])
                part = fig
            parent.insert(at + n, part)
        part.tail = tail


def is_decorative(img: etree._Element) -> bool:
    """The author said the image only decorates (`{: .decorative}`), so it needs no alt text."""
    return "decorative" in (img.get("class") or "").split() or img.get("role") in ("presentation", "none")


def figure_images(root: etree._Element) -> list[etree._Element]:
    """The images that make figures: each opens a paragraph (the rest of it is the caption)."""
    return [p[0] for p in root.iter("p") if len(p) and p[0].tag == "img" and not (p.text or "").strip()]


def take_figures(root: etree._Element, slug: str, resolve, image_lines: list[int]) -> list[Figure]:
    """A paragraph that starts with an image is a figure; the rest of it is the caption.

    `resolve(src, line)` turns the Markdown path into a checked absolute Path (or None).
    """
    figures: list[Figure] = []
    images = list(root.iter("img"))
    line_of = {id(img): image_lines[i] if i < len(image_lines) else None for i, img in enumerate(images)}
    for img in figure_images(root):
        p = img.getparent()
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
        size = next((c for c in (img.get("class") or "").split() if c in FIGURE_SIZES), "")
        figures.append(Figure(id=fig_id, src=src, alt="" if decorative else img.get("alt", "").strip(),
                              caption_html=caption_html, line=line, decorative=decorative, size=size))
        placeholder = lxml_html.Element("figure", {"data-figure": fig_id})
        placeholder.tail = p.tail
        p.getparent().replace(p, placeholder)
    return figures


def take_notes(root: etree._Element, slug: str) -> list[Note]:
    """Python-Markdown's footnotes → `Note`s; calls become `<a data-note>` placeholders.

    A note keeps every block it was written with (paragraphs, quotations, verse, lists):
    only the back-link Python-Markdown adds is taken out.
    """
    notes: list[Note] = []
    block = next((d for d in root.iter("div") if "footnote" in (d.get("class") or "").split()), None)
    if block is None:
        return notes
    bodies = {li.get("id"): note_blocks(li) for li in block.iterfind("ol/li")}
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


def note_blocks(li: etree._Element) -> str:
    """One footnote <li> → its blocks as XHTML, without the back-link (and the space or empty <p> it leaves)."""
    for back in [a for a in li.iter("a") if "footnote-backref" in (a.get("class") or "")]:
        parent, previous = back.getparent(), back.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "").rstrip("\xa0 \n") + (back.tail or "")
        else:
            parent.text = (parent.text or "").rstrip("\xa0 \n") + (back.tail or "")
        parent.remove(back)
        if parent.tag == "p" and len(parent) == 0 and not (parent.text or "").strip():
            parent.getparent().remove(parent)
    return serialise(li).strip()


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
