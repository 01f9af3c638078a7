"""Contributor manuscripts made by real producers from the house essays, and the comparison of an imported
essay with the essay it was made from (used by test_import_docx.py and test_manuscript_roundtrip.py).

A house essay → the Markdown a contributor would have written (no house `///` blocks, the metadata pandoc
knows) → pandoc's .docx and .odt → LibreOffice's .docx (made from pandoc's .odt, as a writer who works in
LibreOffice saves for Word) → `bookbuilder import` → the same essay."""
from __future__ import annotations

import html
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import yaml

from bookbuilder.errors import Problems
from bookbuilder.sources.essay import load_essay
from bookbuilder.transforms.credits import split_caption

ROOT = Path(__file__).resolve().parents[1]
SHARED_BOOKS = ROOT.parent / "shared" / "books"
FIGURE = re.compile(r"^!\[(?P<alt>[^\]]*)\]\((?P<src>[^)]+)\)\n(?P<caption>.+)$", re.M)
# House-only markup: a `/// aside` (or any `///` block) is the house's own syntax, which no word processor has;
# a contributor does not write one, so the manuscript leaves it out and the comparison leaves out what it makes.
HOUSE_BLOCK = re.compile(r"^/// .*?^///$", re.M | re.S)
HOUSE_BLOCK_HTML = re.compile(r"<aside.*?</aside>", re.S)
# An index mark ({^term}) is the editor's, added in the book: a contributor's manuscript has none (it prints nothing).
INDEX_MARK = re.compile(r"\{\^[^{}\n]*\}")
NO_ALT = "TODO: describe the image"


def sample_and_shared_essays() -> list[Path]:
    """Every essay of the sample book and of the four real books (those that are on this machine)."""
    essays = sorted((ROOT / "book" / "essays").glob("*.md"))
    return essays + sorted(SHARED_BOOKS.glob("*/essays/*.md"))


def author_names(meta: dict) -> list[str]:
    listed = meta.get("authors") or ([meta["author"]] if meta.get("author") else [])
    return [a["name"] if isinstance(a, dict) else str(a) for a in listed]


def contributor_markdown(essay: Path, keep_figures: str = "first", abstract: str = "metadata") -> str:
    """The essay as a contributor's Markdown for pandoc: the metadata pandoc knows (author, date), no house
    blocks. Figures as pandoc's captioned figures (the image's description is then its caption), except those
    `keep_figures` names ("first", "all"): an image and its caption in one paragraph, with its own description.
    The standfirst is pandoc's abstract (`abstract="metadata"`, which only the .docx writer writes), or a
    paragraph in the Abstract style (`"paragraph"`: pandoc's custom-style, which the .odt writer keeps too)."""
    _, fm, body = essay.read_text(encoding="utf-8").split("---\n", 2)
    meta = yaml.safe_load(fm)
    pandoc_meta = {"title": meta["title"], "author": author_names(meta)}
    for ours, theirs in (("subtitle", "subtitle"), ("date", "date")):
        if meta.get(ours):
            pandoc_meta[theirs] = str(meta[ours])
    if meta.get("standfirst") and abstract == "metadata":
        pandoc_meta["abstract"] = str(meta["standfirst"])
    elif meta.get("standfirst") and abstract == "paragraph":
        body = f'::: {{custom-style="Abstract"}}\n{meta["standfirst"]}\n:::\n\n' + body
    figures = list(FIGURE.finditer(body))
    for n, m in reversed(list(enumerate(figures))):
        if not (keep_figures == "all" or (keep_figures == "first" and n == 0)):
            body = body[:m.start()] + f"![{m['caption']}]({m['src']})" + body[m.end():]
    body = INDEX_MARK.sub("", HOUSE_BLOCK.sub("", body))
    # the house's language marks as pandoc's: a paragraph's `{: lang=de }` line, an italic's `*…*{: lang=pl }`
    body = re.sub(r"^((?:.+\n)+?)\{: ?lang=([\w-]+) ?\}$", r"::: {lang=\2}\n\1:::", body, flags=re.M)
    body = re.sub(r"(\*[^*\n]+\*)\{: ?lang=([\w-]+) ?\}", r"[\1]{lang=\2}", body)
    return "---\n" + yaml.safe_dump(pandoc_meta, allow_unicode=True) + "---\n" + body


def pandoc(essay: Path, out: Path, **how) -> Path:
    """One manuscript by pandoc, its format from `out`'s suffix."""
    out.parent.mkdir(parents=True, exist_ok=True)
    source = out.with_name(out.stem + out.suffix.replace(".", "-") + ".md")
    source.write_text(contributor_markdown(essay, **how), encoding="utf-8")
    done = subprocess.run(["pandoc", str(source), "-o", str(out), "--resource-path", str(essay.parent)],
                          cwd=essay.parent, capture_output=True, text=True)
    assert done.returncode == 0 and out.is_file(), done.stderr
    return out


def libreoffice(sources: list[Path], out_dir: Path, to: str = "docx") -> list[Path]:
    """The files converted by LibreOffice headless, all in one run (it takes seconds to start), in a fresh
    profile of its own (a shared one is locked by any other soffice)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    try:
        done = subprocess.run([shutil.which("soffice") or "soffice", f"-env:UserInstallation={profile.as_uri()}",
                               "--headless", "--norestore", "--convert-to", to, "--outdir", str(out_dir),
                               *map(str, sources)], capture_output=True, text=True, timeout=1200)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    made = [out_dir / (s.stem + "." + to.split(":")[0]) for s in sources]
    missing = [m.name for m in made if not m.is_file()]
    assert not missing, f"LibreOffice made no {missing}: {done.stdout}\n{done.stderr}"
    return made


def load(path: Path, root: Path):
    """The essay as the book reads it, each figure's credit split from its caption as the build splits it."""
    problems = Problems()
    essay = load_essay(path, root, "en", "essay", problems)
    assert essay is not None and not problems, problems.errors
    for figure in essay.figures:
        figure.caption_html, figure.credit_html = split_caption(figure.caption_html)
    essay.body_html = HOUSE_BLOCK_HTML.sub("", essay.body_html)
    return essay


def words(markup: str) -> list[str]:
    """The words of an HTML fragment, typographic quotes and dashes as plain ones."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", markup))
    text = text.translate(str.maketrans("‘’“”—–\u2060\u00a0", "''\"\"--  "))
    return re.findall(r"[\w']+", text.lower())


def first_difference(what: str, a: list[str], b: list[str]) -> str | None:
    """Where two word sequences part, with the words around it; None when they are the same."""
    if a == b:
        return None
    n = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return (f"{what}: word {n} of {len(a)} differs: source …{' '.join(a[max(0, n - 6):n + 6])}… / "
            f"imported …{' '.join(b[max(0, n - 6):n + 6])}…")


def languages(markup: str) -> list[str]:
    """The languages of the passages marked in another one, in order (a passage the manuscript breaks into
    lines, each its own run, is one passage)."""
    found = re.findall(r'lang="([a-z]+)', markup)
    return [x for n, x in enumerate(found) if n == 0 or found[n - 1] != x]


def differences(original, imported, alt_kept: bool = True, langs_kept: bool = True) -> list[str]:
    """What an imported essay does not have as its source had it (empty when it round-tripped). Without
    `alt_kept` the manuscript carried no picture descriptions, and each figure must ask the editor for one;
    without `langs_kept` it carried no language marks (then only the words are compared)."""
    out = []
    if (imported.title, imported.subtitle) != (original.title, original.subtitle):
        out.append(f"title {imported.title!r} / {imported.subtitle!r}, not {original.title!r} / {original.subtitle!r}")
    if [a.name for a in imported.authors] != [a.name for a in original.authors]:
        out.append(f"authors {[a.name for a in imported.authors]}, not {[a.name for a in original.authors]}")
    out.append(first_difference("standfirst", words(original.standfirst_html), words(imported.standfirst_html)))
    if imported.date != original.date:
        out.append(f"date {imported.date}, not {original.date}")
    if len(imported.epigraphs) != len(original.epigraphs):
        out.append(f"{len(imported.epigraphs)} epigraphs, not {len(original.epigraphs)}")
    for n, (a, b) in enumerate(zip(original.epigraphs, imported.epigraphs), 1):
        out.append(first_difference(f"epigraph {n}", words(a.text_html), words(b.text_html)))
        out.append(first_difference(f"epigraph {n}'s attribution", words(a.attribution_html),
                                    words(b.attribution_html)))
    if len(imported.notes) != len(original.notes):
        out.append(f"{len(imported.notes)} notes, not {len(original.notes)}")
    for n, (a, b) in enumerate(zip(original.notes, imported.notes), 1):
        out.append(first_difference(f"note {n}", words(a.html), words(b.html)))
    if len(imported.figures) != len(original.figures):
        out.append(f"{len(imported.figures)} figures, not {len(original.figures)}")
    for n, (a, b) in enumerate(zip(original.figures, imported.figures), 1):
        out.append(first_difference(f"figure {n}'s caption", words(a.caption_html), words(b.caption_html)))
        if a.credit_html != b.credit_html:
            out.append(f"figure {n}'s credit {b.credit_html!r}, not {a.credit_html!r}")
        if words(b.alt) != words(a.alt if alt_kept else NO_ALT):  # pandoc makes a description's quotes curly
            out.append(f"figure {n}'s alt {b.alt!r}, not {a.alt if alt_kept else NO_ALT!r}")
    # Quotations in a row that the source parts only with a Markdown comment (`<!-- -->`, Darkwater's run-away
    # notices) are, in any word processor, one quotation of several paragraphs: they are counted as one.
    bodies = [re.sub(r"</blockquote>\s*<blockquote>", "", e.body_html) for e in (original, imported)]
    for what, mark in (("section breaks", "<hr"), ("line breaks", "<br"), ("italics", "<em"),
                       ("block quotations", "<blockquote"), ("tables", "<table"), ("list items", "<li"),
                       ("headings", "<h[2-6]"), ("bold", "<strong"), ("links", "<a")):
        counts = [len(re.findall(mark + r"\b", body)) for body in bodies]
        if counts[0] != counts[1]:
            out.append(f"{counts[1]} {what}, not {counts[0]}")
    for n, (a, b) in enumerate(zip(original.notes, imported.notes), 1):
        if (a.html.count("<p"), a.html.count("<blockquote")) != (b.html.count("<p"), b.html.count("<blockquote")):
            out.append(f"note {n} has {b.html.count('<p')} paragraphs and {b.html.count('<blockquote')} quotations, "
                       f"not {a.html.count('<p')} and {a.html.count('<blockquote')}")
    langs = [languages(e.body_html) for e in (original, imported)]
    if langs_kept and langs[0] != langs[1]:
        out.append(f"passages in other languages {langs[1]}, not {langs[0]}")
    out.append(first_difference("body", words(original.body_html), words(imported.body_html)))
    return [d for d in out if d]
