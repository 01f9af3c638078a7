"""`release --out` may only replace a folder it wrote itself: never the book, never a folder with a stray release.json.

Issue 17, item 1: any folder holding a file named release.json used to be wiped as "a previous
release", the book's own folder included. These refusals happen before anything is built.
"""
from __future__ import annotations

import hashlib
import shutil

import pytest

from conftest import SAMPLE, run_cli


def tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_release_into_the_book_folder_itself_is_refused_and_deletes_nothing(book_copy):
    (book_copy / "release.json").write_text("{}")  # a stray file of that name proves nothing
    before = tree(book_copy)
    done = run_cli("release", str(book_copy), "--out", str(book_copy))
    assert done.returncode == 2, done.stderr
    assert "holds the book's sources" in done.stderr and "Traceback" not in done.stderr
    assert tree(book_copy) == before


@pytest.mark.slow
def test_release_into_a_folder_holding_the_book_is_refused(tmp_path):
    book = tmp_path / "books" / "mine"
    shutil.copytree(SAMPLE, book, ignore=shutil.ignore_patterns("_build", "_release"))
    (tmp_path / "books" / "release.json").write_text("{}")
    done = run_cli("release", str(book), "--out", str(tmp_path / "books"))
    assert done.returncode == 2 and "holds the book's sources" in done.stderr
    assert (book / "book.toml").is_file() and (book / "essays").is_dir()


@pytest.mark.slow
def test_a_forged_release_whose_checksums_do_not_cover_the_folder_is_not_replaced(tmp_path):
    out = tmp_path / "dist"
    out.mkdir()
    (out / "release.json").write_text("{}")
    (out / "thesis.odt").write_bytes(b"years of work")
    digest = hashlib.sha256(b"{}").hexdigest()
    (out / "SHA256SUMS").write_text(f"{digest}  release.json\n")  # thesis.odt is not accounted for
    done = run_cli("release", str(SAMPLE), "--out", str(out))
    assert done.returncode == 2 and "is not an earlier release" in done.stderr
    assert (out / "thesis.odt").read_bytes() == b"years of work"


def test_checksums_that_do_not_verify_are_not_a_release(tmp_path):
    from bookbuilder.release import is_earlier_release

    out = tmp_path / "dist"
    out.mkdir()
    (out / "release.json").write_text("{}")
    (out / "SHA256SUMS").write_text(f"{hashlib.sha256(b'{}').hexdigest()}  release.json\n")
    assert is_earlier_release(out)
    (out / "release.json").write_text("{ }")
    assert not is_earlier_release(out)
