"""The house stylesheets parsed once per process, not once per chunk.

Every chunk links the same stylesheets, and WeasyPrint parses each `<link>` afresh for
every document (tokenising, validating every declaration, compiling the selectors): on a
book of 85 short essays that was a tenth of the layout's CPU. Here a linked stylesheet is
parsed once per process and its parsed form (the compiled selectors and the @page rules)
lent to every later document that links the same bytes.

The cascade sees exactly what it saw before: the same sheets in the same order, with the
same origin, and each document's @page rules collected in one list in source order, as
WeasyPrint collects them. A sheet is lent only when parsing it had no other effect on
the document (no @font-face, @color-profile, @counter-style, @layer or @import): those
are parsed afresh, as are `<style>` elements (they differ from chunk to chunk).

The key is the sheet's URL and bytes, fetched through the document's own fetcher each
time, so an edited stylesheet (under `serve`) is parsed again and a refused one is still
refused.

Relies on (WeasyPrint 70): `weasyprint.css.find_stylesheets`, a module global that
`weasyprint.css.get_all_computed_styles` calls with (wrapper_element, device_media_type,
url_fetcher, base_url, font_config, counter_style, color_profiles, page_rules, layers); the
`CSS` constructor's private `_check_mime_type`, `page_rules` and `layers` arguments; a parsed
`CSS`'s `page_rules` and `layers` attributes; `weasyprint.urls.fetch`, `weasyprint.html`'s
`element_has_link_type` and `parse_url`, `weasyprint.css.get_child_text` and `media_queries`.
tests/test_engine_contracts.py checks each. What would remove it: a cache of parsed
stylesheets in WeasyPrint itself, or a documented way to hand `HTML.render` stylesheets
already parsed for another document (today a `CSS` passed in `stylesheets=` is a user
sheet, of another origin than a `<link>`'s author sheet, so the cascade would differ).
"""
from __future__ import annotations

import hashlib

_parsed: dict[tuple, tuple] = {}  # (url, media, sha256 of the bytes) → (CSS, its own @page rules) or None


class _NoFontFaces:
    """Stands in for the font configuration while a sheet is parsed: records whether it declared fonts."""

    def __init__(self):
        self.declared = False

    def add_font_face(self, rule_descriptors, url_fetcher):
        self.declared = True


def _lendable(href, device_media_type, url_fetcher, page_rules, layers):
    """The sheet at `href` parsed once for this process, or None when it must be parsed in the document."""
    from weasyprint import CSS
    from weasyprint.urls import fetch

    with fetch(url_fetcher, href) as response:
        content = response.read()
    if isinstance(content, str):
        content = content.encode("utf-8")
    if b"@import" in content:
        return None
    key = (href, device_media_type, hashlib.sha256(content).hexdigest())
    if key not in _parsed:
        fonts, rules, own_layers, counters, profiles = _NoFontFaces(), [], [], {}, {}
        css = CSS(url=href, url_fetcher=url_fetcher, media_type=device_media_type, font_config=fonts,
                  counter_style=counters, color_profiles=profiles, page_rules=rules, layers=own_layers,
                  _check_mime_type=True)
        side_effects = fonts.declared or own_layers or counters or profiles
        _parsed[key] = None if side_effects else (css, rules)
    if _parsed[key] is None:
        return None
    css, rules = _parsed[key]
    # WeasyPrint gives every sheet of a document the document's one list of @page rules
    page_rules.extend(rules)
    css.page_rules, css.layers = page_rules, layers
    return css


def _find_stylesheets(wrapper_element, device_media_type, url_fetcher, base_url,
                      font_config, counter_style, color_profiles, page_rules, layers):
    """WeasyPrint's own (css/__init__.py, find_stylesheets), lending parsed `<link>` sheets."""
    from weasyprint import CSS
    from weasyprint.css import media_queries
    from weasyprint.css import get_child_text
    from weasyprint.html import element_has_link_type, parse_url
    from weasyprint.logger import LOGGER
    from weasyprint.urls import URLFetchingError

    for wrapper in wrapper_element.query_all("style", "link"):
        element = wrapper.etree_element
        mime_type = element.get("type", "text/css").split(";", 1)[0].strip()
        if mime_type != "text/css":
            continue
        media_attr = element.get("media", "").strip() or "all"
        media = [media_type.strip() for media_type in media_attr.split(",")]
        if not media_queries.evaluate_media_query(media, device_media_type):
            continue
        if element.tag == "style":
            yield CSS(string=get_child_text(element), base_url=base_url, url_fetcher=url_fetcher,
                      media_type=device_media_type, font_config=font_config, counter_style=counter_style,
                      page_rules=page_rules, color_profiles=color_profiles, layers=layers)
        elif element.tag == "link" and element.get("href"):
            if not element_has_link_type(element, "stylesheet") or element_has_link_type(element, "alternate"):
                continue
            href = parse_url(element.get("href"), base_url)
            if href is None:
                continue
            try:
                lent = _lendable(href, device_media_type, url_fetcher, page_rules, layers) \
                    if href.startswith("file:") else None
                yield lent or CSS(url=href, url_fetcher=url_fetcher, media_type=device_media_type,
                                  font_config=font_config, counter_style=counter_style,
                                  color_profiles=color_profiles, page_rules=page_rules, layers=layers,
                                  _check_mime_type=True)
            except URLFetchingError as exception:
                LOGGER.error("Failed to load stylesheet at %s: %s", href, exception)


def install() -> None:
    """Lend parsed stylesheets from now on in this process (idempotent)."""
    import weasyprint.css as css

    if not getattr(css.find_stylesheets, "bookbuilder", False):
        _find_stylesheets.bookbuilder = True
        _find_stylesheets.original = css.find_stylesheets
        css.find_stylesheets = _find_stylesheets
