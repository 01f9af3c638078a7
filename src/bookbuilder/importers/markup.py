"""Article HTML (from mammoth or a saved web page) → the body of a `Draft` in house Markdown.

Both the .docx and the .html readers end here: epigraph quotations at the head, notes
(a link to a list item that holds the note), figures with their captions and credits,
block quotations, lists, headings, and inline emphasis and links.
"""
from __future__ import annotations

import re
from typing import Callable

from lxml import etree

from ..sources.conventions import ATTRIBUTION_LINE, CREDIT_LABEL, DASH, DASHES, is_credit, split_caption
from . import Draft, figure_markdown

# the quotation ends a sentence, then a space, a dash and a short attribution (a name: not lower case)
TRAILING_ATTRIBUTION = re.compile(rf"^(.*[.!?…\"”’)\]*])\s+{DASH}\s*(?=[^\sa-z])([^{DASHES}\n]{{2,150}})$",
                                  re.S)
FILE_NAME = re.compile(r"(^|/)[\w.-]+\.(jpe?g|png|gif|svg|tiff?|webp)$", re.I)
LOOSE_CREDIT = re.compile(rf"\s*\(?({CREDIT_LABEL}:\s*[^)]+)\)?\s*$")
# a cross-reference to another essay of the book: its file name (LibreOffice writes it relative to its own
# folder, '../odt/this.odt/other.md'; the essay's folder is the book's, so the name is what counts)
ESSAY_LINK = re.compile(r"^(?:[^:?#]*/)?([\w.-]+\.md(?:#[\w-]+)?)$")
BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "figure", "table", "pre", "hr", "div",
          "section", "article", "main", "header", "dl"}

# turns an <img> into the Markdown path of a file saved in the book's images/ (or None when there is none)
ImageSaver = Callable[[etree._Element], "str | None"]


# white space that only separates words: a no-break space (U+00A0, U+202F) is the writer's and is kept
SPACES = r"[ \t\n\r\f\v]+"
# a paragraph that is only an ornament: a section break (* * *, ***, ⁂, # …), as typed or centred
ORNAMENT = re.compile(r"^[\s\u00a0]*(?:[*#~⁂❧§·•◆◇✻✽✦-][\s\u00a0]*){1,5}$")
SECTION_BREAK = "* * *"


def text_of(el) -> str:
    return re.sub(SPACES, " ", "".join(el.itertext())).strip(" ")


def escape(text: str) -> str:
    """Markdown's own characters in plain text, escaped; source line breaks are only spaces in HTML."""
    text = re.sub(SPACES, " ", text).replace("<", "&lt;")
    return re.sub(r"([\\*`]|(?<!\w)_|_(?!\w))", r"\\\1", text)


def plain_paragraph(text: str) -> str:
    """A paragraph that only looks like a heading, quotation or list item at its start stays a paragraph."""
    return re.sub(r"^(\d+)\.(\s)", r"\1\\.\2", re.sub(r"^([#>+\-])(\s)", r"\\\1\2", text))


def inline(el, notes: dict[str, str] | None = None) -> str:
    """The inline content of an element as Markdown (whitespace collapsed)."""
    out = [escape(el.text or "")]
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        inner = inline(child, notes)
        if tag in ("em", "i", "cite") and inner.strip():
            lead, core, trail = re.match(r"^(\s*)(.*?)(\s*)$", inner, re.S).groups()
            out.append(f"{lead}*{core}*{trail}")
        elif tag in ("strong", "b") and inner.strip():
            out.append(f"**{inner.strip()}**")
        elif tag == "a" and notes is not None and child.get("href", "").lstrip("#") in notes:
            out.append(f"[^{notes[child.get('href').lstrip('#')]}]")
        elif tag == "sup" and notes is not None and any(a.get("href", "").lstrip("#") in notes for a in child.iter("a")):
            out.append(inline(child, notes).strip())
        elif tag == "a" and re.match(r"^(https?|mailto):", child.get("href", "")):
            out.append(f"[{inner}]({child.get('href')})" if inner.strip() else "")
        elif tag == "a" and ESSAY_LINK.match(child.get("href", "")):
            out.append(f"[{inner}]({ESSAY_LINK.match(child.get('href')).group(1)})" if inner.strip() else "")
        elif tag == "br":
            out.append("\n")
        elif tag in ("code", "kbd"):
            out.append(f"`{text_of(child)}`")
        elif tag in ("img", "script", "style", "button"):
            pass
        elif tag == "span" and child.get("lang") and inner.strip():
            out.append(foreign(child, inner))
        elif tag == "span" and "smallcaps" in (child.get("class") or "") and inner.strip():
            out.append(f'<span style="font-variant: small-caps">{inner}</span>')
        else:
            out.append(inner)
        out.append(escape(child.tail or ""))
    return re.sub(r"[ \t\r\f\v]+", " ", re.sub(r" *\n *", "\n", "".join(out)))


def house_lang(tag: str) -> str:
    """A word processor's language tag as an editor writes it: 'de-DE' and 'fr-FR' are 'de' and 'fr'; a region
    that says something ('pt-BR', 'de-AT', 'en-US') is kept."""
    lang, _, region = tag.partition("-")
    return lang if not region or region.lower() == lang.lower() else tag


def foreign(span, inner: str) -> str:
    """A run in another language: italics as the house writes them (`*Wort*{: lang=de }`), else a span."""
    lang = house_lang(span.get("lang"))
    m = re.match(r"^(\s*)\*([^*].*?)\*(\s*)$", inner, re.S)
    if m:
        return f"{m.group(1)}*{m.group(2)}*{{: lang={lang} }}{m.group(3)}"
    lead, core, trail = re.match(r"^(\s*)(.*?)(\s*)$", inner, re.S).groups()
    return f'{lead}<span lang="{lang}">{core}</span>{trail}'


def paragraph_lang(el) -> str | None:
    """The language of a paragraph all of whose text is in one foreign-language run (else None)."""
    spans = [c for c in el if isinstance(c.tag, str)]
    if len(spans) == 1 and spans[0].tag == "span" and spans[0].get("lang") and not (el.text or "").strip() \
            and not (spans[0].tail or "").strip():
        return house_lang(spans[0].get("lang"))
    return None


def list_markdown(el, notes: dict | None, depth: int = 0) -> str:
    """A list, the lists inside its items indented under them (four spaces, as Python-Markdown wants)."""
    lines = []
    for n, li in enumerate((c for c in el if c.tag == "li"), 1):
        nested = [c for c in li if c.tag in ("ul", "ol")]
        for sub in nested:
            li.remove(sub)
        text = inline(li, notes).strip().replace("\n", "  \n" + "    " * (depth + 1))
        lines.append("    " * depth + (f"{n}. " if el.tag == "ol" else "- ") + text)
        lines += [list_markdown(sub, notes, depth + 1) for sub in nested]
    return "\n".join(lines)


def cell_markdown(cell, notes: dict | None) -> str:
    """A table cell on one line: its paragraphs parted by line breaks, a pipe escaped."""
    paragraphs = [c for c in cell if isinstance(c.tag, str) and c.tag in BLOCKS]
    parts = [inline(p, notes).strip() for p in paragraphs] if paragraphs else [inline(cell, notes).strip()]
    return "<br>".join(p.replace("\n", "<br>") for p in parts if p).replace("|", "\\|")


def table_markdown(table, notes: dict | None) -> str:
    """A table as a pipe table, its first row the header (a word processor's table has no other)."""
    rows = []
    for tr in table.iter("tr"):
        cells = [cell_markdown(c, notes) for c in tr if c.tag in ("td", "th")]
        if cells:
            rows.append(cells)
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(r) + " |" for r in rows]
    lines.insert(1, "|" + "|".join(["---"] * width) + "|")
    return "\n".join(lines)


def attribution_of(p) -> str | None:
    """'— Author, Source' (from a dash line, or a <footer>/<cite> line) → 'Author, Source'."""
    text = inline(p).strip()
    m = ATTRIBUTION_LINE.match(text)
    if m:
        return m.group(1).strip()
    if p.tag in ("footer", "figcaption") and text:
        return text.lstrip("—–- ").strip()
    return None


def trailing_attribution(text: str) -> tuple[str, str | None]:
    """A quotation that ends with its attribution after a space ('… a chair. — Alan Woods, Work', as a
    converter writes a soft line break) → (quotation, 'Alan Woods, Work'); a dash inside a sentence is no
    attribution."""
    m = TRAILING_ATTRIBUTION.match(text)
    if not m:
        return text, None
    return m.group(1).rstrip(), m.group(2).strip()


def quote_groups(quote, notes: dict | None = None) -> list[tuple[list[str], str | None]]:
    """A blockquote's paragraphs (as Markdown) in runs, each closed by its attribution: mammoth merges
    adjacent quotes, and a Word paragraph may hold quotations and their attributions together, after a
    line break or a space."""
    groups, current = [], []

    def close(who: str) -> None:
        nonlocal current
        groups.append((current, who))
        current = []

    for child in quote:
        if not isinstance(child.tag, str):
            continue
        who = attribution_of(child)
        if who is not None and current:
            close(who)
            continue
        lines: list[str] = []
        for line in inline(child, notes).strip().split("\n"):
            dash_line = ATTRIBUTION_LINE.match(line)
            if dash_line and (lines or current):
                current += ["\n".join(lines)] if lines else []
                close(dash_line.group(1).strip())
                lines = []
            else:
                lines.append(line)
        if lines:
            text, who = trailing_attribution("\n".join(lines))
            current.append(text)
            if who is not None:
                close(who)
    if current:
        groups.append((current, None))
    return groups


def drop(el) -> None:
    """Remove an element but keep the text that follows it."""
    parent, prev = el.getparent(), el.getprevious()
    if el.tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def take_notes(root) -> tuple[dict[str, str], list]:
    """Links to list items elsewhere in the article are note calls; the items are the notes (taken out
    of the article, their back links dropped)."""
    ids = {el.get("id"): el for el in root.iter("li") if el.get("id")}
    labels: dict[str, str] = {}
    for a in root.iter("a"):
        target = (a.get("href") or "").lstrip("#")
        if (a.get("href") or "").startswith("#") and target in ids and target not in labels:
            labels[target] = str(len(labels) + 1)
    items, lists = [], set()
    for target in labels:
        li = ids[target]
        for back in [a for a in li.iter("a") if (a.get("href") or "").startswith("#")]:
            drop(back)
        items.append(li)
        lists.add(li.getparent())
    for ol in lists:
        if ol.getparent() is not None:
            ol.getparent().remove(ol)
    return labels, items


def note_markdown(label: str, li, save: ImageSaver, slug: str, draft: Draft, notes: dict) -> str:
    """One note; its second and later paragraphs (and quotations) indented under the first."""
    blocks = [c for c in li if isinstance(c.tag, str) and c.tag in BLOCKS]
    if not blocks or (li.text or "").strip():
        return f"[^{label}]: " + inline(li, notes).strip()
    parts = blocks_to_markdown(blocks, save, slug, draft, notes)
    return f"[^{label}]: " + "\n\n".join(parts).replace("\n", "\n    ").replace("\n    \n", "\n\n")


def head_epigraphs(blocks: list, draft: Draft) -> list:
    """Leading blockquotes (or quote + '— Author' paragraph) become epigraphs; returns the remaining blocks."""
    while blocks:
        first = blocks[0]
        if first.tag != "blockquote":
            break
        groups = quote_groups(first)
        follower = blocks[1] if len(blocks) > 1 else None
        if groups and groups[-1][1] is None and follower is not None and follower.tag == "p" \
                and attribution_of(follower) is not None:
            groups[-1] = (groups[-1][0], attribution_of(follower))
            blocks = blocks[1:]
        if not groups or any(who is None for _, who in groups):
            break
        for paras, who in groups:
            draft.epigraphs.append(("\n".join(paras).replace("\n", "  \n"), who))  # verse keeps its lines
        blocks = blocks[1:]
    return blocks


def split_credit(caption: str) -> tuple[str, str]:
    """The build's rule (`… / Photo: X`), then a credit in brackets at the end (`… (Photo: X)`)."""
    kept, credit = split_caption(caption, after_sentence=False)
    if credit:
        return kept, credit
    m = LOOSE_CREDIT.search(caption)
    if not m:
        return caption.strip(), ""
    return caption[: m.start()].strip(), m.group(1).strip()


def figure(img, caption_el, save: ImageSaver, slug: str, draft: Draft) -> str:
    caption, credit = "", ""
    if caption_el is not None:
        credit_el = next((e for e in caption_el.iter() if isinstance(e.tag, str) and
                          re.search(r"credit|copyright|source", e.get("class") or "")), None)
        if credit_el is not None:
            credit = text_of(credit_el)
            credit = credit if is_credit(credit) else f"Image: {credit}"
            if credit_el is not caption_el:
                drop(credit_el)
        caption = inline(caption_el).strip().replace("\n", " ")
        if not credit:
            caption, credit = split_credit(caption)
    alt, why_no_alt = (img.get("alt") or "").strip(), ""
    if alt and (words(alt) in (words(caption), words(f"{caption} {credit}")) or FILE_NAME.search(alt)):
        alt, why_no_alt = "", "its description in the file only repeats its caption or file name"
    return figure_markdown(alt, caption, credit, save(img), slug, draft.figures + 1, draft, why_no_alt)


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def leading_image(p) -> bool:
    """A paragraph that opens with an image and goes on with text: the text is the image's caption."""
    img = next(p.iter("img"))
    img.text = "\uFFFC"  # a marker (the object replacement character) where the image stands in the paragraph's text
    try:
        text = "".join(p.itertext()).strip()
    finally:
        img.text = None
    return text.startswith("\uFFFC") and bool(text[1:].strip())


def is_caption(el) -> bool:
    return el is not None and el.tag == "p" and ("caption" in (el.get("class") or "")
                                                 or bool(split_caption(text_of(el), after_sentence=False)[1]))


def blocks_to_markdown(blocks: list, save: ImageSaver, slug: str, draft: Draft, notes: dict) -> list[str]:
    out: list[str] = []
    skip = set()
    for i, el in enumerate(blocks):
        if id(el) in skip or not isinstance(el.tag, str):
            continue
        tag = el.tag
        imgs = list(el.iter("img"))
        if tag == "figure" and imgs:
            out.append(figure(imgs[0], el.find(".//figcaption"), save, slug, draft))
        elif tag == "p" and imgs and not text_of(el):
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            if is_caption(nxt):
                skip.add(id(nxt))
            out.append(figure(imgs[0], nxt if is_caption(nxt) else None, save, slug, draft))
        elif tag == "p" and imgs and leading_image(el):
            out.append(figure(imgs[0], el, save, slug, draft))
        elif tag in ("div", "section", "article", "main", "header") or (tag == "figure" and not imgs):
            out += blocks_to_markdown([c for c in el if isinstance(c.tag, str)], save, slug, draft, notes)
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            level = max(2, min(6, int(tag[1]) + (1 if tag == "h1" else 0)))
            out.append("#" * level + " " + inline(el, notes).strip())
        elif tag == "blockquote":
            lines = []
            for paras, who in quote_groups(el, notes):
                lines += [p for p in paras if p]
                if who:
                    lines.append(f"— {who}")
            out.append("\n>\n".join("> " + x.replace("\n", "  \n> ") for x in lines) if lines
                       else "> " + inline(el, notes).strip())
        elif tag in ("ul", "ol"):
            out.append(list_markdown(el, notes))
        elif tag == "table" and not el.findall(".//table") and \
                any(len([c for c in tr if c.tag in ("td", "th")]) > 1 for tr in el.iter("tr")):
            out.append(table_markdown(el, notes))
        elif tag == "table":  # a table of one column, or tables in a table: a box around paragraphs
            out += blocks_to_markdown([b for cell in el.iter("td", "th") for b in cell if isinstance(b.tag, str)]
                                      or [cell for cell in el.iter("td", "th")], save, slug, draft, notes)
        elif tag == "hr" or "section-break" in (el.get("class") or "") or (tag == "p" and not imgs and text_of(el)
                                                                        and ORNAMENT.match(text_of(el))):
            if out and out[-1] != SECTION_BREAK:
                out.append(SECTION_BREAK)
        else:
            lang = paragraph_lang(el)
            text = plain_paragraph(inline(el[0] if lang else el, notes).strip()).replace("\n", "  \n")
            if text:
                out.append(text + (f"\n{{: lang={lang} }}" if lang else ""))
            for img in imgs:  # a picture in the middle of a sentence is no figure: the editor places it
                saved = (save(img) or "").removeprefix("../")
                where = f"was saved as {saved} but" if saved else "was"
                draft.attention.append(f"a picture inside the paragraph beginning {text[:40]!r} {where} left out "
                                       "of the text: place it as a figure of its own")
    return out


def report_dropped_links(root, notes: dict, draft: Draft) -> None:
    """A link the essay cannot keep (to a file on the writer's machine, a bookmark) loses its target, never its
    words: the editor is told which."""
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith("#") or re.match(r"^(https?|mailto):", href) or ESSAY_LINK.match(href):
            continue
        draft.attention.append(f"the link on {text_of(a)[:40]!r} to {href[:80]} was left out (its words are kept): "
                               "link it again if it points to something a reader can open")


def article_to_draft(root, draft: Draft, save: ImageSaver, slug: str) -> Draft:
    """Fill the draft's epigraphs, body, figures and notes from the article element."""
    notes, note_items = take_notes(root)
    report_dropped_links(root, notes, draft)
    blocks = [c for c in root if isinstance(c.tag, str) and (c.tag in BLOCKS or text_of(c))]
    while len(blocks) == 1 and blocks[0].tag in ("div", "section", "article", "main"):
        blocks = [c for c in blocks[0] if isinstance(c.tag, str)]
    blocks = head_epigraphs(blocks, draft)
    body = blocks_to_markdown(blocks, save, slug, draft, notes)
    while body and body[-1] == SECTION_BREAK:
        body.pop()
    note_bodies = [note_markdown(notes[li.get("id")], li, save, slug, draft, notes) for li in note_items]
    draft.notes = len(note_bodies)
    draft.body = "\n\n".join(body + note_bodies)
    recognised_in_body(body, draft)
    return draft


def recognised_in_body(body: list[str], draft: Draft) -> None:
    """What the summary says it found besides the front matter, figures and notes (none of it is a warning)."""
    count = {"section break": sum(b == SECTION_BREAK for b in body), "table": sum(b.startswith("| ") for b in body),
             "list": sum(bool(re.match(r"(- |1\. )", b)) for b in body),
             "block quotation": sum(b.startswith("> ") for b in body)}
    found = [f"{n} {what}{'s' if n != 1 else ''}" for what, n in count.items() if n]
    langs = sorted(set(re.findall(r'(?:lang=|lang=")([\w-]+)', "\n".join(body))))
    if langs:
        found.append("passages in " + ", ".join(langs))
    if found:
        draft.recognised.append("in the text: " + ", ".join(found))
