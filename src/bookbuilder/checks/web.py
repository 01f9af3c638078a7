"""Checks on the web edition, read from the site's files: every link inside it lands, nothing comes from elsewhere.

A reader's browser fetches whatever a page names; so a stylesheet, picture, font or script
from another host would be a request the book never meant to make (and a tracker). Links
in the essays' own text to other sites are the authors' and stay; the download links lead
to the other editions beside the site and are not the site's to check.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import html as lxml_html

from . import Finding
from ..cssurls import fetched_urls, remote_urls

FETCHED = (("img", "src"), ("script", "src"), ("link", "href"), ("source", "src"), ("iframe", "src"),
           ("video", "src"), ("audio", "src"), ("object", "data"), ("embed", "src"))


def site_links(site: Path) -> tuple[list[str], list[str]]:
    """(links that do not land, things fetched from another host), each as 'page: what'."""
    pages = sorted(site.rglob("*.html"))
    trees = {p: lxml_html.parse(str(p)).getroot() for p in pages}
    ids = {p.resolve(): {el.get("id") for el in t.iter() if isinstance(el.tag, str) and el.get("id")}
           for p, t in trees.items()}
    broken, remote = [], []
    for page, tree in trees.items():
        name = page.relative_to(site).as_posix()
        fetched = [(el, el.get(attr)) for tag, attr in FETCHED for el in tree.iter(tag) if el.get(attr)]
        fetched += [(img, entry.split()[0]) for img in tree.iter("img") for entry in (img.get("srcset") or "").split(",")
                    if entry.strip()]
        for el, url in fetched:
            if (el.tag == "link" and el.get("rel") == "canonical") or url.startswith("data:"):
                continue  # the canonical address is the book's own; data: is in the page
            if is_remote(url):
                remote.append(f"{name}: <{el.tag}> loads {url[:80]}")
            elif not lands(site, page, url, ids):
                broken.append(f"{name}: <{el.tag}> names {url[:80]}, which is not in the site")
        for a in tree.iter("a"):
            href = a.get("href")
            if not href or is_remote(href) or href.startswith(("mailto:", "tel:")) or "download" in a.attrib:
                continue
            if not lands(site, page, href, ids):
                broken.append(f"{name}: the link to {href[:80]} leads nowhere")
    for css in sorted(site.rglob("*.css")):
        text = css.read_text(encoding="utf-8")
        remote += [f"{css.relative_to(site).as_posix()}:{n}: loads {url[:80]}" for n, url in remote_urls(text)]
        for _, url in fetched_urls(text):
            if not is_remote(url) and not (css.parent / unquote(url)).is_file():
                broken.append(f"{css.relative_to(site).as_posix()}: url({url[:80]}) is not in the site")
    return broken, remote


def is_remote(url: str) -> bool:
    return bool(urlsplit(url.strip()).scheme) or url.strip().startswith("//")


def lands(site: Path, page: Path, url: str, ids: dict) -> bool:
    """A relative URL names a file of the site, and an id on it when it names one."""
    parts = urlsplit(url)
    target = (page.parent / unquote(parts.path)).resolve() if parts.path else page.resolve()
    if not target.is_relative_to(site.resolve()) or not target.is_file():
        return False
    if parts.fragment and target.suffix == ".html":
        return unquote(parts.fragment) in ids.get(target, set())
    return True


def check_web(rendered, book) -> list[Finding]:
    broken, remote = site_links(Path(rendered.path))
    findings = [Finding("web", f"a link does not land: {b}") for b in broken[:20]]
    findings += [Finding("web", f"loads from another host: {r}") for r in remote[:20]]
    return findings
