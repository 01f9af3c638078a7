"""Editions laid out side by side: an edition no other one builds on is rendered in a second process.

WeasyPrint uses one core, and a Document cannot be pickled (engine-notes §4), so a
worker renders its whole edition into the build's scratch folder and sends back only
the Rendered record (path, page count, facts) with WeasyPrint's warnings. The worker is
forked, so it starts from the book already read and transformed; its output is the same
bytes the main process would have written.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import threading

from .editions import EDITIONS, RenderContext, Rendered


def default_jobs() -> int:
    """The cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def independent(names: list[str]) -> list[str]:
    """Editions that need no other edition and that no other edition in this build needs."""
    needed = {n for name in names for n in (*EDITIONS[name].requires, *EDITIONS[name].needs_layout_of)}
    return [n for n in names if n not in needed and not EDITIONS[n].requires and not EDITIONS[n].needs_layout_of]


def to_offload(names: list[str], jobs: int | None, rendered: list[str]) -> list[str]:
    """Of the editions to render here, those for other processes: independent ones, one per spare job, never all."""
    spare = (jobs or default_jobs()) - 1
    return [n for n in independent(names) if n in rendered][:max(0, min(spare, len(rendered) - 1))]


class _Warnings(logging.Handler):
    def __init__(self, send):
        super().__init__(logging.WARNING)
        self.send = send

    def emit(self, record):
        self.send(("warning", record.getMessage()))


def _render(name: str, context: RenderContext, conn) -> None:
    """In the worker: render one edition, reporting progress and warnings as they happen, then the result."""
    logging.getLogger("weasyprint").addHandler(_Warnings(conn.send))
    context.progress = lambda message: conn.send(("progress", message))
    try:
        conn.send(("done", EDITIONS[name]().render(context)))
    except BaseException as exc:  # noqa: BLE001 - handed to the main process, which raises it
        try:
            pickle.dumps(exc)
        except Exception:  # noqa: BLE001
            exc = RuntimeError(f"{type(exc).__name__}: {exc}")
        conn.send(("failed", exc))
    finally:
        conn.close()


class Elsewhere:
    """One edition rendering in a forked process; `result()` waits for it (and raises what it raised)."""

    def __init__(self, name: str, context: RenderContext):
        self.name = name
        self.receive, send = multiprocessing.Pipe(duplex=False)
        self.process = multiprocessing.get_context("fork").Process(
            target=_render, args=(name, context, send), name=f"bookbuilder-{name}", daemon=True)
        self.process.start()
        send.close()
        self.outcome: tuple | None = None
        self.listener: threading.Thread | None = None

    def listen(self, progress, warnings: list[str]) -> None:
        """Relay the worker's progress and warnings as they come (started once every worker is forked)."""
        self.listener = threading.Thread(target=self._listen, args=(progress, warnings), daemon=True)
        self.listener.start()

    def _listen(self, progress, warnings: list[str]) -> None:
        try:
            while True:
                kind, value = self.receive.recv()
                if kind == "progress":
                    progress(value)
                elif kind == "warning":
                    warnings.append(value)
                else:
                    self.outcome = (kind, value)
                    return
        except EOFError:  # the worker died without a word (killed, out of memory)
            self.outcome = ("failed", RuntimeError(f"the {self.name} edition's process ended unexpectedly"))
        finally:
            self.receive.close()

    def result(self) -> Rendered:
        self.listener.join()
        self.process.join()
        kind, value = self.outcome
        if kind == "failed":
            raise value
        return value

    def cancel(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()


def render_elsewhere(names: list[str], context: RenderContext, warnings: list[str]) -> dict[str, Elsewhere]:
    """Fork one worker per edition first, then start the threads that listen to them (no fork with threads)."""
    workers = {name: Elsewhere(name, context) for name in names}
    for worker in workers.values():
        context.progress(f"{worker.name}: rendering in a second process")
        worker.listen(context.progress, warnings)
    return workers
