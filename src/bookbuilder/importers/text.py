"""Plain text the way it is copied from a web page (the seed essay's form) → a `Draft`.

Blocks are separated by blank lines. The first block is the title ("Title: Subtitle"),
a short block before the epigraphs is the series note (standfirst), blocks whose last line
is "— Author, Work" at the head are epigraphs, a block whose last line ends "/ Image: X" is
a figure (a line above it is its alt text), a block after a line ending in a colon is the
quotation it introduces, and a closing question-and-answer pair is the call to action.
A .md file that already has front matter is taken as it is.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from ..sources import structure
from ..sources.conventions import ATTRIBUTION_LINE, split_caption
from ..sources.frontmatter import split_front_matter
from ..sources.markdown import to_tree_checked
from ..errors import Problems
from . import Draft, figure_markdown
from .files import image_beside
from .markup import escape, plain_paragraph


def blocks_of(text: str) -> list[list[str]]:
    blocks, current = [], []
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.strip():
            current.append(line.rstrip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def is_epigraph(block: list[str]) -> bool:
    return len(block) >= 2 and bool(ATTRIBUTION_LINE.match(block[-1]))


def is_closing_call(block: list[str]) -> bool:
    return len(block) == 2 and block[0].rstrip().endswith("?") and all(len(x) < 90 for x in block)


def read_text_essay(source: Path, images_dir: Path, slug: str) -> Draft:
    text = source.read_text(encoding="utf-8")
    if text.lstrip().startswith("---"):
        return read_house_markdown(source, text, images_dir, slug)
    draft = Draft()
    blocks = blocks_of(text)
    if source.suffix.lower() != ".md":  # plain text: a * or _ or a leading "1." is the writer's, not Markdown
        blocks = [[plain_paragraph(escape(line)) for line in block] for block in blocks]
    if not blocks:
        draft.attention.append("the file is empty")
        return draft
    title = " ".join(blocks.pop(0))
    draft.title, _, draft.subtitle = (x.strip() for x in title.partition(": "))
    if blocks and not is_epigraph(blocks[0]) and len(blocks) > 1 and is_epigraph(blocks[1]):
        draft.standfirst = " ".join(blocks.pop(0))
        draft.recognised.append("standfirst: the series note under the title")
    while blocks and is_epigraph(blocks[0]):
        block = blocks.pop(0)
        draft.epigraphs.append(("\n".join(block[:-1]), ATTRIBUTION_LINE.match(block[-1]).group(1)))
    out: list[str] = []
    for i, block in enumerate(blocks):
        last = block[-1]
        caption, credit = split_caption(last, after_sentence=False)
        if credit:
            alt = " ".join(block[:-1])
            out.append(figure_markdown(alt, caption, credit, None, slug, draft.figures + 1, draft))
        elif i == len(blocks) - 1 and is_closing_call(block):
            out.append(f"/// aside | call-to-action\n**{block[0].strip()}**\n{block[1].strip()}\n///")
            draft.recognised.append(f"closing call: {block[0].strip()!r} set as a call-to-action aside")
        elif i > 0 and blocks[i - 1][-1].rstrip().endswith(":") and not is_epigraph(blocks[i - 1]):
            out.append("\n".join("> " + line for line in block))
            draft.recognised.append(f"quotation after {blocks[i - 1][-1].strip()[:50]!r}")
            draft.attention.append(f"check that the quotation after {blocks[i - 1][-1].strip()[:40]!r} "
                                   "ends where the quoted passage ends (one paragraph was taken)")
        else:
            out.append("\n".join(block))
    draft.body = "\n\n".join(out)
    draft.notes = len(re.findall(r"^\[\^[^\]]+\]:", draft.body, re.M))
    if not draft.authors:
        draft.attention.append("no author named: add author: to the front matter (or import with --author)")
    if source.suffix.lower() != ".md":
        draft.attention.append("titles of works lost their italics in plain text: mark them *like this*")
    return draft


def read_house_markdown(source: Path, text: str, images_dir: Path, slug: str) -> Draft:
    """A Markdown essay that already has front matter: its values are kept, its body copied,
    and the images it names next to it are copied into the book's images/ folder."""
    problems = Problems()
    src = split_front_matter(source, text, problems)
    draft = Draft()
    if src is None:
        draft.body = text
        draft.attention += [str(e) for e in problems.errors]
        return draft
    data = src.data or {}
    draft.front_matter_yaml = "\n".join(text.split("\n")[1:src.body_first_line - 2])
    draft.title = str(data.get("title") or "")
    authors = data.get("authors") or ([data["author"]] if data.get("author") else [])
    draft.authors = [a.get("name", "") if isinstance(a, dict) else str(a) for a in authors]
    if not draft.title:
        draft.attention.append("the front matter has no title: add title: \"…\"")
    copied: list[str] = []

    def copy_image(m: re.Match) -> str:
        href = m.group(2)
        local, why = image_beside(source, href)
        if local is None:
            draft.attention.append(f"image {href} {why}: save it into images/ and fix the path")
            return m.group(0)
        name = f"{slug}-{len(copied) + 1}{local.suffix.lower()}"
        shutil.copyfile(local, images_dir / name)
        copied.append(name)
        return f"{m.group(1)}(../images/{name})"

    draft.body = re.sub(r"^(!\[[^\]]*\])\(([^)\s]+)\)", copy_image, src.body, flags=re.M)
    draft.figures = len(re.findall(r"^!\[", src.body, re.M))
    draft.notes = len(re.findall(r"^\[\^[^\]]+\]:", src.body, re.M))
    tree = to_tree_checked(draft.body)[0]
    draft.body_epigraphs = len(structure.take_head_epigraphs(tree, None)) + len(data.get("epigraphs") or [])
    draft.recognised.append("house Markdown with front matter: front matter and body kept as written")
    return draft
