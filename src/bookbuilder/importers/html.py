"""A saved web article (.html) → a `Draft`: the article kept, the site around it dropped.

Parsing is safe by construction: libxml2's HTML parser never loads DTDs or expands
declared entities, `no_network=True` forbids fetching anything, and images are only
copied from files next to the page (a remote image becomes a TODO figure, never a download).
"""
from __future__ import annotations

import base64
import datetime as dt
import re
import shutil
from html.entities import html5
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from . import Draft
from .files import image_beside
from .markup import article_to_draft, drop, text_of

CHROME_TAGS = ("script", "style", "noscript", "iframe", "form", "button", "nav", "aside", "svg", "input", "select",
               "textarea", "template", "object", "embed", "dialog")
CHROME_WORDS = {"share", "sharing", "social", "related", "comment", "comments", "newsletter", "subscribe", "promo",
                "advert", "advertisement", "ad", "ads", "sidebar", "breadcrumb", "breadcrumbs", "tags", "nav",
                "navigation", "menu", "popup", "cookie", "cookies", "donate", "signup", "recommended", "more",
                "byline", "dateline", "author"}
ARTICLE_BODIES = ("//*[@itemprop='articleBody']", "//*[contains(concat(' ', normalize-space(@class), ' '), ' entry-content ')]",
                  "//*[contains(concat(' ', normalize-space(@class), ' '), ' article-body ')]",
                  "//*[contains(concat(' ', normalize-space(@class), ' '), ' post-content ')]", "//article", "//main")


def parse(source: Path):
    """A page that declares no charset is read as UTF-8 when it is valid UTF-8 (libxml2 would guess Latin-1)."""
    data = source.read_bytes()
    encoding = None
    if not re.search(rb"charset\s*=", data[:4096], re.I):
        try:
            data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            pass
    parser = etree.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, encoding=encoding)
    return etree.fromstring(data, parser)


def meta(root, *names: str) -> str:
    for name in names:
        for el in root.xpath(f"//meta[@property='{name}' or @name='{name}' or @itemprop='{name}']"):
            if (el.get("content") or "").strip():
                return el.get("content").strip()
    return ""


def is_chrome(el) -> bool:
    if el.tag in CHROME_TAGS:
        return True
    if el.tag == "footer" and not any(a.tag == "blockquote" for a in el.iterancestors()):
        return True
    words = set(re.split(r"[\s_\-]+", f"{el.get('class') or ''} {el.get('id') or ''} {el.get('role') or ''}".lower()))
    return bool(words & CHROME_WORDS) or el.get("aria-hidden") == "true" or el.get("hidden") is not None


def parse_date(text: str) -> dt.date | None:
    m = re.match(r"(\d{4}-\d{2}-\d{2})", text or "")
    return dt.date.fromisoformat(m.group(1)) if m else None


def pick_article(root):
    for path in ARTICLE_BODIES:
        found = root.xpath(path)
        if found:
            return max(found, key=lambda el: len(text_of(el)))
    body = root.find("body")
    return body if body is not None else root


def read_metadata(root, article, draft: Draft) -> None:
    h1 = article.find(".//h1")
    if h1 is None:
        h1 = root.find(".//h1")
    title = meta(root, "og:title", "twitter:title") or (text_of(h1) if h1 is not None else "")
    if not title and root.find(".//title") is not None:
        title = re.split(r"\s+[|–—-]\s+", text_of(root.find(".//title")))[0]
    draft.title, _, draft.subtitle = (x.strip() for x in title.partition(": "))
    byline = meta(root, "author", "article:author", "parsely-author", "sailthru.author")
    if not byline or byline.startswith("http"):
        el = next(iter(root.xpath("//*[@rel='author' or @itemprop='author' or contains(@class, 'byline') "
                                  "or contains(@class, 'author-name')]")), None)
        byline = text_of(el) if el is not None else ""
    byline = re.sub(r"^by\s+", "", byline, flags=re.I).strip()
    draft.authors = [a.strip() for a in re.split(r",\s*|\s+and\s+", byline) if a.strip()] if byline else []
    times = root.xpath("//time[@datetime]")
    draft.date = parse_date(meta(root, "article:published_time", "datePublished", "date", "dc.date")
                            or (times[0].get("datetime") if times else ""))
    standfirst = next(iter(root.xpath("//*[contains(@class, 'standfirst') or contains(@class, 'dek') "
                                      "or contains(@class, 'subheadline') or contains(@class, 'excerpt')]")), None)
    if standfirst is not None and text_of(standfirst):
        draft.standfirst = text_of(standfirst)
        if article in standfirst.iterancestors():
            drop(standfirst)
    canonical = next(iter(root.xpath("//link[@rel='canonical']/@href")), "") or meta(root, "og:url")
    draft.original = {"name": meta(root, "og:site_name", "application-name"), "date": draft.date, "url": canonical}
    if h1 is not None and h1 in article.iter():
        drop(h1)
    if not draft.authors:
        draft.attention.append("no byline found: add author: to the front matter (or import with --author)")


def read_html(source: Path, images_dir: Path, slug: str) -> Draft:
    root = parse(source)
    draft = Draft()
    base = next((b.get("href") for b in root.iter("base") if (b.get("href") or "").strip()), None)
    article = pick_article(root)
    read_metadata(root, article, draft)
    dropped = 0
    for el in list(article.iter()):
        if isinstance(el.tag, str) and el.getparent() is not None and is_chrome(el):
            el.getparent().remove(el)  # the whole subtree goes: its text was the site's, not the article's
            dropped += 1
    for el in list(article.iter("header")):
        drop(el)
    if dropped:
        draft.recognised.append(f"site chrome dropped: {dropped} element(s) (navigation, sharing, comments, scripts, forms …)")
    copied: list[str] = []

    def save_image(img) -> str | None:
        src = (img.get("src") or "").strip()
        if src.startswith("data:image/"):
            head, _, data = src.partition(",")
            ext = "." + head.split("/")[1].split(";")[0].replace("jpeg", "jpg")
            name = f"{slug}-{len(copied) + 1}{ext}"
            (images_dir / name).write_bytes(base64.b64decode(data) if ";base64" in head else unquote(data).encode())
        else:
            if base is not None:
                draft.attention.append(f"image {src[:80]!r} was not read: the page sets <base href>, so its "
                                       "images may live anywhere; save them into images/ yourself")
                return None
            local, why = image_beside(source, src)
            if local is None:
                draft.attention.append(f"image {src[:80]!r} {why}")
                return None
            name = f"{slug}-{len(copied) + 1}{local.suffix.lower().replace('.jpeg', '.jpg')}"
            shutil.copyfile(local, images_dir / name)
        copied.append(name)
        return f"../images/{name}"

    article_to_draft(article, draft, save_image, slug)
    unknown = sorted(set(re.findall(r"&([A-Za-z][\w.-]*);", draft.body)) - set(n.rstrip(";") for n in html5))
    if unknown:  # the parser leaves entities it does not know as text; they are never expanded
        draft.body = re.sub(r"&(%s);" % "|".join(map(re.escape, unknown)), "", draft.body)
        draft.attention.append("unknown entities removed from the text: " + ", ".join(f"&{n};" for n in unknown))
    return draft
