"""The pipeline: load → transform → render each edition → check → move the files into place.

Before any of it, the inputs' fingerprint is compared with the one kept beside the last
outputs (fingerprint.py): when nothing changed, nothing is done or rewritten.

Editions render into a scratch folder inside the output folder; only an edition whose
checks (and those of the editions it is made from) succeeded is renamed over its previous
file, so a failed or interrupted build leaves the last good outputs untouched, and a
print-only failure (preflight) still writes the EPUB and the screen PDF.
"""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable

from . import __version__, transforms
from .checks import Finding
from .checks.pages import counted, pages_to_check
from .checks.registry import build_checks, build_preparations, checked_units_for
from .editions import EDITIONS, PagedEdition, RenderContext, Rendered, press
from .errors import BuildError, SourceError
from .editions.layout_pool import CACHE_FOLDER, default_jobs, prune_chunks
from .editions.web_images import CACHE as WEB_IMAGES
from .editions.reproducible import source_date_epoch_problem
from .fingerprint import Inputs, Manifest, output_sha256
from .reuse import edition_fingerprints, folders_read, kept_editions
from .memory import give_back_freed_memory
from .model import EDITION_NAMES
from .sources import load_book
from .fallbacks import fallback_lines, fallback_use
from .theme import FONT_FACES, Theme, house_dir

DEFAULT_EDITIONS = EDITION_NAMES


@dataclass
class BuildResult:
    outputs: list[Rendered]
    findings: list[Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    unchanged: bool = False  # nothing changed since the last build into the folder: nothing was rewritten
    withheld: list[str] = field(default_factory=list)  # editions not written: their checks failed

    @property
    def failed(self) -> bool:
        return any(f.fatal for f in self.findings)

    @property
    def written(self) -> list[Rendered]:
        return [r for r in self.outputs if r.edition not in self.withheld]


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


SCRATCH_PREFIX = ".incomplete-"


def build_order(names: list[str]) -> list[str]:
    """The editions asked for, plus those they require, each after the editions it builds on.

    `requires` editions are built and written too (the cover needs the print PDF's page
    count); a `needs_layout_of` edition is laid out first when it is also asked for, and
    otherwise in memory only (the EPUB places its page breaks from the print layout).
    """
    ordered: list[str] = []

    def add(name: str) -> None:
        if name in ordered:
            return
        for needed in EDITIONS[name].requires:
            add(needed)
        for needed in EDITIONS[name].needs_layout_of:
            if needed in names:
                add(needed)
        ordered.append(name)

    for name in names:
        add(name)
    return ordered


def default_out_dir(book_dir: Path) -> Path:
    return Path(book_dir) / "_build"


def refuse_source_folders(book, out: Path) -> None:
    """Outputs go beside the sources, never over them: the book folder and its source folders are refused."""
    target = out.resolve()
    sources = {book.root, *(e.path.parent for e in book.pieces), book.root / "styles"}
    sources |= {f.src.parent for _, f in book.figures if f.src}
    if book.cover.image:
        sources.add(Path(book.cover.image).parent)
    if target in {p.resolve() for p in sources}:
        raise BuildError([SourceError(out, "is a folder of the book's own sources; outputs would sit among them",
                                      hint="choose another --out folder, such as the default BOOK/_build")])


OWNER = "builder.pid"


def new_scratch(out: Path) -> Path:
    """A scratch folder inside `out` (same file system, so the final rename is atomic), labelled with our pid."""
    work = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX, dir=out))
    (work / OWNER).write_text(str(os.getpid()))
    return work


def remove_abandoned_scratch(out: Path) -> None:
    """A killed build cannot clean up after itself; the next one removes its scratch folders.

    Only folders labelled with a builder's pid are ours (`release` looks beside its --out
    folder, which may be shared); one whose builder is still running (another build into
    the same folder) is left alone.
    """
    for old in out.glob(SCRATCH_PREFIX + "*"):
        if not old.is_dir() or old.is_symlink():
            continue
        try:
            pid = int((old / OWNER).read_text())
        except (OSError, ValueError):
            continue  # no label: not a folder of ours
        try:
            os.kill(pid, 0)
            if pid != os.getpid():
                continue  # still building
        except OSError:
            pass  # the owner is gone
        shutil.rmtree(old, ignore_errors=True)


def flush_to_disk(path: Path) -> None:
    """Write a finished output to the disk before it is renamed into place (a crash then keeps a whole file)."""
    if path.is_dir():  # the web edition: every file of the site
        for item in sorted(path.rglob("*")):
            if item.is_file():
                flush_to_disk(item)
        return
    with open(path, "rb") as f:
        os.fsync(f.fileno())


class PartlyWritten(OSError):
    """Some outputs were renamed into place before one could not be: the set is mixed, and says how."""

    def __init__(self, new: list[str], not_moved: list[str], cause: OSError):
        super().__init__(cause.errno, cause.strerror, cause.filename)
        self.new, self.not_moved = new, not_moved

    def __str__(self) -> str:
        new = ", ".join(self.new) or "none"
        return (f"could not put {Path(self.filename or '?').name} in place ({self.strerror}); new from this build: "
                f"{new}; not written: {', '.join(self.not_moved)} (any file of that name is the last build's)")


def replace(item: Path, target: Path) -> None:
    """os.replace, and for a folder (the web edition) over the last build's: the old one moved aside, then removed."""
    if item.is_dir() and target.is_dir() and not target.is_symlink():
        aside = target.with_name(f"{SCRATCH_PREFIX}old-{target.name}")
        shutil.rmtree(aside, ignore_errors=True)
        os.replace(target, aside)
        os.replace(item, target)
        shutil.rmtree(aside, ignore_errors=True)
        return
    os.replace(item, target)


def move_into_place(work: Path, out: Path, results: list[Rendered]) -> list[dict]:
    """Rename the finished files over the previous outputs; what was moved, in build order, for the manifest."""
    editions_by_file = {r.path.name: r for r in results}
    order = {name: i for i, name in enumerate(editions_by_file)}
    made = [p for p in work.iterdir() if p.name != OWNER and not p.name.startswith(".")]
    moved = []
    for item in sorted(made, key=lambda p: (order.get(p.name, len(order)), p.name)):
        flush_to_disk(item)  # .scratch holds intermediates and stays behind
        rendered = editions_by_file.get(item.name)
        moved.append({"file": item.name, "sha256": output_sha256(item) if rendered or item.is_file() else "",
                      "edition": rendered.edition if rendered else None,
                      "pages": rendered.pages if rendered else None})
        try:
            replace(item, out / item.name)
        except OSError as exc:
            done = [m["file"] for m in moved[:-1]]
            raise PartlyWritten(done, [p.name for p in made if p.name not in done], exc) from None
    for r in results:
        r.path = out / r.path.name
    return moved


def images_not_read_whole(book) -> set[str]:
    """Images no chunk reads as a whole, as paths in the book folder: the figures (each chunk's
    cache key covers its own) and the cover's image."""
    root = Path(book.root).resolve()
    paths = {Path(f.src).resolve() for _, f in book.figures if f.src}
    paths |= {Path(book.cover.image).resolve()} if book.cover.image else set()
    return {str(p.relative_to(root)) for p in paths if p.is_relative_to(root)}


def files_outside(book) -> list[str]:
    """Sources the book names from outside its own folder: the fingerprint must cover them too."""
    root = Path(book.root).resolve()
    named = [e.path for e in book.pieces] + [f.src for _, f in book.figures if f.src] + [book.cover.image]
    return sorted({str(Path(p).resolve()) for p in named if p and not Path(p).resolve().is_relative_to(root)})


def inputs_of(book_dir: Path, out: Path, names: list[str], write_html: bool, outside: list[str]) -> Inputs:
    """Everything this build reads: the book folder, house styles, our own code, fonts, the ICC profile."""
    package = Path(__file__).resolve().parent
    fonts = [face.file for face in FONT_FACES]
    return Inputs(book_dir, out, {"editions": names, "html": write_html, "version": __version__},
                  styles=[house_dir()], code=[package], extra=[*fonts, press.CMYK_PROFILE, *map(Path, outside)])


def unchanged_build(manifest: Manifest, out: Path, started: float) -> BuildResult:
    """The last build's outputs and what it reported, as they stand in the output folder."""
    outputs = [Rendered(o["edition"], out / o["file"], pages=o["pages"]) for o in manifest.outputs if o["edition"]]
    notes = [Finding(n["edition"], n["message"], fatal=False) for n in manifest.notes]
    return BuildResult(outputs, notes, manifest.warnings, time.perf_counter() - started, unchanged=True)


@dataclass
class Plan:
    """What a build reads and where it writes, settled before anything is written."""
    names: list[str]  # editions in build order
    book_dir: Path
    out: Path
    previous: Manifest | None  # what the last build into `out` recorded
    write_html: bool
    outside: list[str] = field(default_factory=list)  # sources the book names from outside its folder
    inputs: Inputs | None = None
    force: bool = False  # build and check everything anew, whatever the last build kept

    def checked_before(self, edition: str) -> frozenset[str]:
        """What passed this edition's checks in the last build (checks/registry.CHECKED_UNITS)."""
        if self.force or self.write_html or self.previous is None:
            return frozenset()
        record = self.previous.editions.get(edition, {})
        if record.get(CHECKED_WITH) != self.inputs.code_fingerprint():
            return frozenset()  # another bookbuilder judged them: its checks may have been other than ours
        return frozenset(record.get(CHECKED_UNITS, []))

    def __post_init__(self):
        self.outside = self.previous.extra if self.previous else []
        self.take_stock()

    def take_stock(self) -> None:
        """Fingerprint every input (before reading them: edits made during the build count)."""
        self.inputs = inputs_of(self.book_dir, self.out, self.names, self.write_html, self.outside)

    def unchanged(self) -> bool:
        previous = self.previous
        return bool(previous and self.inputs.fingerprint() == previous.fingerprint and previous.outputs_intact(self.out))

    def account_for(self, book) -> None:
        """Sources named from outside the book folder are inputs too."""
        if files_outside(book) != self.outside:
            self.outside = files_outside(book)
            self.take_stock()


def plan_build(book_dir: Path, out_dir: Path | None, editions: list[str] | None, write_html: bool) -> Plan:
    names = list(editions or DEFAULT_EDITIONS)
    unknown = [n for n in names if n not in EDITIONS]
    if unknown:
        raise BuildError([SourceError(Path(book_dir), f"unknown edition {unknown[0]!r}",
                                      hint="choose from " + ", ".join(EDITIONS))])
    epoch = source_date_epoch_problem()
    if epoch:
        raise BuildError([SourceError(Path("SOURCE_DATE_EPOCH"), epoch,
                                      hint="unset it to use the book's date, or give seconds since 1970 (date +%s)")])
    book_dir = Path(book_dir).resolve()  # relative paths from the command line become file URIs below
    out = Path(out_dir).resolve() if out_dir else default_out_dir(book_dir)
    return Plan(build_order(names), book_dir, out, Manifest.read(out), write_html)


def prepare_output_folder(book, out: Path, force: bool) -> Path:
    """The output folder, cleared of abandoned scratch folders; a new scratch folder in it."""
    refuse_source_folders(book, out)
    out.mkdir(parents=True, exist_ok=True)
    remove_abandoned_scratch(out)
    if force:  # everything laid out afresh, kept chunks included
        shutil.rmtree(out / CACHE_FOLDER, ignore_errors=True)
    return new_scratch(out)


def checks_to_prepare(plan: Plan, kept: dict[str, Rendered], book) -> list[Callable]:
    """What the checks of the editions made afresh and read whole (nothing of them passed before) can read
    ahead, while the book is laid out: an edit's checks read a few pages, and read their sources then."""
    fresh = [name for name in plan.names if name not in kept and not plan.checked_before(name)]
    return [partial(prepare, book) for prepare in build_preparations(fresh)]


def render_editions(context: RenderContext, plan: Plan, kept: dict[str, Rendered]) -> dict[str, list[Finding]]:
    """Render each edition not kept (into context.rendered) and check it as soon as it is ready.

    With more than one core, the checks (pdftotext, EPUBCheck, Ace: mostly other processes)
    run side by side in threads, and beside the next edition's merge, instead of one after
    the other on one core while the others idle once the layout pool is done.
    """
    checked: dict[str, list[Finding]] = {}  # reported in build order
    with ThreadPoolExecutor(max_workers=context.jobs) if context.jobs > 1 else nullcontext() as pool:
        pending = render_and_check(context, plan, kept, checked, pool)
        for name, futures in pending.items():
            checked[name] = [f for future in futures for f in future.result()]
    return checked


def render_and_check(context: RenderContext, plan: Plan, kept: dict[str, Rendered],
                     checked: dict[str, list[Finding]], pool) -> dict[str, list[Future]]:
    """The editions rendered in build order; their checks run here (`pool` None) or are handed to the pool."""
    book = context.book
    pending: dict[str, list[Future]] = {}
    for name in kept:
        context.progress(f"{name}: nothing it reads has changed; the last build's file is kept")
        context.rendered[name] = kept[name]
        checked[name] = [Finding(n["edition"], n["message"], fatal=False)
                         for n in plan.previous.editions[name].get("notes", [])]
    for name in plan.names:
        edition = EDITIONS[name]()
        if name in kept:
            write_html(plan, edition, context)
            continue
        for needed in edition.needs_layout_of:
            have = context.rendered.get(needed)
            if have is None or have.kept:  # laid out (from kept chunks, if it was built before); no file written
                paged = EDITIONS[needed]()
                if not isinstance(paged, PagedEdition):
                    raise TypeError(f"{name} reads the layout of {needed}, which is not a paged edition")
                layout = paged.layout(context)
                if have is None:
                    context.rendered[needed] = Rendered(needed, None, pages=layout.pages, facts=layout.facts)
                else:
                    have.facts = layout.facts
        give_back_freed_memory()  # what the last edition and its checks freed
        rendered = context.rendered[name] = edition.render(context)
        give_back_freed_memory()
        rendered.checked_before = plan.checked_before(name)
        to_read = counted(pages_to_check(rendered))
        if to_read is not None and build_checks(name):
            context.progress(f"{name}: checking {to_read} of {rendered.pages} pages (the others are the last "
                             "build's, which passed)")
        write_html(plan, edition, context)  # after the layout: its page numbers are written in
        if pool is None:
            checked[name] = [f for check in build_checks(name) for f in check(rendered, book)]
        else:
            pending[name] = [pool.submit(check, rendered, book) for check in build_checks(name)]
    return pending


def write_html(plan: Plan, edition, context: RenderContext) -> None:
    """`build --html`: a paged edition's whole-book HTML beside its PDF."""
    if plan.write_html and isinstance(edition, PagedEdition):
        (context.work_dir / f"{context.book.slug}-{edition.name}.html").write_text(edition.standalone_html(context),
                                                                                  encoding="utf-8")


def failed_editions(names: list[str], checked: dict[str, list[Finding]]) -> list[str]:
    """Editions with a fatal finding, and those made from one (the cover is made from print's pages)."""
    failed: list[str] = []
    for name in names:  # build order: an edition comes after those it requires
        if any(f.fatal for f in checked[name]) or any(n in failed for n in EDITIONS[name].requires):
            failed.append(name)
    return failed


CHECKED_UNITS = "checked_units"  # the manifest's record of what passed an edition's checks (checks/registry.py)
CHECKED_WITH = "checked_with"  # and of the code that checked them (Inputs.code_fingerprint)


def checked_units(rendered: Rendered, findings: list[Finding], plan: Plan, book) -> list[str]:
    """What an edition's checks judged and passed, for the next build to skip: nothing unless they found
    nothing at all (a warning on a skipped page must be found again, not dropped)."""
    units = checked_units_for(rendered.edition)
    if findings or units is None:
        return []
    if rendered.kept:
        return sorted(plan.checked_before(rendered.edition))
    return sorted(units(rendered, book))


def commit(plan: Plan, context: RenderContext, kept: dict[str, Rendered], fingerprints: dict[str, str],
           checked: dict[str, list[Finding]], warnings: list[str], failed: list[str]) -> None:
    """Rename the new files (but the failed editions') into place, record them in the manifest, forget old chunks.

    With an edition failed, the manifest records no fingerprint for the whole build, so
    the next build runs again (and rebuilds the failed edition, which has no record).
    """
    names, out, previous = plan.names, plan.out, plan.previous
    results = [context.rendered[name] for name in names]
    for r in results:
        if r.edition in failed and not r.kept and r.path is not None:
            r.path.unlink(missing_ok=True)
    written = [name for name in names if name not in failed]
    moved = move_into_place(context.work_dir, out, [r for r in results if not r.kept and r.edition in written])
    moved += [o for o in previous.outputs if o["edition"] in kept] if previous else []
    moved.sort(key=lambda o: names.index(o["edition"]) if o["edition"] in names else len(names))
    notes = {name: [{"edition": f.edition, "message": f.message} for f in checked[name]] for name in written}
    Manifest("" if failed else plan.inputs.fingerprint(), moved, plan.outside,
             [n for name in written for n in notes[name]], warnings,
             {name: {"fingerprint": fingerprints[name], "notes": notes[name],
                     CHECKED_UNITS: checked_units(context.rendered[name], checked[name], plan, context.book),
                     CHECKED_WITH: plan.inputs.code_fingerprint()}
              for name in written}).write(out)
    if context.shared.layout is not None and context.cache_dir:
        prune_chunks(context.cache_dir, context.shared.layout.cache_entries | {WEB_IMAGES})


def build(book_dir: Path, out_dir: Path | None = None, editions: list[str] | None = None,
          progress: Callable[[str], None] = lambda m: None, write_html: bool = False,
          force: bool = False, jobs: int | None = None) -> BuildResult:
    """Build the editions into `out_dir`; when nothing they read has changed (and not `force`), write nothing.

    An edition whose own inputs did not change keeps the last build's file (reuse.py). The
    paged editions are laid out in chunks by `jobs` processes (default: one per core), and
    chunks kept from the last build into `out_dir` are not laid out again (layout_pool.py).
    """
    started = time.perf_counter()
    plan = plan_build(book_dir, out_dir, editions, write_html)
    plan.force = force
    if not force and plan.unchanged():
        progress("nothing changed since the last build")
        return unchanged_build(plan.previous, plan.out, started)
    progress("reading the sources")
    book = transforms.apply_all(load_book(plan.book_dir))
    plan.account_for(book)
    fingerprints = edition_fingerprints(plan.names, plan.inputs)
    kept = {} if force or write_html else kept_editions(plan.names, fingerprints, plan.previous, plan.out, book)
    work = prepare_output_folder(book, plan.out, force)
    collector = _Collect()
    collector.messages += book.warnings
    logging.getLogger("weasyprint").addHandler(collector)
    try:
        context = RenderContext(book=book, theme=Theme.of(book), out_dir=plan.out, work_dir=work,
                                progress=progress, jobs=jobs or default_jobs(),
                                cache_dir=None if write_html else plan.out / CACHE_FOLDER,
                                environment=plan.inputs.layout_environment(folders_read("screen"),
                                                                           images_not_read_whole(book)),
                                meanwhile=checks_to_prepare(plan, kept, book))
        for line in fallback_lines(fallback_use(book, context.theme.fonts())):
            progress(line)
        checked = render_editions(context, plan, kept)
        results = [context.rendered[name] for name in plan.names]
        findings = [f for name in plan.names for f in checked[name]]
        failed = failed_editions(plan.names, checked)
        if len(failed) < len(plan.names):
            commit(plan, context, kept, fingerprints, checked, collector.messages, failed)
        return BuildResult(results, findings, collector.messages, time.perf_counter() - started, withheld=failed)
    finally:
        logging.getLogger("weasyprint").removeHandler(collector)
        shutil.rmtree(work, ignore_errors=True)
