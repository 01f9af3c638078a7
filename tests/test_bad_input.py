"""Bad input: exit 2, a message naming the file and line, no traceback, nothing overwritten."""
from __future__ import annotations

import pytest

from conftest import run_cli


def build(book, tmp_path):
    return run_cli("build", str(book), "--out", str(tmp_path / "out"), "--edition", "epub")


def assert_clean_failure(result, *fragments):
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def test_toml_syntax_error_names_file_and_line(book_copy, tmp_path):
    toml = book_copy / "book.toml"
    lines = toml.read_text().splitlines()
    n = lines.index('language = "en"')
    lines[n] = 'language = "en'  # unterminated string
    toml.write_text("\n".join(lines) + "\n")
    assert_clean_failure(build(book_copy, tmp_path), f"book.toml:{n + 1}", "TOML syntax error")


def test_wrong_type_and_unknown_key(book_copy, tmp_path):
    toml = book_copy / "book.toml"
    text = toml.read_text().replace('language = "en"', 'language = 7\nsubtitel = "x"', 1)
    toml.write_text(text)
    line = text.splitlines().index("language = 7") + 1
    result = build(book_copy, tmp_path)
    assert_clean_failure(result, f"book.toml:{line}: language: expected", f"book.toml:{line + 1}: subtitel: unknown key",
                         "did you mean 'subtitle'?")


def test_bad_isbn_check_digit(book_copy, tmp_path):
    toml = book_copy / "book.toml"
    text = toml.read_text()
    import re
    isbn = re.search(r'isbn = "([0-9-]+)"', text).group(1)
    wrong = isbn[:-1] + str((int(isbn[-1]) + 1) % 10)
    toml.write_text(text.replace(isbn, wrong, 1))
    line = next(i for i, l in enumerate(toml.read_text().splitlines(), 1) if wrong in l)
    assert_clean_failure(build(book_copy, tmp_path), f"book.toml:{line}", "wrong check digit")


def test_missing_essay_file_is_named_with_its_line(book_copy, tmp_path):
    (book_copy / "essays" / "card-by-card.md").unlink()
    toml_lines = (book_copy / "book.toml").read_text().splitlines()
    line = next(i for i, l in enumerate(toml_lines, 1) if "card-by-card.md" in l)
    assert_clean_failure(build(book_copy, tmp_path), f"book.toml:{line}", "card-by-card.md' does not exist")


def test_bad_front_matter_names_the_essay(book_copy, tmp_path):
    essay = book_copy / "essays" / "card-by-card.md"
    lines = essay.read_text().splitlines()
    lines[1] = 'title: "Card by Card'  # unterminated quote
    essay.write_text("\n".join(lines) + "\n")
    assert_clean_failure(build(book_copy, tmp_path), "essays/card-by-card.md:", "front matter is not valid YAML")


def test_front_matter_without_title_and_with_typo(book_copy, tmp_path):
    essay = book_copy / "essays" / "card-by-card.md"
    text = essay.read_text()
    text = "\n".join(l for l in text.splitlines() if not l.startswith("title:"))
    text = text.replace("standfirst:", "standfrist:", 1)
    essay.write_text(text)
    result = build(book_copy, tmp_path)
    assert_clean_failure(result, "essays/card-by-card.md", "title: is required", "standfrist: unknown key",
                         "did you mean 'standfirst'?")


def test_missing_image_names_essay_and_line(book_copy, tmp_path):
    essay = book_copy / "essays" / "from-chomsky-to-marx.md"
    lines = essay.read_text().splitlines()
    line = next(i for i, l in enumerate(lines, 1) if l.startswith("!["))
    lines[line - 1] = lines[line - 1].replace(".jpg", "-missing.jpg")
    essay.write_text("\n".join(lines) + "\n")
    assert_clean_failure(build(book_copy, tmp_path), f"essays/from-chomsky-to-marx.md:{line}", "not found")


def test_all_problems_are_reported_together(book_copy, tmp_path):
    for name in ("card-by-card.md", "what-the-mill-taught-us.md"):
        essay = book_copy / "essays" / name
        essay.write_text(essay.read_text().replace("title:", "titel:", 1))
    result = build(book_copy, tmp_path)
    assert_clean_failure(result, "card-by-card.md", "what-the-mill-taught-us.md")


@pytest.mark.slow  # builds the sample first
def test_failed_build_leaves_previous_outputs_untouched(book_copy, tmp_path):
    first = build(book_copy, tmp_path)
    assert first.returncode == 0, first.stderr
    epub = next((tmp_path / "out").glob("*.epub"))
    before = epub.read_bytes()
    essay = book_copy / "essays" / "card-by-card.md"
    essay.write_text(essay.read_text().replace("title:", "titel:", 1))
    assert build(book_copy, tmp_path).returncode == 2
    assert epub.read_bytes() == before
    # the EPUB reads where print's pages begin: the laid-out chunks are kept for the next build
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".bookbuilder-chunks", ".bookbuilder-manifest.json",
                                                                    epub.name]


def test_printer_settings_are_checked_with_file_and_line(book_copy, tmp_path):
    toml = book_copy / "book.toml"
    text = toml.read_text().replace('trim = "6x9in"\n', 'trim = "6x9in"\nbleed = "3 furlongs"\ninterior = "colour"\n', 1)
    text = text.replace("pages_per_inch = 444", "pages_per_inch = -4", 1)
    toml.write_text(text)
    lines = text.splitlines()
    bleed, interior = lines.index('bleed = "3 furlongs"') + 1, lines.index('interior = "colour"') + 1
    ppi = next(i for i, l in enumerate(lines, 1) if l.startswith("pages_per_inch"))
    assert_clean_failure(build(book_copy, tmp_path), f"book.toml:{bleed}: editions.print.bleed: '3 furlongs' is not a length",
                         f"book.toml:{interior}: editions.print.interior:", '"grey" or "cmyk"',
                         f"book.toml:{ppi}: cover.pages_per_inch: must be more than 0")
