#!/usr/bin/env python3
"""Try bookbuilder against another WeasyPrint or ebooklib: a scratch venv, the contract tests, a report.

    scripts/try_engine.py --weasyprint 69.0
    scripts/try_engine.py --weasyprint 71.0 --ebooklib 0.21 --keep /tmp/venv-71

Makes a virtual environment in a scratch folder, installs bookbuilder from this checkout
(not editable: what a user gets) with pytest and pikepdf, then the engine versions asked for
over bookbuilder's exact pins (pip warns of the conflict; that is the point), and runs
tests/test_engine_contracts.py and tests/test_engine_boundary.py with it. Each failing
contract says what the engine no longer has and which module of src/bookbuilder/engine/
relies on it for what: that list is the porting job. Exit 0 when every contract holds,
1 when some break, 2 when the environment could not be made. Needs PyPI (pip) only.
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parents[1]
TESTS = ["tests/test_engine_contracts.py", "tests/test_engine_boundary.py"]
CONTRACT = re.compile(r"(\S+ [\d.]+) no longer has (.+?); (engine/\S+) relies on it for (.+?)(\nassert.*)?$")


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    print("$", " ".join(cmd), flush=True)
    return subprocess.run(cmd, text=True, capture_output=True, **kw)


def versions(python: str) -> str:
    code = ("from importlib.metadata import version as v\n"
            "print(', '.join(f'{p} {v(p)}' for p in ('weasyprint', 'pydyf', 'EbookLib')))")
    return run([python, "-c", code]).stdout.strip()


def report(junit: Path) -> list[str]:
    """One line per failing test: the contract's own message when it has one, else what was raised."""
    lines = []
    if not junit.is_file():
        return lines
    for case in ElementTree.parse(junit).getroot().iter("testcase"):
        for failure in [*case.iter("failure"), *case.iter("error")]:
            message = (failure.get("message") or failure.text or "").strip().splitlines()
            text = next((line for line in message if CONTRACT.search(line)), message[0] if message else "?")
            m = CONTRACT.search(text)
            lines.append(f"{m.group(1)}: no longer has {m.group(2)}; {m.group(3)} needs it for {m.group(4)}" if m
                         else f"{case.get('name')}: {text}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--weasyprint", help="a WeasyPrint version from PyPI, e.g. 69.0 (default: the pinned one)")
    parser.add_argument("--ebooklib", help="an EbookLib version from PyPI, e.g. 0.19 (default: the pinned one)")
    parser.add_argument("--keep", type=Path, help="make the venv here and keep it (default: a temporary folder)")
    args = parser.parse_args()

    scratch = args.keep or Path(tempfile.mkdtemp(prefix="bookbuilder-engine-"))
    try:
        print(f"try_engine: a scratch environment in {scratch}", flush=True)
        if not (scratch / "bin" / "python").exists():
            venv.create(scratch, with_pip=True, clear=True)
        python = str(scratch / "bin" / "python")
        pip = [python, "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        steps = [[*pip, str(ROOT), "pytest>=8", "pikepdf"]]
        wanted = [f"weasyprint=={args.weasyprint}"] * bool(args.weasyprint) + [f"EbookLib=={args.ebooklib}"] * bool(args.ebooklib)
        if wanted:
            steps.append([*pip, *wanted])
        for step in steps:
            done = run(step)
            if done.returncode != 0:
                print(done.stdout + done.stderr, file=sys.stderr)
                print("try_engine: could not make the environment (see pip's message above)", file=sys.stderr)
                return 2
            if done.stderr.strip():
                print(done.stderr.strip())  # pip's note that the pins are not met: expected
        print(f"try_engine: engines installed: {versions(python)}", flush=True)
        # From the checkout's tests, but importing the installed bookbuilder (not ./src): -p no:cacheprovider
        # keeps the checkout clean; rootdir is the checkout so conftest.py and the markers are found.
        junit = scratch / "contracts.xml"
        tests = run([python, "-m", "pytest", *TESTS, "-q", "-p", "no:cacheprovider", "--tb=line", "-o", "addopts=",
                     f"--junitxml={junit}"], cwd=ROOT)
        broken = report(junit)
        summary = (tests.stdout.strip().splitlines() or ["(no output)"])[-1]
        if tests.returncode == 0:
            print(f"try_engine: every engine contract holds with {versions(python)} ({summary})")
            return 0
        print(f"try_engine: with {versions(python)}, {summary}:")
        for line in broken:
            print(f"  - {line}")
        if tests.returncode not in (0, 1):
            print(tests.stderr[-2000:], file=sys.stderr)
        return 1
    finally:
        if args.keep is None:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
