"""Generate a large, realistic anthology for benchmarks: parts, essays with epigraphs, figures, notes.

The text is assembled deterministically from the sample book's own paragraphs, so the
typography (quotes, dashes, notes, figures) is the real thing, just more of it.

Two shapes:
- `--pages P` alone: P/12 essays of 44 paragraphs each (about 12 pages), the benchmark's old book.
- `--pages P --essays N`: N essays of varied length, as in a real anthology: each essay's share
  of the pages is drawn log-uniformly over a tenfold range (85 essays at 600 pages run from
  about 2 to about 20 pages; 8 essays at 600 pages from about 25 to 150).

Density, in both shapes: a note after every 6th paragraph (about 0.6 notes a page), a figure
after every 15th paragraph counting from the 8th (about one every four pages), a section
heading every 20 paragraphs, an epigraph at the head of each essay.
"""
from __future__ import annotations

import argparse
import math
import random
import re
import shutil
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1] / "book"
PAGES_PER_ESSAY = 12  # roughly, for the generated essay length below (600 asked → about 620 print pages)
PARAGRAPHS_PER_PAGE = 44 / PAGES_PER_ESSAY  # with the figures, notes and headings among them


def sample_paragraphs() -> list[str]:
    paras = []
    for md in sorted((SAMPLE / "essays").glob("*.md")):
        body = md.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        for block in body.split("\n\n"):
            block = block.strip()
            if block and not block.startswith((">", "!", "[^", "///", "|", "{:")) and len(block) > 200:
                block = re.sub(r"\{\^[^}]*\| *(?:begin|end) *\}", "", block)  # a range's marks, drawn apart, would not pair
                paras.append(re.sub(r"\[\^[^\]]+\]", "", block))
    return paras


def essay_text(rng: random.Random, paras: list[str], n: int, images: list[str], length: int = 44) -> str:
    out = [
        "---",
        f'title: "Essay Number {n}: On Organising"',
        f'authors:\n  - name: "Contributor {n}"\n    bio: "Contributor {n} works and organises in a city."',
        'standfirst: "An ongoing series on membership, in which comrades explain what drove them to join."',
        "date: 2025-01-01",
        "---",
        "",
        "> The philosophers have only interpreted the world, in various ways; the point is to change it.",
        "> — Karl Marx, Theses on Feuerbach",
        "",
    ]
    for i in range(length):
        para = rng.choice(paras)
        if i % 6 == 3:
            para += f"[^n{i}]"
        out += [para, ""]
        if i % 15 == 7:
            out += [f"![An illustration for essay {n}](../images/{rng.choice(images)})",
                    f"A picture that goes with the argument of essay {n}. / Image: Mara Lenz", ""]
        if i % 20 == 11:
            out += ["## A section heading", ""]
    for i in range(length):
        if i % 6 == 3:
            out += [f"[^n{i}]: A note of some length, giving a source and a short comment on paragraph {i}.", ""]
    return "\n".join(out)


def essay_lengths(rng: random.Random, pages: int, essays: int | None) -> list[int]:
    """Paragraphs in each essay: all 44 (the old shape), or varied lengths that add up to about `pages`."""
    if essays is None:
        return [44] * max(2, round(pages / PAGES_PER_ESSAY))
    weights = [math.exp(rng.uniform(0, math.log(10))) for _ in range(essays)]
    paragraphs = pages * PARAGRAPHS_PER_PAGE
    return [max(4, round(paragraphs * w / sum(weights))) for w in weights]


def make_book(target: Path, pages: int, seed: int = 7, essays: int | None = None) -> Path:
    rng = random.Random(seed)
    if target.exists():
        shutil.rmtree(target)
    (target / "essays").mkdir(parents=True)
    shutil.copytree(SAMPLE / "images", target / "images", ignore=shutil.ignore_patterns("*.py"))
    images = sorted(p.name for p in (target / "images").glob("*.jpg") if p.name != "cover.jpg")
    paras = sample_paragraphs()
    names = []
    for n, length in enumerate(essay_lengths(rng, pages, essays), 1):
        name = f"essay-{n:03d}.md"
        (target / "essays" / name).write_text(essay_text(rng, paras, n, images, length), encoding="utf-8")
        names.append(f"essays/{name}")
    per_part = max(1, len(names) // 4)
    parts = [names[i:i + per_part] for i in range(0, len(names), per_part)]
    toml = [
        'title = "A Large Anthology"', 'language = "en"', 'editors = ["Ann Editor"]',
        'publisher = "Bench Press"', "date = 2026-11-01",
        '[editions.print]', 'isbn = "979-8-9871234-0-9"', '[editions.epub]', 'isbn = "979-8-9871234-1-6"',
        "[contents]",
    ]
    for i, part in enumerate(parts, 1):
        toml += ["[[contents.parts]]", f'title = "Part {i}"', "essays = [" + ", ".join(f'"{p}"' for p in part) + "]"]
    (target / "book.toml").write_text("\n".join(toml) + "\n", encoding="utf-8")
    return target


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("target", type=Path)
    ap.add_argument("--pages", type=int, default=600)
    ap.add_argument("--essays", type=int, default=None, help="essays of varied length (default: 12-page essays)")
    args = ap.parse_args()
    print(make_book(args.target, args.pages, essays=args.essays))
