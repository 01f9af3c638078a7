"""What mammoth does not read in a .docx, read from its XML before mammoth sees it: tracked changes (refused,
or accepted on the editor's word), comments (listed for the editor, never printed) and the language of runs
(a run whose w:lang differs from the document's is given a character style mammoth maps to a span).

The package is rewritten in memory; the file on disk is never touched.
"""
from __future__ import annotations

import io
import re
import zipfile
from collections import Counter

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PARTS = ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml")
LANG_STYLE = "BookbuilderLang"  # + the tag: the character style that stands for a language


def w(local: str) -> str:
    return f"{{{W}}}{local}"


def parse(data: bytes):
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))


def primary(tag: str) -> str:
    return tag.split("-")[0].lower()


def run_lang(run) -> str:
    lang = run.find(f"{w('rPr')}/{w('lang')}")
    return (lang.get(w("val")) or "") if lang is not None else ""


def document_lang(styles, document) -> str:
    """The document's language: the one most of its text is set in, else its default run properties' (a
    German Word's default under an essay typed in English is not the essay's language)."""
    chars: Counter = Counter()
    for run in document.iter(w("r")):
        chars[primary(run_lang(run))] += sum(len(t.text or "") for t in run.iter(w("t")))
    most, count = chars.most_common(1)[0] if chars else ("", 0)
    if most and count > sum(chars.values()) / 2:
        return most
    path = f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('lang')}"
    default = styles.find(path) if styles is not None else None
    return (default.get(w("val")) or "") if default is not None else ""


def tracked_changes(root) -> list:
    return [el for tag in ("ins", "del", "moveFrom", "moveTo") for el in root.iter(w(tag))
            if el.getparent().tag != w("rPr")] + \
        [el for tag in ("rPrChange", "pPrChange") for el in root.iter(w(tag))]


def accept(root) -> None:
    """Insertions and moves kept, deletions and moved-away text dropped, formatting changes settled."""
    for el in tracked_changes(root):
        parent = el.getparent()
        if parent is None:
            continue
        if el.tag in (w("del"), w("moveFrom"), w("rPrChange"), w("pPrChange")):
            parent.remove(el)
        else:
            index = parent.index(el)
            parent[index:index + 1] = list(el)


def comments(package: zipfile.ZipFile, document) -> list[str]:
    """'comment by Ana Ruiz on "the words it marks": its text', for each comment."""
    if "word/comments.xml" not in package.namelist():
        return []
    anchored: dict[str, list[str]] = {}
    open_ids: set[str] = set()
    for el in document.iter(w("commentRangeStart"), w("commentRangeEnd"), w("t")):
        if el.tag == w("commentRangeStart"):
            open_ids.add(el.get(w("id")))
            anchored.setdefault(el.get(w("id")), [])
        elif el.tag == w("commentRangeEnd"):
            open_ids.discard(el.get(w("id")))
        else:
            for i in open_ids:
                anchored[i].append(el.text or "")
    out = []
    for c in parse(package.read("word/comments.xml")).iter(w("comment")):
        text = " ".join("".join(t.text or "" for t in p.iter(w("t"))) for p in c.iter(w("p"))).strip()
        marks = re.sub(r"\s+", " ", "".join(anchored.get(c.get(w("id")), []))).strip()
        where = f' on "{marks[:60]}{"…" if len(marks) > 60 else ""}"' if marks else ""
        out.append(f"comment by {c.get(w('author')) or 'someone'}{where}: {text}")
    return out


BREAK_STYLES = {"horizontal line", "section break", "separator"}


def mark_section_breaks(root, styles) -> None:
    """A paragraph that is only a line (LibreOffice's Horizontal Line, Word's and pandoc's horizontal rule, an
    empty paragraph with a border) is a section break: it is given the text `* * *`, as a writer types one
    (mammoth drops empty paragraphs, and with them the break)."""
    ids = {s.get(w("styleId")) for s in (styles.iter(w("style")) if styles is not None else [])
           if (s.find(w("name")).get(w("val")) if s.find(w("name")) is not None else "").lower() in BREAK_STYLES}
    for p in root.iter(w("p")):
        if "".join(t.text or "" for t in p.iter(w("t"))).strip():
            continue
        style = p.find(f"{w('pPr')}/{w('pStyle')}")
        rule = any(el.get("{urn:schemas-microsoft-com:office:office}hr") == "t" for el in p.iter()
                   if isinstance(el.tag, str) and el.tag.endswith("}rect"))
        border = p.find(f"{w('pPr')}/{w('pBdr')}") is not None and p.find(f".//{w('drawing')}") is None
        if (style is not None and style.get(w("val")) in ids) or rule or border:
            for run in p.findall(w("r")):
                p.remove(run)
            run = etree.SubElement(p, w("r"))
            etree.SubElement(run, w("t")).text = "* * *"


def mark_languages(root, default: str, langs: set[str]) -> int:
    """Runs in another language than the document's get the character style of their language; returns how many
    such runs already had a character style (their language cannot be marked as well)."""
    skipped = 0
    for run in root.iter(w("r")):
        lang = run_lang(run)
        if not lang or not default or primary(lang) == primary(default) or run.find(f".//{w('t')}") is None:
            continue
        props = run.find(w("rPr"))
        if props.find(w("rStyle")) is not None:
            skipped += 1
            continue
        style = etree.Element(w("rStyle"))
        style.set(w("val"), LANG_STYLE + lang)
        props.insert(0, style)
        langs.add(lang)
    return skipped


def add_language_styles(styles, langs: set[str]) -> None:
    for lang in sorted(langs):
        style = etree.SubElement(styles, w("style"), {w("type"): "character", w("styleId"): LANG_STYLE + lang})
        etree.SubElement(style, w("name"), {w("val"): f"{LANG_STYLE} {lang}"})


def prepare(source, accept_changes: bool) -> tuple[io.BytesIO, list[str], int, set[str], list[str]]:
    """The package mammoth reads; the comments; how many tracked changes it had (0 when accepted); the
    languages marked; what could not be marked."""
    notes: list[str] = []
    with zipfile.ZipFile(source) as z:
        parts = {name: z.read(name) for name in z.namelist()}
        roots = {name: parse(parts[name]) for name in PARTS if name in parts}
        styles = parse(parts["word/styles.xml"]) if "word/styles.xml" in parts else None
        found = comments(z, roots["word/document.xml"])
    changes = sum(len(tracked_changes(r)) for r in roots.values())
    if changes and accept_changes:
        for r in roots.values():
            accept(r)
        changes = 0
    mark_section_breaks(roots["word/document.xml"], styles)
    default = document_lang(styles, roots["word/document.xml"])
    langs: set[str] = set()
    skipped = sum(mark_languages(r, default, langs) for r in roots.values()) if styles is not None else 0
    if skipped:
        notes.append(f"{skipped} run{'s' if skipped != 1 else ''} in another language than the document's also had "
                     "a character style: their language was not marked (add {: lang=… } by hand)")
    if langs and styles is not None:
        add_language_styles(styles, langs)
        parts["word/styles.xml"] = etree.tostring(styles, xml_declaration=True, encoding="UTF-8", standalone=True)
    for name, r in roots.items():
        parts[name] = etree.tostring(r, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    out.seek(0)
    return out, found, changes, langs, notes
