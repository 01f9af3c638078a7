"""`bookbuilder new`: the folder it makes builds clean at once, with every house element at work."""
from __future__ import annotations

import datetime
import re
import tomllib
import zipfile

import pytest

from conftest import run_cli


def schema_keys(option) -> set[str]:
    """Every key book.toml may hold, at any depth (config.BOOK_SCHEMA)."""
    from bookbuilder.config import ListOf, Table

    keys = set()
    if isinstance(option, ListOf):
        return schema_keys(option.item)
    table = option if isinstance(option, Table) else getattr(option, "table", None)
    for key, inner in (table.schema.items() if isinstance(table, Table) else ()):
        keys |= {key} | schema_keys(inner)
    return keys


def test_new_book_toml_sets_the_book_and_documents_every_option(tmp_path):
    from bookbuilder.config import BOOK_SCHEMA

    book = tmp_path / "our-anthology"
    made = run_cli("new", str(book), "--title", 'Why "We" Joined')
    assert made.returncode == 0, made.stderr
    toml = (book / "book.toml").read_text()
    settings = tomllib.loads(toml)
    assert settings["title"] == 'Why "We" Joined'
    assert settings["language"] == "en" and isinstance(settings["date"], datetime.date)
    assert settings["rights"].startswith("©") and settings["description"] and settings["publisher"]
    assert [e["name"] for e in settings["editors"]] == ["Your Name"]
    assert [(e["author"], e["source"]) for e in settings["epigraphs"]] == [("Karl Marx", "Theses on Feuerbach")]
    assert settings["editions"]["print"]["trim"] == "6x9in" and "epub" in settings["editions"]
    assert "cover" in settings
    contents = settings["contents"]
    assert contents["essays"] == ["essays/example.md"] and contents["front"] == [] and contents["back"] == []
    # the optional settings are there to uncomment, each one a valid line of TOML once it is
    documented = {m[2]: m[1] for m in re.finditer(r"^# ?((\w+) = .*?)(?:  +#.*)?$", toml, re.M)}
    for option, line in documented.items():
        if not line.endswith("["):  # `terms = [` goes on over the lines below
            assert option in tomllib.loads(line), line
    missing = [key for key in schema_keys(BOOK_SCHEMA)  # as `key = …` or a [table] (commented out or not)
               if not re.search(rf"(?:^[#\s]*|[{{,] |[\[.]){key}(?: = |\]|\.\w)", toml, re.M)]
    assert missing == [], f"book.toml of a new book does not show {missing}"
    assert re.search(r"^# \[\[contents\.parts\]\]$", toml, re.M)
    assert (book / "styles" / "print" / "90-book.css").is_file()


@pytest.mark.slow
def test_new_book_builds_clean(tmp_path):
    book = tmp_path / "our-anthology"
    assert run_cli("new", str(book), "--title", 'Why "We" Joined').returncode == 0
    built = run_cli("build", str(book), "--out", str(tmp_path / "out"))
    assert built.returncode == 0, built.stderr
    assert "warning" not in built.stderr, built.stderr
    epub = next((tmp_path / "out").glob("*.epub"))
    with zipfile.ZipFile(epub) as z:
        essay = next(z.read(n).decode() for n in z.namelist() if n.endswith("example.xhtml"))
    assert 'epub:type="epigraph"' in essay and "Eighteenth Brumaire" in essay
    assert "<figure" in essay and "example-figure" in essay
    assert 'epub:type="footnote"' in essay


def test_new_refuses_a_folder_with_files(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = run_cli("new", str(tmp_path))
    assert result.returncode == 2 and "not empty" in result.stderr
    assert (tmp_path / "notes.txt").read_text() == "mine"
