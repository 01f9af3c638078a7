"""A damaged chunk cache or build manifest is noticed, discarded and rebuilt, never an internal error (issue 17, item 12)."""
from __future__ import annotations

import json
import shutil

import pytest

from conftest import pdf_pages_text, run_cli

pytestmark = pytest.mark.slow  # builds books: `./dev test --fast` leaves these out


def test_a_truncated_or_swapped_kept_chunk_is_laid_out_again(book_copy, tmp_path):
    out = tmp_path / "out"
    assert run_cli("build", str(book_copy), "--out", str(out)).returncode == 0
    cold = pdf_pages_text(next(out.glob("*-print.pdf")))
    entries = sorted(p for p in (out / ".bookbuilder-chunks").iterdir() if p.is_dir())
    victim, other = entries[1], entries[2]
    (victim / "print.pdf").write_bytes((victim / "print.pdf").read_bytes()[:1000])
    shutil.copyfile(other / "screen.pdf", entries[3] / "screen.pdf")
    essay = book_copy / "essays" / "card-by-card.md"
    essay.write_text(essay.read_text() + "\nOne more line, so that this is not a no-op.\n")
    done = run_cli("build", str(book_copy), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "was damaged; it was discarded and is laid out again" in done.stderr
    again = pdf_pages_text(next(out.glob("*-print.pdf")))
    assert len(again) == len(cold) and "One more line" in "".join(again)


def test_a_manifest_of_the_wrong_shape_means_a_full_build(book_copy, tmp_path):
    out = tmp_path / "out"
    assert run_cli("build", str(book_copy), "--out", str(out), "--edition", "epub").returncode == 0
    manifest = out / ".bookbuilder-manifest.json"
    data = json.loads(manifest.read_text())
    for broken in ({**data, "outputs": "not a list"}, {**data, "editions": []}, [1, 2], {**data, "notes": [3]}):
        manifest.write_text(json.dumps(broken))
        for extra in ([], ["--force"]):
            done = run_cli("build", str(book_copy), "--out", str(out), "--edition", "epub", *extra)
            assert done.returncode == 0, (broken, done.stderr)
            assert "Built 1 edition(s)" in done.stdout
