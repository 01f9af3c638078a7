"""Which pages of a paged edition a build reads again: all, but those of chunk layouts that passed the
same checks in the last build into the folder and are still, byte for byte, the same pages.

An edit lays one essay out again and keeps the other chunks (layout_pool.py); reading the
other six hundred pages again with pdftotext, twice, cost the build more than the edit's own
layout. A chunk layout is named by the hash of its HTML and of the layout environment and by
its first folio (PagedFacts.chunk_spans), so a name kept is the same pages; the last build
recorded the names only when its checks of the edition found nothing at all (build.commit).
`bookbuilder check`, `release` and `build --force` read every page.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

Runs = list[tuple[int, int]]  # first and last page (1-based, inclusive) of each run of pages to read


def pages_to_check(rendered) -> Runs | None:
    """The runs of pages a build checks in this edition; None for every page."""
    facts = rendered.paged_facts
    if facts is None or not rendered.checked_before or not rendered.pages:
        return None
    passed = {n for entry, (first, last) in facts.chunk_spans.items() if entry in rendered.checked_before
              for n in range(first, last + 1)}
    runs: Runs = []
    for n in range(1, rendered.pages + 1):
        if n in passed:
            continue
        if runs and runs[-1][1] == n - 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


def chunk_units(rendered, book) -> list[str]:
    """The chunk layouts whose pages the print checks read (their names: checks/registry.CHECKED_UNITS)."""
    return sorted(rendered.paged_facts.chunk_spans) if rendered.paged_facts else []


def counted(runs: Runs | None) -> int | None:
    return None if runs is None else sum(last - first + 1 for first, last in runs)


def touches(runs: Runs | None, first: int, last: int) -> bool:
    """Whether any page from `first` to `last` is to be read."""
    return runs is None or any(a <= last and first <= b for a, b in runs)


def pdftotext_runs(pdf: Path, runs: Runs | None, *options: str) -> list[tuple[int, str]]:
    """poppler's pdftotext over each run (the whole file when `runs` is None): (first page, output) per run.

    OSError or CalledProcessError when poppler is missing or fails; the caller says so."""
    ranges = [[]] if runs is None else [["-f", str(first), "-l", str(last)] for first, last in runs]
    return [(int(pages[1]) if pages else 1,
             subprocess.run(["pdftotext", *options, *pages, str(pdf), "-"], capture_output=True,
                            check=True).stdout.decode("utf-8", "replace"))
            for pages in ranges]
