"""Imports read nothing outside the manuscript's folder, replace nothing without --force, leave nothing on failure,
and refuse manuscripts no real one resembles (issue 17, items 2, 5 and 10)."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from PIL import Image

from conftest import run_cli


def png(colour) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), colour).save(out, "PNG")
    return out.getvalue()


def inbox_with_photo(tmp_path) -> Path:
    """A manuscript's folder holding one picture, photo.png (blue)."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "photo.png").write_bytes(png("blue"))
    return inbox


def new_book(tmp_path):
    book = tmp_path / "book"
    assert run_cli("new", str(book)).returncode == 0
    return book


def test_images_named_outside_the_manuscript_folder_are_never_read(tmp_path):
    book = new_book(tmp_path)
    secret = tmp_path / "secret.png"
    secret.write_bytes(png("red"))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "link.png").symlink_to(secret)
    page = inbox / "article.html"
    page.write_text("<html><head><title>Leak</title></head><body><article><h1>Leak</h1><p>By Someone</p>"
                    "<p>Some text of the article, long enough to be the article.</p>"
                    '<figure><img src="/proc/self/environ" alt="a"><figcaption>One</figcaption></figure>'
                    '<figure><img src="../secret.png" alt="b"><figcaption>Two</figcaption></figure>'
                    f'<figure><img src="{secret}" alt="c"><figcaption>Three</figcaption></figure>'
                    '<figure><img src="link.png" alt="d"><figcaption>Four</figcaption></figure>'
                    "</article></body></html>")
    before = sorted(p.name for p in (book / "images").iterdir())
    done = run_cli("import", str(page), "--book", str(book))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (book / "images").iterdir()) == before
    assert "outside the manuscript's folder" in done.stdout and "absolute path" in done.stdout
    assert not list(book.glob(".import-*"))


def test_a_base_element_means_no_local_image_is_read(tmp_path):
    book = new_book(tmp_path)
    inbox = inbox_with_photo(tmp_path)
    page = inbox / "article.html"
    page.write_text('<html><head><base href="file:///etc/"><title>T</title></head><body><article><h1>T</h1>'
                    '<p>Text of the article.</p><figure><img src="photo.png" alt="p"><figcaption>P</figcaption>'
                    "</figure></article></body></html>")
    done = run_cli("import", str(page), "--book", str(book))
    assert done.returncode == 0 and "<base href>" in done.stdout
    assert not list((book / "images").glob("t-*"))


def test_an_import_never_replaces_an_existing_image_without_force(tmp_path):
    book = new_book(tmp_path)
    inbox = inbox_with_photo(tmp_path)
    page = inbox / "article.md"
    page.write_text('---\ntitle: "Same Boat"\nauthor: "A. Writer"\n---\n\nText.\n\n![A boat](photo.png)\n'
                    "A boat. / Photo: Anon\n")
    mine = png("green")
    (book / "images" / "same-boat-1.png").write_bytes(mine)
    toml_before = (book / "book.toml").read_text()
    done = run_cli("import", str(page), "--book", str(book))
    assert done.returncode == 2 and "same-boat-1.png: already exists; nothing was written" in done.stderr
    assert (book / "images" / "same-boat-1.png").read_bytes() == mine
    assert not (book / "essays" / "same-boat.md").exists() and (book / "book.toml").read_text() == toml_before
    assert not list(book.glob(".import-*"))
    assert run_cli("import", str(page), "--book", str(book), "--force").returncode == 0
    assert (book / "images" / "same-boat-1.png").read_bytes() == png("blue")


def test_a_docx_zip_bomb_is_refused_before_it_is_opened(tmp_path):
    book = new_book(tmp_path)
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<" + b" " * 150_000_000 + b"/>")
    done = run_cli("import", str(bomb), "--book", str(book))
    assert done.returncode == 2 and "unzips to" in done.stderr and "bomb.docx" in done.stderr


def test_a_huge_manuscript_is_refused_with_its_size(tmp_path):
    book = new_book(tmp_path)
    huge = tmp_path / "huge.html"
    huge.write_bytes(b"<html><body><p>" + b"word " * 5_000_000 + b"</p></body></html>")
    done = run_cli("import", str(huge), "--book", str(book))
    assert done.returncode == 2 and "a manuscript may have at most" in done.stderr
