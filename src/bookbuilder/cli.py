"""The command line. It parses arguments, calls the pipeline and prints; it holds no logic of its own."""
from __future__ import annotations

import argparse
import signal
import sys
import traceback
from pathlib import Path

from .build import DEFAULT_EDITIONS, build, default_out_dir
from .editions import EDITIONS
from .errors import BuildError

EXIT_OK, EXIT_CHECKS_FAILED, EXIT_BAD_INPUT = 0, 1, 2
EXIT_INTERNAL = 70  # sysexits EX_SOFTWARE: a bug in bookbuilder, not in the book
EXIT_CANNOT_WRITE = 74  # sysexits EX_IOERR: the output folder, the disk
EXIT_INTERRUPTED = 130


def human_size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def cmd_build(args) -> int:
    book_dir = Path(args.book_dir)
    try:
        result = build(book_dir, args.out, args.edition, progress=lambda m: print(f"  … {m}", file=sys.stderr),
                       write_html=args.html)
    except BuildError as exc:
        print(f"bookbuilder: the book has {len(exc.errors)} problem(s); nothing was written:", file=sys.stderr)
        for err in exc.errors:
            print(f"  {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    for message in dict.fromkeys(result.warnings):
        print(f"warning: {message}", file=sys.stderr)
    for finding in result.findings:
        print(("error: " if finding.fatal else "warning: ") + str(finding), file=sys.stderr)
    if result.failed:
        print("bookbuilder: checks failed; the previous outputs were left as they were.", file=sys.stderr)
        return EXIT_CHECKS_FAILED
    print(f"Built {len(result.outputs)} edition(s) in {result.seconds:.1f} s:")
    for r in result.outputs:
        pages = f"{r.pages} pages, " if r.pages else ""
        print(f"  {r.edition:<7} {r.path}  ({pages}{human_size(r.path.stat().st_size)})")
    return EXIT_OK


def epubs_to_check(target: Path) -> list[Path]:
    """An EPUB file, or every EPUB in a folder (a build output folder, or a book folder's _build)."""
    if target.is_file():
        return [target]
    folder = target if any(target.glob("*.epub")) else default_out_dir(target)
    return sorted(folder.glob("*.epub"))


def cmd_check(args) -> int:
    from .checks.epub import check_epub

    epubs = epubs_to_check(Path(args.target))
    if not epubs:
        print(f"bookbuilder: no EPUB found at {args.target}; build it first (bookbuilder build)", file=sys.stderr)
        return EXIT_BAD_INPUT
    problems = 0
    for epub in epubs:
        findings = check_epub(epub)
        fatal = [f for f in findings if f.fatal]
        problems += len(fatal)
        print(f"{epub}: EPUBCheck and DAISY Ace: " + (f"{len(fatal)} problem(s)" if fatal else "no problems"))
        for f in findings:
            print(("  error: " if f.fatal else "  note: ") + f.message)
    return EXIT_CHECKS_FAILED if problems else EXIT_OK


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="bookbuilder", description="Build an anthology's editions from one source folder.",
        epilog=f"exit status: {EXIT_OK} built; {EXIT_CHECKS_FAILED} a check of the outputs failed; {EXIT_BAD_INPUT} the "
               f"book has mistakes (each printed with its file and line); {EXIT_CANNOT_WRITE} a file could not be read "
               f"or written; {EXIT_INTERNAL} internal error (rerun with --debug); {EXIT_INTERRUPTED} interrupted. "
               "In every case but 0 the previous outputs are left as they were.")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the editions of a book")
    b.add_argument("book_dir", nargs="?", default=".", help="the folder holding book.toml (default: here)")
    b.add_argument("--out", type=Path, default=None, help="output folder (default: BOOK_DIR/_build)")
    b.add_argument("--edition", action="append", choices=list(EDITIONS), default=None,
                   help=f"build only this edition; repeat for several (default: {', '.join(DEFAULT_EDITIONS)})")
    b.add_argument("--html", action="store_true", help="also write the print edition's HTML, for debugging CSS")
    b.add_argument("--debug", action="store_true", help="show the full traceback of an internal error")
    b.set_defaults(func=cmd_build)
    c = sub.add_parser("check", help="judge a built EPUB with EPUBCheck and DAISY Ace")
    c.add_argument("target", nargs="?", default=".",
                   help="an EPUB, an output folder, or a book folder (its _build is checked; default: here)")
    c.set_defaults(func=cmd_check)
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
        return failed(args, f"could not read or write {exc.filename or 'a file'}: {exc.strerror or exc}; " + KEPT,
                      EXIT_CANNOT_WRITE)
    except Exception as exc:
        return failed(args, f"internal error ({type(exc).__name__}: {str(exc)[:200]}); {KEPT} "
                      "Rerun with --debug to see the details, and report them.", EXIT_INTERNAL)
    finally:
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
