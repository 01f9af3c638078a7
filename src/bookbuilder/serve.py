"""`bookbuilder serve`: a live preview of the book in the browser, on 127.0.0.1 only.

Each essay is shown as readers will see it: the EPUB's own XHTML with the house CSS,
served from the unpacked EPUB. The start page lists the contents and links the latest PDF.
watchfiles watches the book folder; a change rebuilds what it touches (a print or EPUB
stylesheet only its edition, anything else the EPUB first, quickly, then the PDF) and the
open pages reload themselves by polling /__status. A broken source puts its error at the
top of every page and in the terminal; the server keeps running and the last good pages
stay readable until the source is fixed.
"""
from __future__ import annotations

import html
import json
import re
import shutil
import signal
import tempfile
import threading
import time
import zipfile
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlparse

import watchfiles

from . import transforms
from .build import build
from .errors import BuildError
from .sources import load_book
from .words import Words

RELOAD_SCRIPT = """<script type="text/javascript">
(function () {
  var seen = %(version)d;
  function poll() {
    fetch("/__status", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      if (s["%(key)s"] !== seen) { location.reload(); return; }
      setTimeout(poll, 300);
    }).catch(function () { setTimeout(poll, 1000); });
  }
  setTimeout(poll, 300);
})();
</script>"""
ERROR_BOX = ('<div id="bookbuilder-error" style="position:fixed;left:0;right:0;bottom:0;z-index:9;max-height:45vh;'
             'overflow:auto;margin:0;padding:.8em 1em;'
             'background:#fde8e6;color:#8a1a12;border:2px solid #c0392b;font:14px/1.4 sans-serif;white-space:pre-wrap">'
             '<strong>The book does not build:</strong>\n%s</div>')


LOCAL_NAMES = ("localhost", "127.0.0.1", "[::1]")
IDLE_SECONDS = 10  # to send a request line and headers; responses are not kept alive (HTTP/1.0)
MAX_CONNECTIONS = 128


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


class Preview:
    """The latest good build of each edition, the current error, and version counters the pages poll."""

    def __init__(self, book_dir: Path, scratch: Path):
        self.book_dir, self.scratch = Path(book_dir).resolve(), scratch
        self.epub_root: Path | None = None
        self.pdf: Path | None = None
        self.contents: list[tuple[str, list[tuple[str, str]]]] = []
        self.title = ""
        self.error = ""
        self.text_version = self.pdf_version = 0
        self._builds = 0
        self._lock = threading.Lock()

    def status(self) -> dict:
        with self._lock:
            return {"text": self.text_version, "page": self.text_version + self.pdf_version, "error": self.error}

    def _failed(self, message: str) -> None:
        with self._lock:
            changed = message != self.error
            self.error = message
            if changed:
                self.text_version += 1
        log("the book does not build:\n  " + message.replace("\n", "\n  "))

    def rebuild(self, editions: tuple[str, ...] = ("epub", "print")) -> None:
        """Build the given editions in turn; the EPUB first, since the open pages wait for it."""
        for edition in ("epub", "print"):
            if edition not in editions:
                continue
            started = time.perf_counter()
            try:
                book = transforms.apply_all(load_book(self.book_dir))
                result = build(self.book_dir, self.scratch / edition, [edition])
            except BuildError as exc:
                return self._failed("\n".join(str(e) for e in exc.errors))
            except Exception as exc:  # a bug or a broken template must not stop the server
                return self._failed(f"{type(exc).__name__}: {exc}")
            if result.failed:
                return self._failed("\n".join(str(f) for f in result.findings if f.fatal))
            self._publish(book, result.outputs[0].path, edition)
            log(f"{edition} rebuilt in {time.perf_counter() - started:.1f} s")

    def _publish(self, book, output: Path, edition: str) -> None:
        if edition == "epub":
            self._builds += 1
            root = self.scratch / f"epub-{self._builds}"
            with zipfile.ZipFile(output) as z:
                z.extractall(root)
            words = Words.of(book)
            contents = [("", [(p.slug, words.labelled(p)) for p in book.front])]
            contents += [(p.title and words.labelled(p), [(e.slug, words.labelled(e)) for e in p.essays])
                         for p in book.parts]
            contents.append(("", [(p.slug, words.labelled(p)) for p in book.back]))
        with self._lock:
            old = None
            if edition == "epub":
                old, self.epub_root = self.epub_root, root / "EPUB"
                self.contents, self.title = [c for c in contents if c[1]], book.title
                self.text_version += 1
            else:
                self.pdf = output
                self.pdf_version += 1
            if self.error:
                self.error = ""
                self.text_version += 1
        if old is not None:  # pages being sent from the old copy get a moment to finish
            cleanup = threading.Timer(30, shutil.rmtree, (old.parent,), {"ignore_errors": True})
            cleanup.daemon = True
            cleanup.start()


def editions_for(changes: set[tuple], book_dir: Path) -> tuple[str, ...]:
    """A change to one edition's stylesheets rebuilds that edition only; anything else rebuilds both."""
    folders = set()
    for _change, path in changes:
        rel = Path(path).resolve().relative_to(book_dir) if Path(path).resolve().is_relative_to(book_dir) else Path(path)
        folders.add(rel.parts[1] if len(rel.parts) > 2 and rel.parts[0] == "styles" and rel.parts[1] in ("print", "epub")
                    else "all")
    return ("epub", "print") if "all" in folders or not folders else tuple(sorted(folders))


def watch_and_rebuild(preview: Preview, stop: threading.Event) -> None:
    preview.rebuild(("print",))
    ignore = watchfiles.DefaultFilter(ignore_paths=[str(preview.book_dir / "_build")])
    for changes in watchfiles.watch(preview.book_dir, watch_filter=ignore, stop_event=stop, debounce=200, step=50):
        names = ", ".join(sorted({Path(p).name for _c, p in changes}))
        log(f"changed: {names}")
        preview.rebuild(editions_for(changes, preview.book_dir))


def start_page(preview: Preview) -> str:
    status = preview.status()
    items = []
    for heading, entries in preview.contents:
        links = "".join(f'<li><a href="/text/{html.escape(slug)}.xhtml">{html.escape(title)}</a></li>'
                        for slug, title in entries)
        items.append((f"<h2>{html.escape(heading)}</h2>" if heading else "") + f"<ul>{links}</ul>")
    pdf = ('<p><a href="/pdf" id="pdf">The print PDF</a> (rebuilt after each change)</p>' if preview.pdf
           else "<p>The print PDF is being built …</p>")
    error = ERROR_BOX % html.escape(status["error"]) if status["error"] else ""
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(preview.title)} — "
            "preview</title><style>body{font:16px/1.5 sans-serif;max-width:40em;margin:2em auto;padding:0 1em}"
            f"</style></head><body>{error}<h1>{html.escape(preview.title)}</h1>{pdf}<nav id=\"contents\">"
            f"{''.join(items)}</nav>{RELOAD_SCRIPT % {'version': status['page'], 'key': 'page'}}</body></html>")


def with_live_reload(page: str, preview: Preview) -> str:
    status = preview.status()
    error = ERROR_BOX % html.escape(status["error"]) if status["error"] else ""
    script = RELOAD_SCRIPT % {"version": status["text"], "key": "text"}
    page = re.sub(r"(<body\b[^>]*>)", lambda m: m.group(1) + error, page, count=1)
    return page.replace("</body>", script + "</body>", 1)


def make_handler(preview: Preview) -> type[BaseHTTPRequestHandler]:
    types = {".xhtml": "application/xhtml+xml", ".css": "text/css", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
             ".png": "image/png", ".gif": "image/gif", ".svg": "image/svg+xml", ".ttf": "font/ttf", ".otf": "font/otf"}

    class Handler(BaseHTTPRequestHandler):
        def send(self, body: bytes | str, content_type: str, status: int = 200) -> None:
            data = body.encode("utf-8") if isinstance(body, str) else body
            self.send_response(status)
            self.send_header("Content-Type", content_type + ("; charset=utf-8" if isinstance(body, str) else ""))
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        timeout = IDLE_SECONDS  # a connection that says nothing is closed, not kept forever

        def do_GET(self) -> None:
            if not self.host_is_ours():  # DNS rebinding: a page elsewhere naming our port by another host name
                return self.send("Not served under this host name.", "text/plain", HTTPStatus.MISDIRECTED_REQUEST)
            path = unquote(urlparse(self.path).path)
            if "\0" in path:
                return self.send("Not found.", "text/plain", HTTPStatus.NOT_FOUND)
            if path == "/":
                return self.send(start_page(preview), "text/html")
            if path == "/__status":
                return self.send(json.dumps(preview.status()), "application/json")
            if path == "/pdf":
                pdf = preview.pdf
                return self.send(pdf.read_bytes(), "application/pdf") if pdf and pdf.is_file() else \
                    self.send("The PDF is not built yet.", "text/plain", HTTPStatus.NOT_FOUND)
            root = preview.epub_root
            file = (root / path.lstrip("/")).resolve() if root else None
            if file is None or not file.is_relative_to(root.resolve()) or not file.is_file():
                return self.send("Not found.", "text/plain", HTTPStatus.NOT_FOUND)
            if file.suffix == ".xhtml":
                return self.send(with_live_reload(file.read_text(encoding="utf-8"), preview), types[".xhtml"])
            self.send(file.read_bytes(), types.get(file.suffix.lower(), "application/octet-stream"))

        def host_is_ours(self) -> bool:
            port = self.server.server_address[1]
            return (self.headers.get("Host") or "").lower() in {f"{h}:{port}" for h in LOCAL_NAMES}

        def log_message(self, format, *args) -> None:  # the terminal is for builds and errors
            pass

    return Handler


class PreviewServer(ThreadingHTTPServer):
    """At most MAX_CONNECTIONS at once (more are closed at once), and no traceback when a reader goes away."""

    daemon_threads = True

    def __init__(self, address, handler):
        super().__init__(address, handler)
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)

    def process_request(self, request, client_address):
        if not self.slots.acquire(blocking=False):
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request, client_address):
        pass  # a closed tab or a timed-out idle connection: nothing the editor needs to read


def stop_serving(signum, frame) -> None:
    raise KeyboardInterrupt


def serve(book_dir: Path, port: int = 8000, ready: Callable[[str], None] = print) -> None:
    """Build, serve and watch until interrupted (Ctrl-C)."""
    book_dir = Path(book_dir).resolve()
    if not (book_dir / "book.toml").is_file():
        from .errors import SourceError
        raise BuildError([SourceError(book_dir / "book.toml", "not found",
                                      hint="give the folder that holds book.toml (bookbuilder new makes one)")])
    scratch = Path(tempfile.mkdtemp(prefix="bookbuilder-serve-"))
    preview = Preview(book_dir, scratch)
    try:
        server = PreviewServer(("127.0.0.1", port), make_handler(preview))  # the port first: a taken one costs no build
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    preview.rebuild(("epub",))
    stop = threading.Event()
    watcher = threading.Thread(target=watch_and_rebuild, args=(preview, stop), daemon=True)
    watcher.start()
    if threading.current_thread() is threading.main_thread():  # `kill` stops it as cleanly as Ctrl-C
        signal.signal(signal.SIGTERM, stop_serving)
    ready(f"Serving {book_dir.name} on http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
        shutil.rmtree(scratch, ignore_errors=True)
