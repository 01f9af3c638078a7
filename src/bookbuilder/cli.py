"""The command line. It parses arguments, calls the pipeline and prints; it holds no logic of its own."""
from __future__ import annotations

import argparse
import signal
import sys
import traceback
from pathlib import Path

from . import __version__
from .errors import BuildError
from .model import EDITION_NAMES
from .sizes import bytes_of, human_size

# Each command imports its engine when it runs: `--help`, `new` and `import` load no WeasyPrint.

EXIT_OK, EXIT_CHECKS_FAILED, EXIT_BAD_INPUT = 0, 1, 2
EXIT_INTERNAL = 70  # sysexits EX_SOFTWARE: a bug in bookbuilder, not in the book
EXIT_CANNOT_WRITE = 74  # sysexits EX_IOERR: the output folder, the disk
EXIT_INTERRUPTED = 130


def report_bad_input(exc: BuildError, what: str = "the book has") -> int:
    print(f"bookbuilder: {what} {len(exc.errors)} problem(s); nothing was written:", file=sys.stderr)
    for err in exc.errors:
        print(f"  {err}", file=sys.stderr)
    return EXIT_BAD_INPUT


def cmd_build(args) -> int:
    from .build import build

    book_dir = Path(args.book_dir)
    try:
        result = build(book_dir, args.out, args.edition, progress=lambda m: print(f"  … {m}", file=sys.stderr),
                       write_html=args.html, force=args.force, jobs=args.jobs)
    except BuildError as exc:
        return report_bad_input(exc)
    for message in dict.fromkeys(result.warnings):
        print(f"warning: {message}", file=sys.stderr)
    for finding in result.findings:
        print(("error: " if finding.fatal else "warning: ") + str(finding), file=sys.stderr)
    if result.failed:
        failing = list(dict.fromkeys(f.edition for f in result.findings if f.fatal))
        made_from = [name for name in result.withheld if name not in failing]
        print(f"bookbuilder: checks failed for {' and '.join(failing)}: not written"
              + (f" (nor {' and '.join(made_from)}, made from it)" if made_from else "")
              + "; the previous files were left as they were.", file=sys.stderr)
        for r in result.written:
            print(f"  written: {r.edition:<7} {r.path}", file=sys.stderr)
        return EXIT_CHECKS_FAILED
    if result.unchanged:
        print(f"Nothing changed since the last build; its {len(result.outputs)} edition(s) are up to date "
              "(nothing was rewritten; --force builds anyway):")
    else:
        print(f"Built {len(result.outputs)} edition(s) in {result.seconds:.1f} s:")
    for r in result.outputs:
        pages = f"{r.pages} pages, " if r.pages else ""
        kept = "; kept, nothing it reads changed" if r.kept else ""
        print(f"  {r.edition:<7} {r.path}  ({pages}{human_size(bytes_of(r.path))}{kept})")
    return EXIT_OK


def cmd_new(args) -> int:
    from .scaffold import create_book

    try:
        files = create_book(args.book_dir, args.title)
    except BuildError as exc:
        return report_bad_input(exc, "bookbuilder new found")
    print(f"Created the book folder {args.book_dir} ({len(files)} files). Build it with:")
    print(f"  bookbuilder build {args.book_dir}")
    return EXIT_OK


def cmd_import(args) -> int:
    from .importers import import_file

    try:
        result = import_file(args.file, args.book, force=args.force, title=args.title, author=args.author,
                             accept_changes=args.accept_changes)
    except BuildError as exc:
        return report_bad_input(exc, "the import found")
    print(f"Imported {args.file} as {result.essay}, listed in the contents of {args.book / 'book.toml'}.")
    for image in result.images:
        print(f"  image   {image}")
    print("Recognised:")
    for line in result.report():
        print(f"  {line}")
    if result.draft.attention:
        print("Needs the editor's eye:")
        for line in result.draft.attention:
            print(f"  - {line}")
    return EXIT_OK


def cmd_check(args) -> int:
    from .check import check_book

    try:
        report = check_book(Path(args.book_dir), build_editions=not args.no_build,
                            progress=lambda m: print(f"  … {m}", file=sys.stderr))
    except BuildError as exc:
        return report_bad_input(exc, "bookbuilder check found")
    to_fix = [f for f in report.findings if f.fatal]
    not_run = [f for f in report.findings if f.did_not_run]
    notes = [f for f in report.findings if not f.fatal and not f.did_not_run]
    if not_run:  # a check that could not run is not a pass: say what to install
        print(f"Could not check ({len(not_run)}):")
        print("\n".join(f"  {f}" for f in not_run))
    if to_fix:
        print(f"To fix ({len(to_fix)}):")
        print("\n".join(f"  {f}" for f in to_fix))
    if notes:
        print(f"Worth a look ({len(notes)}):")
        print("\n".join(f"  {f}" for f in notes))
    checked = "the sources" + (f" and the {' and '.join(report.built)} edition(s)" if report.built else "")
    print(f"{len(to_fix)} problem(s) to fix in {checked}." if to_fix else f"No problems in {checked}."
          + (f" {len(not_run)} validator(s) could not run." if not_run else ""))
    return EXIT_CHECKS_FAILED if to_fix or not_run else EXIT_OK


def cmd_release(args) -> int:
    from .release import ReleaseRefused, release

    try:
        done = release(Path(args.book_dir), args.out, progress=lambda m: print(f"  … {m}", file=sys.stderr))
    except BuildError as exc:
        return report_bad_input(exc, "bookbuilder release found")
    except ReleaseRefused as exc:
        print(f"bookbuilder: release refused; {len(exc.failures)} check(s) failed (nothing was released):",
              file=sys.stderr)
        for finding in exc.failures:
            print(f"  {finding}", file=sys.stderr)
        return EXIT_CHECKS_FAILED
    for note in done.notes:
        print(f"worth a look: {note}", file=sys.stderr)
    print(f"Released {len(done.files) + 1} files into {done.folder}:")
    for f in done.files:
        pages = f"{f.pages} pages, " if f.pages else ""
        print(f"  {f.path}  ({pages}{human_size(f.bytes)})")
    print("  SHA256SUMS")
    return EXIT_OK


def cmd_serve(args) -> int:
    from .serve import serve

    try:
        serve(Path(args.book_dir), args.port, ready=lambda m: print(m, flush=True))
    except BuildError as exc:
        return report_bad_input(exc, "bookbuilder serve found")
    except OSError as exc:
        print(f"bookbuilder: cannot serve on 127.0.0.1:{args.port}: {exc.strerror or exc}\n"
              "    → choose another port with --port N (0 picks a free one)", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK


def port_number(text: str) -> int:
    """--port: a TCP port, refused before any build (argparse exits 2 with the message)."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0 to 65535)") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (0 to 65535)")
    return port


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)  # options every subcommand takes
    common.add_argument("--debug", action="store_true", help="show the full traceback of an internal error")
    p = argparse.ArgumentParser(
        prog="bookbuilder", description="Build an anthology's editions from one source folder.",
        epilog=f"exit status: {EXIT_OK} built; {EXIT_CHECKS_FAILED} a check of the outputs failed; {EXIT_BAD_INPUT} the "
               f"book has mistakes (each printed with its file and line); {EXIT_CANNOT_WRITE} a file could not be read "
               f"or written; {EXIT_INTERNAL} internal error (rerun with --debug); {EXIT_INTERRUPTED} interrupted. "
               "In every case but 0 the previous outputs are left as they were, save that with 1 the editions whose "
               "checks passed are written (a print preflight failure still writes the EPUB and screen PDF).")
    p.add_argument("--version", action="version", version=f"bookbuilder {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", parents=[common], help="build the editions of a book")
    b.add_argument("book_dir", nargs="?", default=".", help="the folder holding book.toml (default: here)")
    b.add_argument("--out", type=Path, default=None, help="output folder (default: BOOK_DIR/_build)")
    b.add_argument("--edition", action="append", choices=EDITION_NAMES, default=None,
                   help=f"build only this edition; repeat for several (default: {', '.join(EDITION_NAMES)})")
    b.add_argument("--html", action="store_true", help="also write the print edition's HTML, for debugging CSS")
    b.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="processes laying out the paged editions, side by side (default: the number of cores)")
    b.add_argument("--force", action="store_true", help="build even when nothing changed since the last build")
    b.set_defaults(func=cmd_build)
    n = sub.add_parser("new", parents=[common], help="start a book folder that builds at once")
    n.add_argument("book_dir", type=Path, help="the folder to create (new or empty)")
    n.add_argument("--title", default=None, help="the book's title (default: from the folder name)")
    n.set_defaults(func=cmd_new)
    i = sub.add_parser("import", parents=[common],
                       help="import a .docx or .odt, a saved web article (.html) or plain text as an essay")
    i.add_argument("file", type=Path, help="the file to import")
    i.add_argument("--book", type=Path, default=Path("."), help="the book folder (default: here)")
    i.add_argument("--force", action="store_true", help="replace an essay of the same name")
    i.add_argument("--title", default=None, help="the essay's title, when the file does not say")
    i.add_argument("--author", default=None, help="the essay's author, when the file does not say")
    i.add_argument("--accept-changes", action="store_true",
                   help="a .docx or .odt with tracked changes: take the insertions and drop the deletions")
    i.set_defaults(func=cmd_import)
    c = sub.add_parser("check", parents=[common],
                       help="lint the sources, build and validate the editions; exit 1 if anything needs fixing")
    c.add_argument("book_dir", nargs="?", default=".",
                   help="the folder holding book.toml (default: here), or an .epub to validate on its own")
    c.add_argument("--no-build", action="store_true", help="lint the sources only; build and validate nothing")
    c.set_defaults(func=cmd_check)
    r = sub.add_parser("release", parents=[common], help="build and validate every edition, then write a release "
                       "folder: editions, "
                       "offprints, checksums and a download page; exit 1 if a check fails")
    r.add_argument("book_dir", nargs="?", default=".", help="the folder holding book.toml (default: here)")
    r.add_argument("--out", type=Path, default=None,
                   help="the release folder, new or an earlier release (default: BOOK_DIR/_release)")
    r.set_defaults(func=cmd_release)
    s = sub.add_parser("serve", parents=[common],
                       help="preview the book in the browser; rebuilds and reloads as you edit")
    s.add_argument("book_dir", nargs="?", default=".", help="the folder holding book.toml (default: here)")
    s.add_argument("--port", type=port_number, default=8000, help="the port on 127.0.0.1 (default: 8000; 0: any free port)")
    s.set_defaults(func=cmd_serve)
    return p


KEPT = "the previous outputs were left as they were."


def failed(args, message: str, code: int) -> int:
    """One line for the editor; the traceback only with --debug."""
    if getattr(args, "debug", False):
        traceback.print_exc()
    print(f"bookbuilder: {message}", file=sys.stderr)
    return code


def stop_on_terminate(signum, frame):
    """`kill` (SIGTERM) unwinds like Ctrl-C, so the scratch folder is removed; SIGKILL is cleaned up next build."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Run a command. Bad input is exit 2 with file and line; anything else is our bug: one line, exit 70.

    An editor should never see a traceback; `--debug` shows it to whoever fixes the bug.
    """
    args = parser().parse_args(argv)
    previous = signal.signal(signal.SIGTERM, stop_on_terminate)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("bookbuilder: interrupted; " + KEPT, file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as exc:  # the disk, the output folder's permissions: not the book, not a bug
        from .build import PartlyWritten

        if isinstance(exc, PartlyWritten):  # the outputs are a mix of this build's and the last: say which is which
            return failed(args, f"{exc}. Build again to finish.", EXIT_CANNOT_WRITE)
        return failed(args, f"could not read or write {exc.filename or 'a file'}: {exc.strerror or exc}; " + KEPT,
                      EXIT_CANNOT_WRITE)
    except Exception as exc:
        return failed(args, f"internal error ({type(exc).__name__}: {str(exc)[:200]}); {KEPT} "
                      "Rerun with --debug to see the details, and report them.", EXIT_INTERNAL)
    finally:
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
