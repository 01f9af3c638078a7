"""The whole book folder → `model.Book`: settings first, then every listed essay."""
from __future__ import annotations

import uuid
from pathlib import Path

from ..config import Settings, load_settings
from ..errors import Problems
from ..model import Book, Cover, Edition, Part
from .essay import load_essay, make_contributor, make_epigraph, slugify
from .markdown import to_inline_html


def load_book(book_dir: Path) -> Book:
    """Read book.toml and every essay; raises BuildError listing all problems found."""
    book_dir = Path(book_dir).resolve()
    settings = load_settings(book_dir)
    v = settings.values
    problems = Problems()
    lang = v["language"]
    seen: dict[Path, tuple] = {}

    def essays(paths: list[Path], key: tuple, kind: str):
        out = []
        for i, path in enumerate(paths):
            rel = str(path.relative_to(book_dir))
            if path in seen:
                problems.add(settings.file, f"{rel} is listed twice in the contents",
                             settings.line_of(key + (i,), rel), "list each essay once")
                continue
            seen[path] = key
            essay = load_essay(path, book_dir, lang, kind, problems)
            if essay is not None:
                out.append(essay)
        return out

    contents = v["contents"]
    front = essays(contents["front"], ("contents", "front"), "front")
    parts: list[Part] = []
    if contents["essays"]:
        parts.append(Part(id="part-1", number=0, title="", title_html="",
                          essays=essays(contents["essays"], ("contents", "essays"), "essay")))
    for n, p in enumerate(contents["parts"], 1):
        parts.append(Part(id=f"part-{n}", number=n, title=p["title"], title_html=to_inline_html(p["title"]),
                          epigraphs=[make_epigraph(e) for e in p["epigraphs"]],
                          essays=essays(p["essays"], ("contents", "parts", n - 1, "essays"), "essay")))
    back = essays(contents["back"], ("contents", "back"), "back")

    slugs: dict[str, Path] = {}
    for essay in [*front, *[e for p in parts for e in p.essays], *back]:
        if essay.slug in slugs:
            problems.add(essay.path.relative_to(book_dir), f"has the same name ({essay.slug}) as "
                         f"{slugs[essay.slug].relative_to(book_dir)}", None, "rename one of the two files")
        slugs[essay.slug] = essay.path
    problems.raise_if_any()

    editions = {name: Edition(name=name, isbn=opts.get("isbn") or "", options=opts)
                for name, opts in v["editions"].items() if opts}
    for name in ("print", "epub", "screen"):
        editions.setdefault(name, Edition(name=name))
    cover = v["cover"] or {}
    return Book(
        root=book_dir, slug=slugify(v["title"]), title=v["title"], subtitle=v["subtitle"], language=lang,
        editors=[make_contributor(e, role="edt") for e in v["editors"]], publisher=v["publisher"],
        date=v["date"], rights=v["rights"], description=v["description"], series=v["series"],
        epigraphs=[make_epigraph(e) for e in v["epigraphs"]], editions=editions,
        trim=editions["print"].options.get("trim") if editions["print"].options else None,
        cover=Cover(image=cover.get("image"), credit_html=to_inline_html(cover["credit"]) if cover.get("credit") else "",
                    back_text=cover.get("back_text") or "", background=cover.get("background") or "#8f1c20",
                    pages_per_inch=cover.get("pages_per_inch"), caliper_mm=cover.get("caliper_mm")),
        front=front, parts=parts, back=back, identifier=identifier_for(settings),
    )


def identifier_for(settings: Settings) -> str:
    """A stable identity: the one given, else the EPUB's ISBN, else a UUID derived from title and publisher."""
    v = settings.values
    if v["identifier"]:
        return v["identifier"]
    isbn = (v["editions"].get("epub") or {}).get("isbn")
    if isbn:
        return "urn:isbn:" + isbn.replace("-", "").replace(" ", "")
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"bookbuilder:{v['publisher']}:{v['title']}"))
