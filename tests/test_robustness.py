"""Issue 7: bad input and faults. Clear errors naming file and line, nothing read outside the
book, nothing fetched, no scripted content, hostile sizes bounded, and no output ever half-written.

Most cases run the loader in-process on a tiny book (fast); a few run the real CLI.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from conftest import ROOT, run_cli
from bookbuilder.errors import BuildError
from bookbuilder.sources import load_book

ESSAY_FRONT = '---\ntitle: "An Essay"\nauthor: "A. Writer"\n---\n\n'


def tiny_book(root: Path, body: str = "Some text.\n", toml_extra: str = "", essays=("essays/one.md",)) -> Path:
    """A book with one short essay and one real image, written to `root`."""
    (root / "essays").mkdir(parents=True, exist_ok=True)
    (root / "images").mkdir(exist_ok=True)
    Image.new("RGB", (40, 30), "gray").save(root / "images" / "pic.jpg")
    listed = ", ".join(f'"{e}"' for e in essays)
    (root / "book.toml").write_text(f'title = "Tiny"\ndate = 2026-11-01\n{toml_extra}\n[contents]\nessays = [{listed}]\n')
    for e in essays:
        (root / e).parent.mkdir(parents=True, exist_ok=True)
        if not (root / e).exists():
            (root / e).write_text(ESSAY_FRONT + body)
    return root


def errors_of(book: Path) -> str:
    """Every error message of loading the book, one per line ('' when it loads)."""
    try:
        load_book(book)
    except BuildError as exc:
        return "\n".join(str(e) for e in exc.errors)
    return ""


# The loader in a child process with a bounded budget: 1 GiB of memory and a timeout far above
# what any sane input takes, so a blow-up (an alias bomb, backtracking) fails the test rather than
# hanging it. How fast the loader is, bench/ measures; tests never assert times.
BOUNDED_LOAD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))
from bookbuilder.errors import BuildError
from bookbuilder.sources import load_book
try:
    load_book(sys.argv[1])
except BuildError as exc:
    print("\\n".join(str(e) for e in exc.errors))
"""


def errors_of_bounded(book: Path) -> str:
    """errors_of, in a child process that may not use more than 1 GiB nor run away."""
    done = subprocess.run([sys.executable, "-c", BOUNDED_LOAD, str(book)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0 and not done.stderr, done.stderr[-2000:]  # no MemoryError, no traceback
    return done.stdout.strip()


def body_line(book: Path, needle: str, essay: str = "essays/one.md") -> int:
    return next(n for n, line in enumerate((book / essay).read_text().splitlines(), 1) if needle in line)


def assert_clean_failure(result, *fragments):
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


# --- every mistake at once ---------------------------------------------------------------------

@pytest.mark.slow
def test_book_toml_schema_errors_and_essay_errors_come_out_together(book_copy, tmp_path):
    toml = book_copy / "book.toml"
    toml.write_text(toml.read_text().replace('language = "en"', 'language = "en"\nsubtitel = "x"', 1))
    essay = book_copy / "essays" / "card-by-card.md"
    essay.write_text(essay.read_text().replace("standfirst:", "standfrist:", 1))
    (book_copy / "essays" / "what-the-mill-taught-us.md").unlink()
    result = run_cli("build", str(book_copy), "--out", str(tmp_path / "out"), "--edition", "epub")
    assert_clean_failure(result, "subtitel: unknown key", "essays/card-by-card.md", "standfrist: unknown key",
                         "what-the-mill-taught-us.md' does not exist")


def test_invalid_utf8_empty_essay_and_duplicate_slug(tmp_path):
    book = tiny_book(tmp_path, essays=("essays/one.md", "essays/bad.md", "essays/empty.md", "more/one.md"))
    (book / "essays" / "bad.md").write_bytes((ESSAY_FRONT + "fine\n\ncaf\xe9\n").encode("latin-1"))
    (book / "essays" / "empty.md").write_text(ESSAY_FRONT + "\n\n")
    (book / "more" / "one.md").write_text(ESSAY_FRONT + "Other.\n")
    errors = errors_of(book)
    assert "essays/bad.md:8: is not valid UTF-8" in errors
    assert "essays/empty.md:5: the essay has no text" in errors
    assert "one.md" not in errors.replace("essays/bad.md", "")  # two files named alike get names of their own


def test_essay_named_like_a_page_of_the_book_gets_a_name_of_its_own(tmp_path):
    book = tiny_book(tmp_path, essays=("essays/one.md", "essays/contributors.md", "essays/Part 2.md", "more/one.md"))
    loaded = load_book(book)
    assert [e.slug for e in loaded.essays] == ["one", "contributors-2", "part-2-2", "one-2"]


def test_unreadable_essay_is_a_source_error(tmp_path, monkeypatch):
    book = tiny_book(tmp_path)
    real = Path.read_bytes

    def denied(self):  # chmod 000 does not stop root, who runs the tests in CI
        if self.name == "one.md":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", denied)
    assert "essays/one.md: cannot be read: Permission denied" in errors_of(book)


def test_duplicate_ids_in_one_essay(tmp_path):
    book = tiny_book(tmp_path, body="## First {#same}\n\nText.\n\n## Second {#same}\n\nMore.\n")
    assert "id 'same' is used twice" in errors_of(book)


def test_yaml_values_that_crash_parsers_are_source_errors(tmp_path):
    book = tiny_book(tmp_path)
    (book / "essays" / "one.md").write_text('---\ntitle: "A"\ndate: 2026-13-45\n1: x\n---\n\nText.\n')
    errors = errors_of(book)
    assert "essays/one.md:2: front matter has a value YAML cannot read" in errors


# --- nothing read outside the book ---------------------------------------------------------------

def test_essay_symlinked_from_outside_is_refused(tmp_path):
    book = tiny_book(tmp_path / "book")
    outside = tmp_path / "elsewhere.md"
    outside.write_text(ESSAY_FRONT + "Secret.\n")
    (book / "essays" / "one.md").unlink()
    (book / "essays" / "one.md").symlink_to(outside)
    assert "contents.essays[0]: 'essays/one.md' is outside the book folder" in errors_of(book)


@pytest.mark.parametrize("href", ["../../outside.jpg", "/etc/passwd", "../images/link.jpg"])
def test_images_outside_the_book_are_refused(tmp_path, href):
    book = tiny_book(tmp_path / "book", body="Text.\n\n![Alt](%s) Caption.\n" % href)
    Image.new("RGB", (4, 4)).save(tmp_path / "outside.jpg")
    (book / "images" / "link.jpg").symlink_to(tmp_path / "outside.jpg")
    assert f"essays/one.md:8: image {href!r} is outside the book folder" in errors_of(book)


def test_stylesheet_symlinked_from_outside_and_remote_css_are_refused(tmp_path):
    book = tiny_book(tmp_path / "book")
    (book / "styles" / "epub").mkdir(parents=True)
    (tmp_path / "theirs.css").write_text("p { color: red }")
    (book / "styles" / "epub" / "90-theirs.css").symlink_to(tmp_path / "theirs.css")
    (book / "styles" / "print").mkdir()
    (book / "styles" / "print" / "90-mine.css").write_text(
        "p { margin: 0 }\n@font-face { src: url('https://fonts.example/x.woff') }\n")
    (book / "styles" / "templates").symlink_to("/etc")  # a whole folder linked in: refused, not walked
    errors = errors_of(book)
    assert "styles/epub/90-theirs.css: points outside the book folder" in errors
    assert "styles/templates: points outside the book folder (to /etc)" in errors
    assert "passwd" not in errors
    assert "styles/print/90-mine.css:2: loads https://fonts.example/x.woff from outside the book" in errors


@pytest.mark.slow
def test_out_folder_may_not_be_a_source_folder(tmp_path):
    book = tiny_book(tmp_path / "book")
    result = run_cli("build", str(book), "--out", str(book / "essays"), "--edition", "epub")
    assert_clean_failure(result, "is a folder of the book's own sources")
    assert sorted(p.name for p in (book / "essays").iterdir()) == ["one.md"]


# --- nothing fetched -------------------------------------------------------------------------

def test_remote_images_are_refused(tmp_path):
    book = tiny_book(tmp_path, body='![A](https://example.org/a.jpg) Caption.\n\nText <img src="http://x.example/t.gif"> inline.\n')
    errors = errors_of(book)
    assert "essays/one.md:6: image 'https://example.org/a.jpg' is a URL" in errors
    assert "essays/one.md:8: image 'http://x.example/t.gif' is a URL" in errors


@pytest.mark.slow
def test_a_whole_build_opens_no_network_connection(monkeypatch, tmp_path):
    """Both editions of the sample, with every socket connection made to fail loudly."""
    from bookbuilder.build import build

    attempts = []

    def refuse(self, address, *a, **kw):
        attempts.append(address)
        raise OSError("network access during a build")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **kw: attempts.append(a) or [])
    result = build(ROOT / "book", tmp_path / "out")
    assert not result.failed and attempts == []


def test_print_fetcher_refuses_remote_and_outside_urls(tmp_path):
    from bookbuilder.engine.fetch import LocalOnlyFetcher

    fetcher = LocalOnlyFetcher([tmp_path])
    for url in ("https://example.org/x.png", "ftp://example.org/x", (tmp_path.parent / "x.css").as_uri()):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 3


# --- no scripted content ---------------------------------------------------------------------

RAW_HTML = """Text.

<script>alert(1)</script>

<p onclick="steal()">Click</p>

<iframe src="https://evil.example/"></iframe>

<form action="/x"><input name="q"></form>

<object data="x.swf"></object>

A [link](javascript:alert(1)) and <span style="background: url(https://t.example/p.gif)">styled</span>.

<blink>old</blink> and <em class="foreign" lang="fr">bien</em>.
"""


def test_raw_html_outside_the_allow_list_is_reported_with_its_line(tmp_path):
    book = tiny_book(tmp_path, body=RAW_HTML)
    errors = errors_of(book)
    for needle, fragment in [("<script>", "<script> is not allowed"), ("onclick", "event-handler attribute onclick"),
                             ("<iframe", "<iframe> is not allowed"), ("<form", "<form> is not allowed"),
                             ("<object", "<object> is not allowed"), ("javascript:", "link to 'javascript:alert(1)'"),
                             ("style=", "style='background"), ("<blink>", "<blink> is not an allowed HTML tag")]:
        assert f"essays/one.md:{body_line(book, needle)}: raw HTML removed: {fragment}" in errors, (fragment, errors)
    assert "<em" not in errors  # allowed markup is not reported


def test_sanitised_html_keeps_text_and_drops_active_content():
    from bookbuilder.sources.markdown import to_html

    html = to_html(RAW_HTML)
    for banned in ("<script", "onclick", "<iframe", "<form", "<input", "<object", "javascript:", "url(", "<blink"):
        assert banned not in html, banned
    assert "Click" in html and "old" in html and '<em class="foreign" lang="fr">bien</em>' in html


def test_the_sanitiser_keeps_allowed_markup_exactly_as_written():
    from bookbuilder.sources.markdown import to_html_checked

    html, removed = to_html_checked('See [deux](<2 deux.md#the-same>) and [été](é.t.é.md).\n\n'
                                    '<a id="x"></a>After <span></span>, <em lang="fr">bien</em>.')
    assert removed == []
    assert '<a href="2 deux.md#the-same">deux</a>' in html and '<a href="é.t.é.md">été</a>' in html
    assert "After" in html and '<em lang="fr">bien</em>' in html and html.index('id="x"') < html.index("After")


def test_style_is_kept_only_as_a_markdown_tables_column_alignment_and_every_removal_is_named(tmp_path):
    from bookbuilder.sources.markdown import to_html_checked

    html, removed = to_html_checked("| a | b |\n|:--|--:|\n| 1 | 2 |\n\n"
                                    '<p style="color: red">red</p>\n\n'
                                    '<table><tr><td style="text-align: right; color: red">x</td></tr></table>\n\n'
                                    '<div><td>cell</td><span style="text-align: right;">s</span><svg><a href="x">in svg</a></svg></div>')
    assert '<th style="text-align: left;">a</th>' in html and '<td style="text-align: right;">2</td>' in html
    assert html.count("style=") == 4 and "color" not in html and "in svg" not in html and "cell" in html
    assert [str(r) for r in removed] == [
        "style='color: red' on <p> is not allowed (the book's stylesheet sets its look)",
        "style='text-align: right; color: red' on <td> is not allowed (the book's stylesheet sets its look)",
        "<td> stands where HTML does not allow it, so its tag went (its text stays)",
        "style='text-align: right;' on <span> is not allowed (the book's stylesheet sets its look)",
        "<svg> is not allowed in an essay (raw HTML: embedded content is loaded from elsewhere or runs code)"]


@pytest.mark.slow
def test_packaged_epub_is_checked_for_scripts_from_a_template_override(tmp_path):
    book = tiny_book(tmp_path / "book")
    override = book / "styles" / "templates" / "epub" / "essay.xhtml"
    override.parent.mkdir(parents=True)
    override.write_text('<section onclick="x()"><script>steal()</script>{{ body|safe }}</section>')
    out = tmp_path / "out"
    result = run_cli("build", str(book), "--out", str(out), "--edition", "epub")
    assert result.returncode == 1, result.stderr
    assert "scripted content: EPUB/text/one.xhtml contains <script>" in result.stderr
    assert "event handler onclick=" in result.stderr
    assert not out.exists() or not list(out.glob("*.epub"))


def test_deeply_nested_html_is_flattened():
    from bookbuilder.sources.markdown import to_html_checked
    from bookbuilder.sources.sanitize import MAX_DEPTH, _walk
    from bookbuilder.sources.structure import parse_fragment

    html, removed = to_html_checked("<span>" * 200 + "deep")
    assert removed and max(depth for _, depth in _walk(parse_fragment(html))) <= MAX_DEPTH and "deep" in html


def test_packaged_epub_css_with_remote_urls_is_a_failed_check(tmp_path):
    from bookbuilder.checks.epub_content import check_epub_content
    from bookbuilder.editions import Rendered

    epub = tmp_path / "x.epub"
    with zipfile.ZipFile(epub, "w") as z:
        z.writestr("EPUB/styles/book.css", "@import url(https://fonts.example/a.css);")
        z.writestr("EPUB/text/a.xhtml", '<html xmlns="http://www.w3.org/1999/xhtml"><body>'
                                        '<img src="http://t.example/p.gif"/></body></html>')
    messages = [str(f) for f in check_epub_content(Rendered("epub", epub))]
    assert any("book.css:1 loads https://fonts.example/a.css" in m for m in messages)
    assert any("<img src> loads http://t.example/p.gif" in m for m in messages)


def test_raw_html_in_front_matter_and_book_toml_is_reported(tmp_path):
    book = tiny_book(tmp_path, toml_extra='description = "Nice <img src=x onerror=alert(1)>"')
    (book / "essays" / "one.md").write_text('---\ntitle: "A <script>x()</script> title"\n---\n\nText.\n')
    errors = errors_of(book)
    assert "book.toml:3: description: raw HTML removed: event-handler attribute onerror" in errors
    assert "essays/one.md:2: title: raw HTML removed: <script>" in errors


# --- hostile sizes ---------------------------------------------------------------------------

HOSTILE = {
    "brackets": ("Intro.\n\n" + "[" * 20000 + "\n", 8, "the paragraph starting here has more than 1,000 '[' characters"),
    "nested list": ("Intro.\n\n" + "\n".join("\t" * i + "- item" for i in range(1000)) + "\n", 48,
                    "lists or quotes are nested more than 40 levels deep"),
    "nested markers": ("Intro.\n\n" + "> " * 500 + "- " * 500 + "x\n", 8, "lists or quotes are nested more than 40 levels deep"),
    "long block": ("Intro.\n\n|a|b|\n|-|-|\n" + "|x|y|\n" * 5000, 8,
                   "the block starting here runs more than 1,000 lines without a blank line"),
    "long list": ("Intro.\n\n" + "- item\n\n" * 5000, 8, "the list starting here has more than 1,000 items"),
    "deep raw HTML": ("Intro.\n\n" + "<div>\n\n" * 200 + "x\n", 8,
                      "raw HTML removed: tags nested more than 90 deep (are raw HTML tags left open?)"),
    "many notes": ("Intro.\n\n" + "".join(f"Text.[^{i}]\n\n[^{i}]: Note.\n\n" for i in range(1500)), 4010,
                   "this is footnote number 1,001; an essay may have 1,000"),
    "long line": ("Intro.\n\n" + "word " * 150_000 + "\n", 8, "line is 750,000 characters long"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_markdown_is_refused_within_bounded_memory_and_time(tmp_path, case):
    body, line, message = HOSTILE[case]
    book = tiny_book(tmp_path, body=body)
    errors = errors_of_bounded(book)
    assert f"essays/one.md:{line}: {message}" in errors, errors


def test_yaml_alias_bomb_is_refused(tmp_path):
    """Nine aliases of nine aliases … expand to billions of items: anchors and aliases are refused outright."""
    levels = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, 12)]
    book = tiny_book(tmp_path)
    (book / "essays" / "one.md").write_text('---\ntitle: "A"\n' + "\n".join(levels) + "\n---\n\nText.\n")
    assert "essays/one.md:3: front matter uses a YAML anchor or alias" in errors_of_bounded(book)


def test_hostile_strings_in_front_matter_and_book_toml_are_refused_within_bounds(tmp_path):
    book = tiny_book(tmp_path)
    toml = (book / "book.toml").read_text().replace("essays = [", 'parts = [{ title = "%s", essays = [' % ("[" * 20000))
    (book / "book.toml").write_text(toml.replace('"essays/one.md"]', '"essays/one.md"] }]'))
    (book / "essays" / "one.md").write_text('---\ntitle: "A"\nstandfirst: "%s"\n---\n\nText.\n' % ("[" * 20000))
    errors = errors_of_bounded(book)
    assert "book.toml:5: contents.parts[0].title: the paragraph in this value has more than 1,000 '['" in errors
    assert "essays/one.md:3: standfirst: the paragraph in this value has more than 1,000 '['" in errors


def test_huge_file_is_refused_before_reading(tmp_path):
    book = tiny_book(tmp_path, body=("A sentence of prose. " * 40 + "\n\n") * 2500)
    assert "essays/one.md: is 2,1" in errors_of(book) and "split the text" in errors_of(book)


def test_decompression_bomb_and_corrupt_images(tmp_path):
    book = tiny_book(tmp_path, body="![A](../images/bomb.png) One.\n\n![B](../images/broken.jpg) Two.\n")
    Image.new("1", (10_000, 10_000)).save(book / "images" / "bomb.png")  # 100 Mpx, 12 KB on disk
    (book / "images" / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    errors = errors_of(book)
    assert "essays/one.md:6: image '../images/bomb.png' is too large to open safely (100,000,000 pixels" in errors
    assert "essays/one.md:8: image '../images/broken.jpg' cannot be read as an image" in errors


def test_cover_image_is_checked_too(tmp_path):
    book = tiny_book(tmp_path, toml_extra='[cover]\nimage = "images/cover.gif"')
    (book / "images" / "cover.gif").write_bytes(b"GIF89a broken")
    assert "book.toml:4: cover.image: the cover cannot be read as an image" in errors_of(book)


def test_active_svg_is_refused(tmp_path):
    book = tiny_book(tmp_path, body="![A](../images/a.svg) One.\n")
    (book / "images" / "a.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>')
    assert "image '../images/a.svg' is an SVG that has the element <script>" in errors_of(book)


# --- the CLI never shows an editor a traceback ----------------------------------------------

def test_internal_error_is_one_line_and_exit_70(tmp_path, monkeypatch, capsys):
    from bookbuilder import cli

    def broken(*a, **kw):
        raise RuntimeError("a bug")

    monkeypatch.setattr("bookbuilder.build.build", broken)  # the command imports it when it runs
    assert cli.main(["build", str(tmp_path)]) == cli.EXIT_INTERNAL
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error (RuntimeError: a bug)" in err and "--debug" in err
    assert cli.main(["build", str(tmp_path), "--debug"]) == cli.EXIT_INTERNAL
    assert "Traceback" in capsys.readouterr().err


# --- nothing lost -------------------------------------------------------------------------------

def build_until_layout(out: Path) -> subprocess.Popen:
    """Start a print build of the sample in a subprocess; return once WeasyPrint has started laying out.

    --force: the same build into the same folder would otherwise find nothing changed and lay out nothing.
    """
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.Popen([sys.executable, "-m", "bookbuilder.cli", "build", str(ROOT / "book"), "--out", str(out),
                             "--edition", "print", "--force"], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                            env=env, cwd=ROOT)
    for line in proc.stderr:
        if "laying out" in line:
            break
    return proc


@pytest.mark.slow
def test_killed_build_leaves_previous_outputs_and_next_build_cleans_up(tmp_path):
    out = tmp_path / "out"
    first = run_cli("build", str(ROOT / "book"), "--out", str(out), "--edition", "print")
    assert first.returncode == 0, first.stderr
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    proc = build_until_layout(out)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stderr.close()
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert any(p.name.startswith(".incomplete-") for p in out.iterdir())  # what the killed build left
    again = run_cli("build", str(ROOT / "book"), "--out", str(out), "--edition", "epub")
    assert again.returncode == 0, again.stderr
    assert not [p for p in out.iterdir() if p.name.startswith(".incomplete-")]
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.suffix == ".pdf"} == \
        {name: data for name, data in before.items() if name.endswith(".pdf")}


@pytest.mark.slow
def test_terminated_build_removes_its_scratch_folder(tmp_path):
    out = tmp_path / "out"
    proc = build_until_layout(out)
    proc.terminate()
    rest = proc.stderr.read()
    assert proc.wait(timeout=60) == 130, rest
    assert "interrupted; the previous outputs were left as they were" in rest and "Traceback" not in rest
    assert list(out.iterdir()) == []


@pytest.mark.slow
def test_unwritable_output_folder_is_one_line_not_a_traceback(tmp_path):
    book = tiny_book(tmp_path / "book")
    (tmp_path / "out").write_text("a file where the output folder should be")
    result = run_cli("build", str(book), "--out", str(tmp_path / "out"), "--edition", "epub")
    assert result.returncode == 74, result.stderr
    assert "could not read or write" in result.stderr and "Traceback" not in result.stderr


def test_scratch_folder_of_a_running_build_or_of_someone_else_is_left_alone(tmp_path):
    from bookbuilder.build import OWNER, remove_abandoned_scratch

    alive, dead = tmp_path / ".incomplete-alive", tmp_path / ".incomplete-dead"
    for folder, pid in ((alive, os.getppid()), (dead, 2 ** 22 + 1)):
        folder.mkdir()
        (folder / OWNER).write_text(str(pid))
    theirs = tmp_path / ".incomplete-downloads"  # another program's, beside a shared release folder
    theirs.mkdir()
    (theirs / "part-1").write_text("not ours")
    remove_abandoned_scratch(tmp_path)
    assert alive.exists() and not dead.exists()
    assert (theirs / "part-1").read_text() == "not ours"


@pytest.mark.slow
def test_failed_build_does_not_touch_the_editors_files(tmp_path):
    book = tiny_book(tmp_path / "book", body="Text <script>x</script>.\n")
    snapshot = {p: p.read_bytes() for p in book.rglob("*") if p.is_file()}
    result = run_cli("build", str(book), "--edition", "epub")
    assert_clean_failure(result, "raw HTML removed")
    assert {p: p.read_bytes() for p in book.rglob("*") if p.is_file()} == snapshot
