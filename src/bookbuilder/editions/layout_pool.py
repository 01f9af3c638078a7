"""The paged book laid out chunk by chunk, side by side, reusing the last build's chunks.

Workers (forked, so they start with the book already read) take chunks in reading order.
A worker that has paginated its chunk reports the page count and waits for its folio
offset, which is known once every chunk ahead of it is counted (folios.py); chunks ahead
were handed out first, so it cannot deadlock. Meanwhile the pool sends the waiting worker
the next chunk, which it lays out whole before it goes back to the first (one level deep),
so a worker idles only when it holds two chunks that both wait. The pool reports the
seconds its processes idled so.

A chunk whose key (its HTML, its images, the styles, fonts, options and our code) and
folio offset match a chunk kept from the last build into the same folder is not laid out
again. An edit that changes an essay's page count moves the folios of every chunk after
it: those are laid out again with their new offsets (and the build says so).
"""
from __future__ import annotations

import json
import logging
import multiprocessing
import os
import pickle
import re
import shutil
import signal
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path

from ..engine.fetch import BOOK_URL
from ..fingerprint import file_sha256
from ..memory import give_back_freed_memory
from ..sources.links import CITATION_LINK
from .chunks import FRONT, Chunk, link_across, padded, plan
from .facts import PagedFacts
from .paged_document import sources_of
from .pagemap import roman
from .typeset import ChunkJob, ChunkLayout, PaintOptions, chunk_key, typeset_chunk

CACHE_FOLDER = ".bookbuilder-chunks"
BOOKREF = re.compile(r'href="bookref:([^"]+)"')
CITATION_TAG = re.compile(rf'<a\b[^>]*\bclass="(?:[^"]*\s)?{CITATION_LINK}[\s"][^>]*>')  # to its entry in the list


def default_jobs() -> int:
    """The cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _do_meanwhile(work: list) -> None:
    """The main process's work while the workers lay out; what fails here is done again, and said, by its owner."""
    for step in work:
        try:
            step()
        except Exception:  # noqa: BLE001 - a preparation only: the check itself reads again and reports
            pass


def prune_chunks(folder: Path, keep: set[str]) -> None:
    """Forget the chunks a successful build did not use (an edited essay's old layout)."""
    if folder.is_dir():
        for place in folder.iterdir():
            if place.name not in keep:
                shutil.rmtree(place, ignore_errors=True)


@dataclass
class BookLayout:
    """Every chunk laid out, and the facts of the whole book in its physical page numbers."""
    chunks: list[ChunkLayout]
    facts: PagedFacts
    reused: int = 0
    laid_out: int = 0
    moved: list[str] = field(default_factory=list)  # chunks laid out again only because their folios moved
    used: set[str] = field(default_factory=set)  # every kept chunk this build laid out or found, its final ones too

    @property
    def cache_entries(self) -> set[str]:
        """What the chunk cache keeps: the final layouts, and the first layouts of the chunks that name pages
        (made with "?" for the pages not yet known), which the next build makes first again and then finds."""
        return {c.screen_pdf.parent.name for c in self.chunks} | self.used

    @property
    def pages(self) -> int:
        return sum(padded(c.pages) for c in self.chunks[:-1]) + self.chunks[-1].pages

    def blank_after(self, n: int) -> int:
        return 0 if n == len(self.chunks) - 1 else self.chunks[n].pages % 2


# ---- the cache -----------------------------------------------------------------------------------

class ChunkCache:
    """Chunks laid out by earlier builds into this output folder: `<key>-<offset>/` with both PDFs."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.discarded: list[str] = []  # chunks whose kept layout was damaged

    def entry(self, key: str, offset: int) -> Path | None:
        return self.folder / f"{key[:40]}-{offset}" if self.folder else None

    def find(self, index: int, chunk: Chunk, key: str) -> ChunkLayout | None:
        """A kept layout of this chunk, at whichever offset it was made; a damaged entry is discarded."""
        if not self.folder or not self.folder.is_dir():
            return None
        for place in sorted(self.folder.glob(f"{key[:40]}-*")):
            try:
                data = json.loads((place / "layout.json").read_text(encoding="utf-8"))
                if data["key"] != key:
                    continue
                for name in ("screen.pdf", "print.pdf"):
                    if file_sha256(place / name) != data["sha256"][name]:
                        raise ValueError(f"{name} is not the file that was laid out")
                return ChunkLayout(index, chunk, key, int(data["pages"]), int(data["offset"]),
                                   PagedFacts.from_json(data["facts"]), [int(n) for n in data["levels"]],
                                   place / "screen.pdf", place / "print.pdf", list(data["relaxed_blocks"]))
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                # truncated, swapped or hand-edited: forget it, and lay the chunk out afresh
                shutil.rmtree(place, ignore_errors=True)
                self.discarded.append(chunk.key)
        return None

    def store(self, layout: ChunkLayout) -> None:
        """Record a fresh layout (its PDFs are already in its entry folder), with their checksums."""
        folder = layout.screen_pdf.parent
        data = {"key": layout.key, "pages": layout.pages, "offset": layout.offset, "levels": layout.levels,
                "facts": layout.facts.to_json(), "relaxed_blocks": layout.relaxed_blocks,
                "sha256": {"screen.pdf": file_sha256(layout.screen_pdf), "print.pdf": file_sha256(layout.print_pdf)}}
        tmp = folder / "layout.json.tmp"
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, folder / "layout.json")


# ---- workers -------------------------------------------------------------------------------------

class _Forward(logging.Handler):
    def __init__(self, conn):
        super().__init__(logging.WARNING)
        self.conn = conn

    def emit(self, record):
        self.conn.send(("warning", record.getMessage()))


def _sendable(exc: BaseException) -> BaseException:
    try:
        pickle.dumps(exc)
        return exc
    except Exception:  # noqa: BLE001
        return RuntimeError(f"{type(exc).__name__}: {exc}")


def _worker(conn, setup) -> None:
    """A layout process: typeset the chunks it is sent, asking the pool for folio offsets.

    While a chunk waits for its offset, the process takes the next chunk the pool sends
    and lays it out whole, there and then (one level deep: the waiting chunk's layout stays
    on the stack, untouched, until the other is written), so it does not idle.

    Ctrl-C reaches the whole process group; the main process answers it and stops the workers,
    so a worker ignores it rather than print a traceback of its own.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.getLogger("weasyprint").addHandler(_Forward(conn))
    book, base_url, fetcher_for, paint_options = setup
    offsets: dict[int, int] = {}  # offsets that came while a chunk laid out meanwhile was waiting for its own

    def lay_out(job: ChunkJob, nested: bool) -> None:
        def ask(pages, index=job.index):
            conn.send(("count", index, pages))
            while index not in offsets:
                try:
                    reply = conn.recv()
                except EOFError:
                    raise SystemExit(0) from None
                if reply[0] == "stop":
                    raise SystemExit(0)
                if reply[0] == "offset":
                    offsets[reply[1]] = reply[2]
                elif reply[0] == "job" and not nested:
                    lay_out(reply[1], nested=True)
                else:
                    raise RuntimeError(f"layout worker: unexpected {reply[0]!r} while waiting for an offset")
            return offsets.pop(index)

        try:
            laid_out = typeset_chunk(job, book, base_url, fetcher_for(), paint_options, ask)
            give_back_freed_memory()  # its document is gone: the next chunk may be a short one
            conn.send(("done", laid_out))
        except SystemExit:
            raise
        except BaseException as exc:  # noqa: BLE001 - the pool raises it in the main process
            conn.send(("failed", _sendable(exc)))
            raise SystemExit(0) from None

    while True:
        try:
            message = conn.recv()
        except EOFError:  # the build was stopped (or killed): nothing more to do
            return
        if message[0] == "stop":
            return
        try:
            lay_out(message[1], nested=False)
        except SystemExit:
            return


# ---- the pool ------------------------------------------------------------------------------------

class LayoutPool:
    def __init__(self, edition, ctx, jobs: int, paint_options: PaintOptions, environment: str,
                 cache_folder: Path | None):
        self.edition, self.ctx, self.book = edition, ctx, ctx.book
        self.jobs = max(1, jobs)
        self.paint_options = paint_options
        self.environment = environment
        self.cache = ChunkCache(cache_folder)
        self.chunks = plan(ctx.book)
        self.counts: dict[int, int] = {}
        self.done: dict[int, ChunkLayout] = {}
        self.kept: dict[int, ChunkLayout] = {}  # cached, waiting to learn whether their offset still holds
        self.queue: deque[ChunkJob] = deque()
        self.waiting: dict[int, object] = {}  # chunk index → worker connection waiting for its offset
        self.moved: list[str] = []
        self.used: set[str] = set()  # cache entries of every layout laid out or kept in this build
        self.kept_entries: set[str] = set()  # those found kept from the last build
        self.laid_out = 0
        self.refs_used: dict[int, dict] = {}  # the page numbers a chunk that names pages was laid out with
        self.linked: dict[int, set[str]] = {}  # the anchors in other chunks each chunk links to
        self.rounds: dict[int, int] = {}
        self.html: dict[int, str] = {}  # each chunk's HTML, as last made
        self.waited = 0.0  # seconds workers spent idle, waiting for folio offsets, all together

    # -- offsets and jobs --

    def offset(self, index: int) -> int | None:
        """Arabic folios run on from the main matter's first page; front matter starts at i."""
        if self.chunks[index].matter == "front":
            return 0
        total = 0
        for j in range(index):
            if self.chunks[j].matter == "front":
                continue
            if j not in self.counts:
                return None
            total += padded(self.counts[j])
        return total

    def page_refs(self) -> dict[str, str]:
        """Printed page number of every anchor laid out so far (for the contents and the credits)."""
        refs = {}
        for layout in self.done.values():
            labels = layout.facts.folios
            for anchor, page in layout.facts.anchors.items():
                refs[anchor] = labels[page - 1]
        return refs

    def job(self, index: int, refs: dict | None = None) -> ChunkJob | None:
        """The chunk's job, or None when a kept layout stands in for it."""
        chunk = self.chunks[index]
        html = link_across(self.edition.html(self.ctx, chunk=chunk, page_refs=refs))
        self.linked[index] = set(BOOKREF.findall(CITATION_TAG.sub("", html)))  # a citation shows no page
        if refs is not None and self.linked[index] - set(refs):
            # an anchor not laid out yet (a preface figure when the credits go first) reads "?" for
            # now; the chunk is laid out again once it is known (last_round)
            refs = {**{anchor: "?" for anchor in self.linked[index]}, **refs}
            html = link_across(self.edition.html(self.ctx, chunk=chunk, page_refs=refs))
        key = chunk_key(html, self.environment, self.book.root, sources_of(self.book, chunk))
        self.html[index] = html
        kept = self.cache.find(index, chunk, key)
        if self.cache.discarded:
            self.ctx.progress(f"paged editions: the kept layout of {', '.join(self.cache.discarded)} was damaged; "
                              "it was discarded and is laid out again")
            self.cache.discarded.clear()
        if kept is not None:
            self.counts[index] = kept.pages
            self.kept[index] = kept
            self.used.add(kept.screen_pdf.parent.name)
            self.kept_entries.add(kept.screen_pdf.parent.name)
            return None
        folder = self.cache.folder or (self.ctx.scratch_dir / "chunks")
        return ChunkJob(index, chunk, html, key, folder)

    def settle_kept(self) -> None:
        """Kept layouts whose offset is now known: used as they are, or laid out again if their folios moved."""
        for index in sorted(self.kept):
            offset = self.offset(index)
            if offset is None:
                continue
            kept = self.kept.pop(index)
            if kept.offset == offset:
                self.done[index] = kept
            else:
                self.moved.append(kept.chunk.key)
                self.queue.append(ChunkJob(index, kept.chunk, self.html[index], kept.key,
                                           kept.screen_pdf.parent.parent, offset))

    def requeue_stale(self) -> None:
        """A repair layout that changed a chunk's page count moves the folios after it: lay those out again."""
        queued = {job.index for job in self.queue}
        for index, layout in sorted(self.done.items()):
            offset = self.offset(index)
            if offset is not None and layout.offset != offset and index not in queued:
                del self.done[index]
                self.moved.append(layout.chunk.key)
                self.queue.append(ChunkJob(index, layout.chunk, self.html[index], layout.key,
                                           layout.screen_pdf.parent.parent, offset))

    def finished(self, layout: ChunkLayout) -> None:
        self.done[layout.index] = layout
        self.used.add(layout.screen_pdf.parent.name)
        self.laid_out += 1
        if self.counts.get(layout.index) != layout.pages:  # a repair layout changed the count: later folios move
            self.counts[layout.index] = layout.pages
        if self.cache.folder:
            self.cache.store(layout)
        self.ctx.progress(f"paged editions: {self.laid_out} chunk(s) laid out ({layout.chunk.key})")

    def last_round(self) -> None:
        """Once every other chunk is placed, queue the chunks that name pages: essays with page references
        ({: .page} links, laid out a first time without the numbers), the back lists, then the front.

        The credits may name pages of the front matter (a preface's figures) and the contents
        name the back lists' pages: a chunk laid out before the numbers it shows were known is
        laid out once more with them.
        """
        if any(i not in self.done for i, c in enumerate(self.chunks) if not c.needs_pages):
            return
        naming = [i for i, c in enumerate(self.chunks) if c.names_pages]
        naming += [i for i, c in enumerate(self.chunks) if c.needs_pages and c.key != FRONT] + [0]
        for index in naming:
            if index not in self.refs_used:
                self.queue_naming(index)
            if index not in self.done:
                return  # the next one needs this one's pages
        refs = self.page_refs()
        for index in naming:
            wanted = {a: refs.get(a) for a in self.linked.get(index, ())}
            if wanted != {a: self.refs_used[index].get(a) for a in wanted} and self.rounds.get(index, 0) < 2:
                del self.done[index]
                self.queue_naming(index)
                if index not in self.done:
                    return  # laid out again: the next round compares again
                # its layout was kept (the same HTML): go on to the next, or the pool would end here

    def queue_naming(self, index: int) -> None:
        self.rounds[index] = self.rounds.get(index, 0) + 1
        self.refs_used[index] = refs = self.page_refs()
        self.done.pop(index, None)  # an essay naming pages was laid out once without them (its own are in refs)
        job = self.job(index, refs)
        if job is not None:
            self.queue.append(job)
        self.settle_kept()

    # -- running --

    def run(self) -> BookLayout:
        for index, chunk in enumerate(self.chunks):
            if not chunk.needs_pages:  # one naming pages shows "?" for other chunks' until last_round
                job = self.job(index, {} if chunk.names_pages else None)
                if job is not None:
                    self.queue.append(job)
        self.settle_kept()
        to_lay_out = len(self.queue)
        self.ctx.progress(f"paged editions: {to_lay_out} chunk(s) to lay out, then the contents and lists"
                          + (f", in {min(self.jobs, to_lay_out)} processes" if self.jobs > 1 and to_lay_out > 1 else ""))
        if self.jobs > 1 and to_lay_out > 1:
            self._run_parallel()
            self.ctx.progress(f"paged editions: the processes idled {self.waited:.1f} s in all waiting for folio offsets")
        else:
            self._run_here()
        return self.result()

    def _setup(self):
        return (self.book, BOOK_URL, self.edition.fetcher_for(self.ctx), self.paint_options)

    def _run_here(self) -> None:
        book, base_url, fetcher_for, paint_options = self._setup()
        while self.next_step():
            if not self.queue:
                raise RuntimeError("layout pool: chunks left with nothing to do")
            job = self.queue.popleft()

            def ask(pages, index=job.index):
                self.counts[index] = pages
                return self.offset(index)

            self.finished(typeset_chunk(job, book, base_url, fetcher_for(), paint_options, ask))
            give_back_freed_memory()

    def next_step(self) -> bool:
        """Queue what can be queued; False once every chunk is laid out with the page numbers it shows."""
        self.settle_kept()
        self.requeue_stale()
        self.last_round()
        self.settle_kept()
        return len(self.done) < len(self.chunks)

    def _run_parallel(self) -> None:
        context = multiprocessing.get_context("fork")
        setup = self._setup()
        workers, idle = [], []
        for _ in range(min(self.jobs, max(1, len(self.queue)))):
            parent, child = context.Pipe()
            process = context.Process(target=_worker, args=(child, setup), daemon=True)
            process.start()
            child.close()
            workers.append((process, parent))
            idle.append(parent)
        busy: dict = {}  # worker connection → the chunks it holds (a second one only while the first waits)
        stalled: dict = {}  # worker connection → since when every chunk it holds waits for its offset
        meanwhile = list(self.ctx.meanwhile)
        try:
            while self.next_step():
                while self.queue:
                    # a free worker, or one whose only chunk waits for its offset: it lays out meanwhile
                    conn = idle.pop() if idle else next(
                        (c for c, held in busy.items() if len(held) == 1 and held[0] in self.waiting), None)
                    if conn is None:
                        break
                    job = self.queue.popleft()
                    if job.offset is None:
                        job.offset = self.offset(job.index)
                    busy.setdefault(conn, []).append(job.index)
                    conn.send(("job", job))
                if idle and meanwhile:  # a core left idle (the contents wait for the rest): the main process's work
                    threading.Thread(target=_do_meanwhile, args=(meanwhile,), daemon=True).start()
                    meanwhile = []  # once; and after the fork: a process forked with a thread running may hang
                if not busy:
                    raise RuntimeError("layout pool: chunks left with nothing to do")
                self._note_stalls(busy, stalled)
                for conn in wait(list(busy)):
                    kind, *payload = conn.recv()
                    if kind == "count":
                        index, pages = payload
                        self.counts[index] = pages
                        self.waiting[index] = conn
                    elif kind == "done":
                        self.finished(payload[0])
                        busy[conn].remove(payload[0].index)
                        if not busy[conn]:
                            del busy[conn]
                            idle.append(conn)
                    elif kind == "failed":
                        raise payload[0]
                    elif kind == "warning":
                        logging.getLogger("weasyprint").warning(payload[0])
                for index in sorted(self.waiting):
                    offset = self.offset(index)
                    if offset is not None:
                        self.waiting.pop(index).send(("offset", index, offset))
        finally:
            for process, conn in workers:
                try:
                    conn.send(("stop",))
                except OSError:
                    pass
            for process, conn in workers:
                process.join(timeout=5)
                if process.is_alive():
                    process.kill()
                conn.close()

    def _note_stalls(self, busy: dict, stalled: dict) -> None:
        """Add up the time workers spend with nothing to do but wait for folio offsets."""
        now = time.perf_counter()
        for conn, held in busy.items():
            if all(index in self.waiting for index in held):
                stalled.setdefault(conn, now)
            elif conn in stalled:
                self.waited += now - stalled.pop(conn)

    # -- the whole book --

    def result(self) -> BookLayout:
        """The chunks in order, their facts moved to the book's physical page numbers."""
        layouts = [self.done[i] for i in range(len(self.chunks))]
        stale = [c.chunk.key for i, c in enumerate(layouts) if c.offset != self.offset(i)]
        if stale:  # cannot happen: requeue_stale lays a chunk out again when the folios before it moved
            raise RuntimeError(f"folios out of step after layout in: {', '.join(stale)}")
        fresh = sum(1 for c in layouts if c.screen_pdf.parent.name not in self.kept_entries)
        book = BookLayout(layouts, merge_facts(layouts), reused=len(layouts) - fresh,  # chunks, not layouts:
                          laid_out=fresh, moved=self.moved, used=self.used)  # one naming pages is made twice
        return book


def merge_facts(layouts: list[ChunkLayout]) -> PagedFacts:
    """One book's facts from its chunks': page numbers shifted by each chunk's first physical page."""
    facts = PagedFacts()
    start = 0
    for n, layout in enumerate(layouts):
        facts.extend(layout.facts.shifted(start))
        facts.relaxed_blocks += layout.relaxed_blocks
        if n < len(layouts) - 1 and layout.pages % 2:  # the blank verso before the next opening
            folios = layout.facts.folios
            facts.folios.append(roman(len(folios) + 1) if layout.chunk.matter == "front" else str(int(folios[-1]) + 1))
        taken = padded(layout.pages) if n < len(layouts) - 1 else layout.pages
        facts.chunk_spans[layout.screen_pdf.parent.name] = (start + 1, start + taken)
        start += taken
    return facts
