"""The command line. It parses arguments, calls the pipeline and prints; it holds no logic of its own."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .build import DEFAULT_EDITIONS, build, check_built, default_out_dir
from .editions import EDITIONS
from .errors import BuildError

EXIT_OK, EXIT_CHECKS_FAILED, EXIT_BAD_INPUT = 0, 1, 2


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


def cmd_check(args) -> int:
    try:
        pdf, findings = check_built(Path(args.book_dir), args.out)
    except BuildError as exc:
        for err in exc.errors:
            print(f"bookbuilder: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    for finding in findings:
        print(("error: " if finding.fatal else "warning: ") + str(finding), file=sys.stderr)
    if any(f.fatal for f in findings):
        print(f"bookbuilder: preflight failed for {pdf}", file=sys.stderr)
        return EXIT_CHECKS_FAILED
    print(f"preflight passed: {pdf}")
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="bookbuilder", description="Build an anthology's editions from one source folder.")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the editions of a book")
    b.add_argument("book_dir", nargs="?", default=".", help="the folder holding book.toml (default: here)")
    b.add_argument("--out", type=Path, default=None, help="output folder (default: BOOK_DIR/_build)")
    b.add_argument("--edition", action="append", choices=list(EDITIONS), default=None,
                   help=f"build only this edition; repeat for several (default: {', '.join(DEFAULT_EDITIONS)})")
    b.add_argument("--html", action="store_true", help="also write the print edition's HTML, for debugging CSS")
    b.set_defaults(func=cmd_build)
    c = sub.add_parser("check", help="preflight the built print PDF (fonts, boxes, bleed, colour, image ppi, pages)")
    c.add_argument("book_dir", nargs="?", default=".", help="the folder holding book.toml (default: here)")
    c.add_argument("--out", type=Path, default=None, help="the build's output folder (default: BOOK_DIR/_build)")
    c.set_defaults(func=cmd_check)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
