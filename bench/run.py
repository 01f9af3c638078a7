"""Benchmark: a large generated anthology, built by raw WeasyPrint and by bookbuilder, side by side.

Measures in one run (medians of --runs): raw (one `weasyprint` pass over the print
edition's HTML), cold (all editions from a clean state), no-op (again, nothing changed),
one edit (one sentence of one essay in the middle changed), cold again with `--jobs 1`,
and peak RSS of all processes. Besides wall seconds, the CPU seconds (user + system, of the
command and every process it waited for) of raw and cold: on a shared machine they are
the steadier measure. `--essays N` makes a book of N essays of varied length (make_book.py).
Timings belong here and in issue notes, never in tests.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_book import make_book  # noqa: E402

PY = sys.executable


def tree_rss_kb(root: int) -> int:
    """Resident memory of a process and all its descendants, from /proc (parallel editions count together)."""
    parents, rss = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2:].split()
            parents[int(entry.name)] = int(fields[1])
            rss[int(entry.name)] = int(fields[21]) * PAGE_KB
        except (OSError, ValueError, IndexError):
            continue
    family, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in family} - family
        family |= more
        grew = bool(more)
    return sum(rss.get(pid, 0) for pid in family)


PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str]) -> tuple[float, float, float]:
    """Run a command; return (seconds, peak RSS in MB summed over it and its children, sampled every 50 ms,
    CPU seconds of it and its children)."""
    cpu = cpu_seconds()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak, done = [0], threading.Event()

    def sample():
        while not done.wait(0.05):
            peak[0] = max(peak[0], tree_rss_kb(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{err[-2000:]}")
    return seconds, peak[0] / 1024, cpu_seconds() - cpu


def page_texts(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")


def outline(pdf: Path) -> list[tuple[str, int]]:
    import pikepdf

    with pikepdf.open(pdf) as doc:
        pages = {p.objgen: i for i, p in enumerate(doc.pages)}
        found = []

        def walk(items):
            for item in items:
                dest = item.destination
                page = pages.get(dest[0].objgen) if isinstance(dest, pikepdf.Array) and len(dest) else None
                found.append((str(item.title), page))
                walk(item.children)
        with doc.open_outline() as o:
            walk(o.root)
        return found


def links(pdf: Path) -> list[list[tuple]]:
    """Per page, each link annotation's target: a URI, or the page a (named) destination points to."""
    import pikepdf

    with pikepdf.open(pdf) as doc:
        pages = {p.objgen: i for i, p in enumerate(doc.pages)}
        named = {}
        if "/Names" in doc.Root and "/Dests" in doc.Root.Names:
            named = {k: v for k, v in pikepdf.NameTree(doc.Root.Names.Dests).items()}

        def target(annot):
            action = annot.get("/A")
            if action is not None and "/URI" in action:
                return ("uri", str(action.URI))
            dest = annot.get("/Dest") if action is None else action.get("/D")
            if isinstance(dest, (pikepdf.String, pikepdf.Name)):
                dest = named.get(str(dest))
                dest = dest.get("/D", dest) if isinstance(dest, pikepdf.Dictionary) else dest
            return ("page", pages.get(dest[0].objgen) if isinstance(dest, pikepdf.Array) and len(dest) else None)

        return [[target(a) for a in page.obj.get("/Annots", []) if a.get("/Subtype") == "/Link"]
                for page in doc.pages]


def same_outputs(a: Path, b: Path) -> bool:
    """For every PDF: same pages and text on each, bookmarks, links; every EPUB byte-identical."""
    for pdf in sorted(a.glob("*.pdf")):
        other = b / pdf.name
        if not other.exists():
            return False
        for facet in (page_texts, outline, links):
            if facet(pdf) != facet(other):
                print(f"  differs from cold: {pdf.name} ({facet.__name__})")
                return False
    for epub in sorted(a.glob("*.epub")):
        if not (b / epub.name).exists() or (b / epub.name).read_bytes() != epub.read_bytes():
            print(f"  differs from cold: {epub.name}")
            return False
    return True


def edit_one_sentence(book: Path, run: int) -> Path:
    """Change one sentence of the essay in the middle of the book (its first body paragraph)."""
    essays = sorted((book / "essays").glob("*.md"))
    essay = essays[len(essays) // 2]
    head, body = essay.read_text(encoding="utf-8").split("\n---\n", 1)
    paragraphs = body.split("\n\n")
    n = next(i for i, p in enumerate(paragraphs) if p.strip() and not p.lstrip().startswith((">", "!", "#", "[^")))
    paragraphs[n] = paragraphs[n].replace(". ", f". On run {run} this sentence was changed. ", 1)
    changed = head + "\n---\n" + "\n\n".join(paragraphs)
    assert changed != essay.read_text(encoding="utf-8"), "the edit changed nothing"
    essay.write_text(changed, encoding="utf-8")
    return essay


def restyle_epub(book: Path, run: int) -> None:
    """An edit only the EPUB reads (its stylesheet): the PDFs should be kept, not rebuilt."""
    style = book / "styles" / "epub" / "95-bench.css"
    style.parent.mkdir(parents=True, exist_ok=True)
    style.write_text(f"h1 {{ letter-spacing: 0.0{run + 1}em; }}\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pages", type=int, default=600)
    ap.add_argument("--essays", type=int, default=None,
                    help="essays of varied length (default: about pages/12 essays of 12 pages each)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=None, help="passed to `bookbuilder build --jobs`")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bb-bench-"))
    book = make_book(work / "book", args.pages, essays=args.essays)
    cli = [PY, "-m", "bookbuilder.cli"]
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    html = work / "print.html"  # what `build --html` writes, made without a layout of its own
    subprocess.run([PY, str(HERE / "print_html.py"), str(book), str(html)], check=True, capture_output=True)
    raw, cold, noop, edit, epub_style, rss, jobs1 = [], [], [], [], [], [], []
    raw_cpu, cold_cpu = [], []
    out = work / "out"
    for run in range(args.runs):
        s, m, c = timed([PY, "-m", "weasyprint", "--base-url", book.as_uri() + "/", str(html), str(work / "raw.pdf")])
        raw.append(s); rss.append(m); raw_cpu.append(c)
        shutil.rmtree(out, ignore_errors=True)
        s, m, c = timed([*cli, "build", str(book), "--out", str(out), *jobs]); cold.append(s); rss.append(m)
        cold_cpu.append(c)
        s, m, _ = timed([*cli, "build", str(book), "--out", str(out), *jobs]); noop.append(s); rss.append(m)
        edit_one_sentence(book, run)
        s, m, _ = timed([*cli, "build", str(book), "--out", str(out), *jobs]); edit.append(s); rss.append(m)
        restyle_epub(book, run)
        s, m, _ = timed([*cli, "build", str(book), "--out", str(out), *jobs]); epub_style.append(s); rss.append(m)
        single = work / "jobs1"
        shutil.rmtree(single, ignore_errors=True)
        s, m, _ = timed([*cli, "build", str(book), "--out", str(single), "--jobs", "1"]); jobs1.append(s)
        rss.append(m)
        print(f"run {run + 1}: raw {raw[-1]:.2f} s ({raw_cpu[-1]:.1f} s CPU), cold {cold[-1]:.2f} s "
              f"({cold_cpu[-1]:.1f} s CPU), no-op {noop[-1]:.2f} s, one edit {edit[-1]:.2f} s, "
              f"EPUB style edit {epub_style[-1]:.2f} s, cold --jobs 1 {jobs1[-1]:.2f} s, peak {max(rss):.0f} MB",
              flush=True)
    # the last cold --jobs 1 build read what the last incremental build read: it is the reference, so
    # identical_to_cold also says that --jobs does not change the outputs
    reference = work / "jobs1"
    import pikepdf

    with pikepdf.open(next(reference.glob("*-print.pdf"))) as pdf:
        pages = len(pdf.pages)
    result = {
        "pages": pages,
        "essays": len(list((book / "essays").glob("*.md"))),
        "raw_weasyprint_s": round(statistics.median(raw), 2),
        "cold_s": round(statistics.median(cold), 2),
        "noop_s": round(statistics.median(noop), 2),
        "one_edit_s": round(statistics.median(edit), 2),
        "identical_to_cold": same_outputs(reference, out),
        "peak_rss_mb": round(max(rss)),
        "raw_cpu_s": round(statistics.median(raw_cpu), 2),
        "cold_cpu_s": round(statistics.median(cold_cpu), 2),
        "jobs1_s": round(statistics.median(jobs1), 2),
    }
    print(f"{'print pages':<22}{result['pages']}   ({result['essays']} essays)")
    for key, label in [("raw_weasyprint_s", "raw WeasyPrint"), ("cold_s", "cold build"), ("noop_s", "no-op build"),
                       ("one_edit_s", "one-edit build"), ("jobs1_s", "cold, --jobs 1")]:
        ratio = result[key] / result["raw_weasyprint_s"]
        print(f"{label:<22}{result[key]:>7.2f} s   {ratio:5.2f} × raw   {result[key] / result['cold_s']:5.2f} × cold")
    style_s = statistics.median(epub_style)
    print(f"{'EPUB style edit':<22}{style_s:>7.2f} s   {style_s / result['raw_weasyprint_s']:5.2f} × raw   "
          f"{style_s / result['cold_s']:5.2f} × cold   (only the EPUB rebuilt; not in --json)")
    print(f"{'CPU, raw WeasyPrint':<22}{result['raw_cpu_s']:>7.2f} s")
    print(f"{'CPU, cold build':<22}{result['cold_cpu_s']:>7.2f} s   "
          f"{result['cold_cpu_s'] / result['raw_cpu_s']:5.2f} × raw CPU")
    print(f"{'--jobs 2 vs --jobs 1':<22}{result['cold_s'] / result['jobs1_s']:>7.2f} ×")
    print(f"{'identical to cold':<22}{result['identical_to_cold']}")
    print(f"{'peak RSS':<22}{result['peak_rss_mb']} MB")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
