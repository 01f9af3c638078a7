"""The web edition: the sample as a reading site, judged from its files and in a real browser."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import html as lxml_html

from conftest import ROOT, SAMPLE, linked_book, run_cli

SLUG = "why-we-joined"
TOOLS = ROOT / ".tools" / "node_modules"
SHOTS = Path(os.environ.get("WEB_SHOTS", "/tmp/web-shots"))


def site_of(sample) -> Path:
    return sample.edition("web").path


def page(site: Path, name: str):
    return lxml_html.parse(str(site / name)).getroot()


def every_file(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_the_site_has_a_page_for_every_piece_part_and_list(sample):
    site = site_of(sample)
    assert site.name == f"{SLUG}-web" and site.parent == sample.out
    pages = sorted(p.name for p in site.glob("*.html"))
    assert pages == sorted(["index.html", "copyright.html", "epigraphs.html", "preface.html", "part-1.html",
                            "part-2.html", "from-chomsky-to-marx.html", "reading-capital-on-the-night-shift.html",
                            "card-by-card.html", "what-the-mill-taught-us.html", "contributors.html",
                            "image-credits.html", "book-index.html", "search.html"])
    assert (site / "fonts" / "EBGaramond12-Regular.ttf").read_bytes() == \
        Path("/usr/share/fonts/truetype/ebgaramond/EBGaramond12-Regular.ttf").read_bytes()
    css = (site / "book.css").read_text()
    assert "prefers-color-scheme: dark" in css and 'src: url("fonts/EBGaramond12-Regular.ttf")' in css


@pytest.mark.slow
def test_home_page_has_cover_title_description_contents_and_downloads(sample):
    home = page(site_of(sample), "index.html")
    assert home.findtext(".//h1") == "Why We Joined"
    assert home.xpath("//img[@class='home-cover']/@srcset")[0].count("w,") >= 1
    assert "a disillusioned anarchist" in home.xpath("string(//p[@class='description'])")
    contents = home.xpath("//nav[@id='contents']")[0]
    parts = contents.xpath(".//li[@class='contents-part']")
    assert [p.xpath("string(a)") for p in parts] == ["Part One: Leaving the Old Ideas",
                                                     "Part Two: Rowing in the Same Direction"]
    assert parts[1].xpath(".//li/a/@href") == ["card-by-card.html", "what-the-mill-taught-us.html"]
    downloads = dict(zip(home.xpath("//a[@class='download']/text()"), home.xpath("//a[@class='download']/@href")))
    assert downloads == {"EPUB": f"../{SLUG}.epub", "Screen PDF": f"../{SLUG}-screen.pdf",
                         "Print PDF": f"../{SLUG}-print.pdf"}
    assert all((site_of(sample) / href).resolve().is_file() for href in downloads.values())


@pytest.mark.slow
def test_an_essay_page_has_its_epigraph_figures_notes_and_print_page_anchors(sample):
    site = site_of(sample)
    essay = page(site, "card-by-card.html")
    assert essay.get("lang") == "en" and essay.findtext(".//title") == "Card by Card — Why We Joined"
    attribution = essay.xpath("string(//div[@class='epigraph']/p[@class='attribution'])")
    assert "Frederick Douglass" in attribution and "West India Emancipation" in attribution
    figure = essay.xpath("//figure[contains(@class, 'figure')]")[0]
    assert figure.xpath("string(.//span[@class='credit'])").strip()
    img = figure.find(".//img")
    widths = [int(entry.split()[1][:-1]) for entry in img.get("srcset").split(", ")]
    assert widths == sorted(widths) and len(widths) >= 2 and int(img.get("width")) == widths[-1]
    from PIL import Image
    for entry in img.get("srcset").split(", "):
        src, width = entry.split()
        with Image.open(site / src) as im:
            assert im.width == int(width[:-1])  # each width really made at that width
    # Notes: the call leads to the note, the note's number back to the call.
    ref = essay.xpath("//a[@class='noteref']")[0]
    note = essay.get_element_by_id(ref.get("href")[1:])
    assert note.tag == "aside" and note.get("role") == "doc-footnote" and note.text_content().strip()
    assert note.xpath(".//a[@role='doc-backlink']/@href") == ["#" + ref.get("id")]
    # The print edition's page numbers, where its pages begin, as anchors.
    pages = essay.xpath("//span[@class='page-number']")
    assert [p.get("id") for p in pages] == [f"page-{p.get('data-page')}" for p in pages]
    numbers = [int(p.get("data-page")) for p in pages]
    assert len(numbers) >= 2 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    assert pages[0].getparent().get("id") == "card-by-card"  # the essay opens its first page
    # No EPUB-only markup on a web page.
    assert "epub:type" not in (site / "card-by-card.html").read_text()


@pytest.mark.slow
def test_every_page_has_title_author_open_graph_and_json_ld(sample):
    site = site_of(sample)
    home = page(site, "index.html")
    book = json.loads(home.xpath("string(//script[@type='application/ld+json'])"))
    assert book["@type"] == "Book" and book["name"] == "Why We Joined"
    assert {(w["bookFormat"].rsplit("/", 1)[1], w["isbn"]) for w in book["workExample"]} == \
        {("Paperback", "979-8-9871234-0-9"), ("EBook", "979-8-9871234-1-6")}
    essay = page(site, "what-the-mill-taught-us.html")
    chapter = json.loads(essay.xpath("string(//script[@type='application/ld+json'])"))
    assert chapter["@type"] == "Chapter" and chapter["position"] == 4 and chapter["isPartOf"]["name"] == "Why We Joined"
    assert [a["name"] for a in chapter["author"]] == ["Frank Kowalczyk", "Jess Kowalczyk"]
    assert essay.xpath("//meta[@name='author']/@content") == ["Frank Kowalczyk, Jess Kowalczyk"]
    assert essay.xpath("//meta[@property='og:type']/@content") == ["article"]
    assert not essay.xpath("//link[@rel='canonical']")  # the sample gives no base URL
    for name in (p.name for p in site.glob("*.html")):
        doc = page(site, name)
        assert doc.findtext(".//title").strip() and doc.xpath("//meta[@property='og:title']"), name
        # Only the search page loads a script (JSON-LD is data, not a script to run).
        scripts = doc.xpath("//script[not(@type='application/ld+json')]")
        assert (name == "search.html") == bool(scripts), name


@pytest.mark.slow
def test_every_link_lands_and_nothing_comes_from_another_host(sample):
    from bookbuilder.checks.web import site_links

    site = site_of(sample)
    assert site_links(site) == ([], [])
    for path in site.glob("*.html"):
        doc = lxml_html.parse(str(path)).getroot()
        for el in doc.iter():
            for attr in ("src", "href", "srcset", "content"):
                value = el.get(attr) or ""
                if "http://" not in value and "https://" not in value:
                    continue
                if el.tag == "meta" or (el.tag == "script"):
                    continue  # metadata naming schema.org vocabulary, never fetched
                in_text = el.tag == "a" and el.xpath("ancestor::div[@class='essay-body' or @class='piece-body']")
                assert in_text, f"{path.name}: <{el.tag} {attr}={value}>"
    for p in site.rglob("*"):
        if p.suffix in (".html", ".css", ".js"):
            text = p.read_text()
            assert str(SAMPLE.resolve()) not in text and str(sample.out) not in text and "file:" not in text, p


def test_the_link_check_finds_a_broken_link_and_a_remote_picture(tmp_path):
    from bookbuilder.checks.web import check_web
    from bookbuilder.editions.base import Rendered

    site = tmp_path / "site"
    site.mkdir()
    (site / "book.css").write_text("body { background: url(paper.png); }\n")
    (site / "index.html").write_text('<!DOCTYPE html><html><head><link rel="stylesheet" href="book.css"></head><body>'
                                     '<img src="https://tracker.example/pixel.gif" alt="">'
                                     '<a href="other.html#x">gone</a><a href="#here" id="here">ok</a>'
                                     '<a href="https://example.org/">an author\'s link</a></body></html>')
    messages = [f.message for f in check_web(Rendered("web", site), None)]
    assert any("other.html#x" in m for m in messages)
    assert any("tracker.example" in m for m in messages)
    assert any("paper.png" in m for m in messages)
    assert not any("example.org/" in m and "tracker" not in m for m in messages)
    assert len(messages) == 3


@pytest.mark.slow
def test_links_between_essays_point_at_the_other_page(tmp_path):
    from bookbuilder.build import build
    from bookbuilder.checks.web import site_links

    book = linked_book(tmp_path / "book")
    result = build(book, tmp_path / "out", ["web"])
    assert not result.failed, [str(f) for f in result.findings]
    site = result.outputs[-1].path
    assert site_links(site) == ([], [])
    intro = page(site, "e-01-intro.html")
    links = intro.xpath("//div[@class='essay-body']//a/@href")
    assert links == ["e-2-deux.html#e-2-deux", "e-2-deux.html#e-2-deux-the-same-subject", "e-2-deux.html#e-2-deux-fig-1",
                     "e-2-deux.html#e-2-deux-note-1", "#e-01-intro-later-on", "e-t-e.html#e-t-e"]


@pytest.mark.slow
def test_the_site_is_byte_reproducible(book_copy, tmp_path):
    from bookbuilder.build import build

    one = build(book_copy, tmp_path / "one", ["web"])
    two = build(book_copy, tmp_path / "two", ["web"])
    first, second = every_file(one.outputs[-1].path), every_file(two.outputs[-1].path)
    assert len(first) > 30 and first == second


@pytest.mark.slow
def test_an_edit_copies_the_pictures_made_before_and_a_replaced_one_is_made_again(book_copy, tmp_path, monkeypatch):
    """The widths of each picture are kept in the output folder (web_images.CACHE) and copied by the next build:
    the same bytes as made afresh; a picture whose file changed is made again and its old widths dropped."""
    from PIL import Image

    from bookbuilder.build import build
    from bookbuilder.editions.web_images import CACHE, ImageFolder

    made: list[str] = []
    real = ImageFolder.widths_of

    def counting(path, folder):
        made.append(path.name)
        return real(path, folder)

    monkeypatch.setattr(ImageFolder, "widths_of", staticmethod(counting))
    out = tmp_path / "out"
    first = build(book_copy, out, ["web"])
    shown = set(made)
    assert "rally.jpg" in shown and len(made) == len(shown)  # each picture once
    cache = out / ".bookbuilder-chunks" / CACHE
    kept = {p.name for p in cache.iterdir()}
    assert len(kept) == len(shown)
    before = every_file(first.outputs[-1].path)

    essay = book_copy / "essays" / "card-by-card.md"
    essay.write_text(essay.read_text().replace("The app marked", "The app, that week, marked", 1))
    made.clear()
    second = build(book_copy, out, ["web"])
    assert made == []
    after = every_file(second.outputs[-1].path)
    assert {n: b for n, b in after.items() if n.startswith("images/")} == \
        {n: b for n, b in before.items() if n.startswith("images/")}
    assert after == every_file(build(book_copy, tmp_path / "fresh", ["web"]).outputs[-1].path)

    with Image.open(book_copy / "images" / "rally.jpg") as im:
        im.transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(book_copy / "images" / "rally.jpg", quality=90)
    made.clear()
    build(book_copy, out, ["web"])
    assert made == ["rally.jpg"]
    assert len({p.name for p in cache.iterdir()} - kept) == 1 and len(list(cache.iterdir())) == len(kept)


@pytest.mark.slow
def test_base_url_gives_canonical_addresses(book_copy, tmp_path):
    from bookbuilder.build import build

    toml = book_copy / "book.toml"
    toml.write_text(toml.read_text() + '\n[web]\nbase_url = "https://books.example.org/why-we-joined"\n')
    result = build(book_copy, tmp_path / "out", ["web"])
    site = result.outputs[-1].path
    essay = page(site, "card-by-card.html")
    assert essay.xpath("//link[@rel='canonical']/@href") == ["https://books.example.org/why-we-joined/card-by-card.html"]
    home = page(site, "index.html")
    assert home.xpath("//link[@rel='canonical']/@href") == ["https://books.example.org/why-we-joined/"]
    assert home.xpath("//meta[@property='og:image']/@content")[0].startswith("https://books.example.org/why-we-joined/images/")
    assert json.loads(essay.xpath("string(//script[@type='application/ld+json'])"))["url"].endswith("card-by-card.html")


def test_a_base_url_that_is_not_a_web_address_is_refused_with_its_line(book_copy):
    toml = book_copy / "book.toml"
    lines = toml.read_text().count("\n")
    toml.write_text(toml.read_text() + '\n[web]\nbase_url = "books.example.org/why"\n')
    done = run_cli("build", str(book_copy), "--edition", "web")
    assert done.returncode == 2
    assert f"book.toml:{lines + 3}: web.base_url: 'books.example.org/why' is not a web address" in done.stderr
    assert "Traceback" not in done.stderr


def browser_tools() -> str | None:
    if not shutil.which("node"):
        return "node is not installed"
    if not Path("/usr/bin/chromium").exists():
        return "Debian's chromium is not installed"
    if not (TOOLS / "puppeteer-core").is_dir() or not (TOOLS / "axe-core" / "axe.min.js").is_file():
        return "puppeteer-core and axe-core are not in .tools (run ./dev once)"
    return None


@pytest.mark.slow
def test_in_a_browser_every_page_passes_axe_fits_a_phone_and_asks_nothing_of_other_hosts(sample, tmp_path):
    missing = browser_tools()
    if missing:
        pytest.skip(missing)
    report = tmp_path / "report.json"
    SHOTS.mkdir(parents=True, exist_ok=True)
    run = subprocess.run(["node", str(ROOT / "tests" / "web_browser.js"), str(site_of(sample)), str(report),
                          str(SHOTS), "Teamsters"], capture_output=True, text=True, timeout=600,
                         env={**os.environ, "NODE_PATH": str(TOOLS)})
    assert run.returncode == 0, run.stderr[-3000:]
    found = json.loads(report.read_text())
    assert len(found["pages"]) == 14  # the index among them
    assert found["foreign"] == [] and found["failed"] == []  # intercepted: nothing left the site
    assert found["overflow"] == []  # nothing wider than 320 or 390 px
    assert found["axe"] == {} and found["axePasses"] > 100, json.dumps(found["axe"], indent=1)[:3000]
    # "Teamsters" is in the middle essay only: the search finds it there.
    assert found["search"] and all(href.startswith("card-by-card.html") for href in found["search"])
    assert found["noscriptText"] > 5000  # the essay reads with JavaScript off
    note = found["note"]
    assert note["position"] == "fixed" and note["scrolled"] == 0 and 0 <= note["top"] < note["bottom"] <= note["height"]
    assert {"home-390.png", "home-1280.png", "essay-390.png", "essay-1280.png"} <= set(found["shots"])
