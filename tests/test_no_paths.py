"""Issue 12: no output holds a file: URL or a path of the machine that built it."""
from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import linked_book, run_cli

pytestmark = pytest.mark.slow  # builds books: `./dev test --fast` leaves these out

DISTINCT = "Zq7-machine-folder"


def readable_contents(path: Path, scratch: Path) -> dict[str, bytes]:
    """What a reader's tools would see of one output: a PDF with its streams decompressed, an EPUB's members."""
    if path.suffix == ".pdf":
        plain = scratch / (path.name + ".qdf")
        subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(path), str(plain)], check=True)
        return {path.name: plain.read_bytes()}
    if path.suffix == ".epub":
        with zipfile.ZipFile(path) as z:
            return {f"{path.name}/{m}": z.read(m) for m in z.namelist()}
    return {path.name: path.read_bytes()}


def test_no_output_holds_a_machine_path_or_file_url(tmp_path):
    folder = tmp_path / DISTINCT
    book = linked_book(folder / "book")
    out = folder / "out"
    result = run_cli("build", str(book), "--out", str(out), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    outputs = [p for p in out.iterdir() if p.is_file()]
    site = out / "linked-web"  # the web edition: a folder of pages, scripts, styles
    outputs += [p for p in sorted(site.rglob("*")) if p.suffix in (".html", ".css", ".js")]
    assert len(outputs) > 10
    assert {p.suffix for p in outputs} >= {".pdf", ".epub", ".json"}, outputs  # print, screen, cover, manifest
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    found = []
    for output in outputs:
        for name, data in readable_contents(output, scratch).items():
            for needle in (DISTINCT.encode(), str(tmp_path).encode(), b"file:"):
                if needle in data:
                    at = data.index(needle)
                    found.append(f"{name}: {data[max(0, at - 60):at + 60]!r}")
    assert found == []
