"""Small typographic refinements: no one-word last lines in titles, attributions kept with their dash, and the
spacing of French punctuation.

French (any text whose language is `fr`, `fr-CA` …: the essay's `lang`, else the book's, and any element with
its own `lang` inside) takes a narrow no-break space (U+202F) before ; : ! ? and inside « guillemets ». An
ordinary space the author typed there becomes the narrow one; a no-break space the author typed is kept; none
is ever doubled. A colon or question mark inside a word, a time or an address (10:30, http://, ?id=3) is left
alone. The space after a dialogue dash is left to the author.
"""
from __future__ import annotations

import re

from lxml import etree, html as lxml_html

from ..model import Book, Epigraph
from ..sources.structure import parse_fragment, serialise

NBSP = "\u00a0"
NNBSP = "\u202f"
SPACES = " \t\u00a0\u202f"
# A mark that ends a clause: followed by a space, the end, another mark or closing punctuation (not "10:30", "http:").
CLOSING = r"(?=[;:!?](?:[\s;:!?»)\]”’.,…]|$))"
SPACE_BEFORE_MARK = re.compile(r"[ \t]+" + CLOSING)
NO_SPACE_BEFORE_MARK = re.compile(r"(?<=[\w»)\]”’…%*])" + CLOSING)
AFTER_OPENING = re.compile(r"«(?:[ \t]+|(?![\s\u00a0\u202f]))")
BEFORE_CLOSING = re.compile(r"[ \t]+»|(?<=[^\s\u00a0\u202f])»")
UNTOUCHED = {"code", "pre", "kbd", "samp", "script", "style"}


def is_french(lang: str | None) -> bool:
    return bool(lang) and lang.split("-")[0].lower() == "fr"


def french_spacing(text: str, before: str = "") -> str:
    """`text` with French spacing; `before` is the character that precedes it in its paragraph, if any."""
    if not any(c in text for c in ";:!?«»"):
        return text
    before = "" if before.isspace() else before  # the space is the run before's: it stays as it is
    s = before + text
    s = SPACE_BEFORE_MARK.sub(NNBSP, s)
    s = NO_SPACE_BEFORE_MARK.sub(NNBSP, s)
    s = AFTER_OPENING.sub("«" + NNBSP, s)
    s = BEFORE_CLOSING.sub(NNBSP + "»", s)
    return s[len(before):] if before and s.startswith(before) else s


def respace_tree(el: etree._Element, french: bool, before: str = "") -> str:
    """French spacing on every text run under `el` whose language is French; returns the last character seen."""
    if isinstance(el.tag, str):
        if el.tag in UNTOUCHED:
            return (el.text or before)[-1:] if el.text else before
        if el.get("lang"):
            french = is_french(el.get("lang"))
    if el.text:
        if french:
            el.text = french_spacing(el.text, before)
        before = el.text[-1:]
    for child in el:
        before = respace_tree(child, french, before)
        if child.tail:
            if french:
                child.tail = french_spacing(child.tail, before)
            before = child.tail[-1:]
    return before


def respace(html: str, lang: str) -> str:
    """An HTML fragment with French spacing where its language is French (cheap when there is nothing to do)."""
    if not html or not any(c in html for c in ";:!?«»"):
        return html
    root = parse_fragment(html)
    respace_tree(root, is_french(lang))
    return serialise(root)


def respace_body(root: etree._Element, lang: str) -> None:
    """An essay's body with French spacing where its language is French; a body with no French in it
    (no `lang` on any element: lxml's search, not a walk in Python) is left as it is."""
    if is_french(lang) or root.find(".//*[@lang]") is not None:
        respace_tree(root, is_french(lang))


def respace_text(text: str, lang: str) -> str:
    """A plain string (a title in the metadata, a running head) with French spacing when it is French."""
    return french_spacing(text) if text and is_french(lang) else text


def respace_epigraph(e: Epigraph, lang: str) -> None:
    lang = e.lang or lang
    e.text_html, e.attribution_html = respace(e.text_html, lang), respace(e.attribution_html, lang)


def tie_last_word(html: str) -> str:
    """Join the last two words of a short title so it never ends on a lone word."""
    if "<" in html or html.count(" ") < 2:
        return html
    head, last = html.rsplit(" ", 1)
    return head + NBSP + last if len(last) < 12 else html


def tie_attribution(html: str) -> str:
    """In an attribution (an epigraph's, a quotation's figcaption), keep 'p. 12' and similar pairs together."""
    return re.sub(r"\b(p|pp|vol|no|ch)\. (\d)", rf"\1.{NBSP}\2", html)


def space_by_language(book: Book) -> None:
    """Each essay's text by its own language (the book's when it names none), the book's own strings by the book's."""
    for essay in book.pieces:
        lang = essay.lang or book.language
        essay.title = respace_text(essay.title, lang)
        essay.subtitle = respace_text(essay.subtitle, lang)
        essay.running_title = respace_text(essay.running_title, lang)
        essay.title_html, essay.standfirst_html = respace(essay.title_html, lang), respace(essay.standfirst_html, lang)
        respace_body(essay.body, lang)
        for e in essay.epigraphs:
            respace_epigraph(e, lang)
        for note in essay.notes:
            note.html = respace(note.html, lang)
        for figure in essay.figures:
            figure.caption_html, figure.credit_html = respace(figure.caption_html, lang), respace(figure.credit_html, lang)
    for part in book.parts:
        part.title, part.title_html = respace_text(part.title, book.language), respace(part.title_html, book.language)
        for e in part.epigraphs:
            respace_epigraph(e, book.language)
    for e in book.epigraphs:
        respace_epigraph(e, book.language)
    book.cover.credit_html = respace(book.cover.credit_html, book.language)


OPENING_WORDS = 5  # at most; fewer when a clause ends sooner


def mark_opening_words(root: etree._Element) -> None:
    """An essay opens with its first words in small capitals: up to five, or to the end of the first clause.

    A span, not CSS ::first-line: WeasyPrint sets the first line of every page a long first
    paragraph runs onto in small capitals too. Only a body that opens with a paragraph's text has them.
    """
    first = root[0] if len(root) and not (root.text or "").strip() else None
    if first is None or first.tag != "p" or not first.text:
        return
    taken = []
    for word in re.findall(r"\S+\s*", first.text)[:OPENING_WORDS]:
        taken.append(word)
        if re.search(r"[,;:.!?—)]\s*$", word):
            break
    opening = "".join(taken).rstrip()
    span = lxml_html.Element("span", {"class": "opening-words"})
    span.text, span.tail, first.text = opening, first.text[len(opening):], None
    first.insert(0, span)


def tie_captions(root: etree._Element) -> None:
    """`tie_attribution` in every figcaption of a body (a quotation's attribution: structure.mark_attributed_quotes)."""
    for caption in root.iter("figcaption"):
        for el in caption.iter():
            if el.text:
                el.text = tie_attribution(el.text)
            if el is not caption and el.tail:
                el.tail = tie_attribution(el.tail)


def refine(book: Book) -> None:
    space_by_language(book)
    for essay in book.essays:
        mark_opening_words(essay.body)
    for essay in book.pieces:
        essay.title_html = tie_last_word(essay.title_html)
        tie_captions(essay.body)
    for part in book.parts:
        part.title_html = tie_last_word(part.title_html)
    for epigraph in [*book.epigraphs, *(e for p in book.parts for e in p.epigraphs),
                     *(e for piece in book.pieces for e in piece.epigraphs)]:
        epigraph.attribution_html = tie_attribution(epigraph.attribution_html)
