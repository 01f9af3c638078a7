"""The back-of-book index: {^term} marks in the essays → an index with the pages of the final layout in print
(each locator's page holds its term), links to the spot in the screen PDF, and EPUB Indexes 1.0 in the EPUB."""
from __future__ import annotations

import random
import re
import zipfile
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

from bookbuilder.errors import Problems
from bookbuilder.model import IndexEntry, IndexLocator
from bookbuilder.sources.index_marks import take_index_marks
from bookbuilder.transforms.index import inclusive, page_list, sort_key
from conftest import pdf_pages_text, run_cli
from test_epub_edition import epubcheck_report


def marks(body: str):
    problems = Problems()
    marked = take_index_marks(body, Path("essays/one.md"), 5, problems)
    return marked, [str(p) for p in problems.errors]


def test_marks_leave_anchors_and_say_what_they_index():
    marked, errors = marks("Value{^value} and labour{^labour > congealed}.\n\n"
                           "Gaulle{^Gaulle, Charles de | sort: Gaulle} began{^revolution | begin}.\n\n"
                           "`{^code}` ended.{^revolution | end}{^Stalinism | see: bureaucracy}"
                           "{^Mehring, Franz | see also: Marx, Karl}\n")
    assert not errors
    assert marked.body.startswith('Value<span class="index-mark" id="index-mark-1"></span> and labour'
                                  '<span class="index-mark" id="index-mark-2"></span>.')
    assert "`{^code}`" in marked.body  # code is left as written
    got = [(m.term, m.sub, m.sort, m.see, m.see_also, m.anchor, m.range_end) for m in marked.marks]
    assert got == [("value", "", "", "", "", "index-mark-1", ""), ("labour", "congealed", "", "", "", "index-mark-2", ""),
                   ("Gaulle, Charles de", "", "Gaulle", "", "", "index-mark-3", ""),
                   ("revolution", "", "", "", "", "index-mark-4", "index-mark-5"),
                   ("Stalinism", "", "", "bureaucracy", "", "", ""),
                   ("Mehring, Franz", "", "", "", "Marx, Karl", "index-mark-6", "")]
    assert 'id="index-mark-5"' in marked.body and "Stalinism" not in marked.body


@pytest.mark.parametrize("body, message", [
    ("Text{^capital | begin}.\n\nMore.\n", "essays/one.md:5: the range of pages for “capital” begins here and never ends"),
    ("Text.\n\nMore{^capital | end}.\n", "essays/one.md:7: {^capital | end} ends a range of pages that no "
                                         "{^capital | begin} opened"),
    ("Text{^capital | colour: red}.\n", "essays/one.md:5: the index mark {^capital | colour: red} has an option it "
                                        "does not know: 'colour: red'"),
    ("Text{^ > sub}.\n", "essays/one.md:5: the index mark {^ > sub} names no term"),
    ("Text{^x | see: y | begin}.\n", "is a “see” reference: it has no pages to begin or end"),
])
def test_bad_marks_name_the_file_and_line(body, message):
    _, errors = marks(body)
    assert any(message in e for e in errors), errors


@pytest.mark.parametrize("first, last, written", [
    ("3", "10", "3–10"), ("71", "72", "71–72"), ("96", "117", "96–117"), ("100", "104", "100–104"),
    ("1100", "1113", "1100–1113"), ("101", "108", "101–8"), ("808", "833", "808–33"), ("1103", "1104", "1103–4"),
    ("321", "328", "321–28"), ("498", "532", "498–532"), ("1087", "1089", "1087–89"), ("xii", "xiv", "xii–xiv"),
])
def test_ranges_follow_chicagos_inclusive_numbers(first, last, written):
    assert inclusive(first, last) == written
    assert inclusive(first, last, "full") == f"{first}–{last}"


def test_a_page_is_listed_once_and_not_inside_its_own_range():
    entry = IndexEntry("capital", "capital", [IndexLocator("a", "x1"), IndexLocator("a", "x2"),
                                              IndexLocator("a", "x3", end="x4"), IndexLocator("b", "x5")])
    folios = {"x1": "12", "x2": "12", "x3": "143", "x4": "147", "x5": "145"}
    assert page_list(entry, folios) == [("12", "x1"), ("143–47", "x3")]


def test_sorting_sets_accents_case_and_quotes_aside():
    assert sorted(["Zola", "Über-Ich", "“Quoted”", "apple", "Éluard"], key=sort_key) == \
        ["apple", "Éluard", "“Quoted”", "Über-Ich", "Zola"]


TERMS = ["aardvark", "badger", "capybara", "dormouse", "echidna", "ferret", "gazelle", "hedgehog", "ibex",
         "jackal", "kinkajou", "lemur", "marmot", "narwhal", "ocelot", "pangolin", "quokka", "raccoon", "serval",
         "tapir", "urial", "vicuna", "wombat", "xerus", "yak", "zebu"]


def indexed_book(root: Path) -> Path:
    """Three essays of a dozen pages between them, each term marked where it stands, some twice, one over a range."""
    rng = random.Random(7)
    (root / "essays").mkdir(parents=True)
    names = []
    for n in range(1, 4):
        paragraphs = []
        for p in range(14):
            words = [rng.choice(["the", "field", "river", "stone", "light", "house", "road", "winter"])
                     for _ in range(70)]
            for term in rng.sample(TERMS, 2):
                at = rng.randrange(len(words))
                words[at] = f"{term}{{^{term}}}"
            if p == 2 and n == 2:
                words[5] = "grazing{^animals > grazing | begin}"
            if p == 9 and n == 2:
                words[5] = "grazing{^animals > grazing | end}"
            paragraphs.append(" ".join(words).capitalize() + ".")
        paragraphs.append("Nothing here{^beasts | see: animals}.")
        (root / "essays" / f"e{n}.md").write_text(f'---\ntitle: "Essay {n}"\nauthor: "A. Writer"\n---\n\n'
                                                  + "\n\n".join(paragraphs) + "\n")
        names.append(f'"essays/e{n}.md"')
    (root / "book.toml").write_text(f'title = "Indexed"\ndate = 2026-11-01\n\n[contents]\nessays = [{", ".join(names)}]\n')
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("index")
    book = indexed_book(root / "book")
    result = run_cli("build", str(book), "--out", str(root / "out"), "--edition", "print", "--edition", "screen",
                     "--edition", "epub", "--jobs", "2")
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr.lower(), result.stderr
    return root / "out"


INDEX_TITLE = re.compile(r"^\s*I\s*n\s*d\s*e\s*x\s*$", re.I | re.M)  # its heading is letter-spaced


def index_lines(pdf: Path) -> tuple[list[str], dict[str, str]]:
    """The index's entries as printed, and each page's text by its printed number."""
    pages = pdf_pages_text(pdf)
    with pikepdf.open(pdf) as doc:
        labels = [p.label for p in doc.pages]
    by_label = {label: re.sub(r"[-\u2010]\n\s*", "", text) for label, text in zip(labels, pages)}  # hyphenated
    start = next(i for i, text in enumerate(pages) if INDEX_TITLE.match(text))
    lines = [cell.strip() for text in pages[start:] for line in text.splitlines()  # two columns side by side
             for cell in re.split(r"\s{3,}", line)]
    return [line for line in lines if "," in line or "See" in line], by_label


@pytest.mark.slow
def test_every_print_locator_is_a_page_that_holds_its_term(built):
    entries, pages = index_lines(built / "indexed-print.pdf")
    checked = 0
    for term in TERMS:
        line = next((e for e in entries if e.startswith(term + ",")), None)
        if line is None:
            continue
        for page in re.findall(r"\b\d+\b", line):
            assert term in pages[page].lower(), f"{term} listed on p. {page}, which does not hold it"
            checked += 1
    assert checked >= 26, entries
    grazing = next(e for e in entries if e.startswith("grazing,"))
    assert re.search(r"grazing, \d+–\d+$", grazing), grazing  # the range, printed as one
    first, last = re.search(r"(\d+)–(\d+)", grazing).groups()
    assert "grazing" in pages[first] and "grazing" in pages[first[: len(first) - len(last)] + last]
    assert "beasts. See animals" in " ".join(entries)


@pytest.mark.slow
def test_the_contents_list_the_index_at_its_page(built):
    pages = pdf_pages_text(built / "indexed-print.pdf")
    contents = next(t for t in pages if "Contents" in t)
    page = re.search(r"Index\s+(\d+)", contents).group(1)
    with pikepdf.open(built / "indexed-print.pdf") as doc:
        labels = [p.label for p in doc.pages]
    assert INDEX_TITLE.match(pages[labels.index(page)])


@pytest.mark.slow
def test_screen_index_links_land_on_the_marked_spot(built):
    with pikepdf.open(built / "indexed-screen.pdf") as pdf:
        names = set()
        tree = pdf.Root.Names.Dests
        stack = [tree]
        while stack:
            node = stack.pop()
            if "/Names" in node:
                names |= {str(node.Names[i]) for i in range(0, len(node.Names), 2)}
            stack += list(node.get("/Kids", []))
        dests = [str(a.Dest) for page in pdf.pages for a in page.obj.get("/Annots", [])
                 if "/Dest" in a and "index-mark" in str(a.Dest)]
    assert len(dests) >= 30
    assert set(dests) <= names


@pytest.mark.slow
def test_epub_index_locators_resolve_and_show_print_pages(built):
    epub = built / "indexed.epub"
    with zipfile.ZipFile(epub) as z:
        index = etree.fromstring(z.read("EPUB/text/index.xhtml"))
        ns = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
        locators = index.xpath("//x:a[@epub:type='index-locator']", namespaces=ns)
        assert len(locators) >= 30
        for a in locators:
            file, anchor = a.get("href").split("#")
            doc = etree.fromstring(z.read(f"EPUB/text/{file}"))
            assert doc.xpath(f"//*[@id='{anchor}']"), a.get("href")
            assert re.fullmatch(r"\d+(–\d+)?", a.text), a.text
        assert index.xpath("//x:section[@epub:type='index']", namespaces=ns)
    report = epubcheck_report(epub)
    assert not report["messages"], report["messages"]


def test_book_terms_are_marked_once_a_paragraph_outside_code_links_figures_and_epigraphs():
    from bookbuilder.model import AutoTerm
    from bookbuilder.sources.index_marks import add_term_marks

    body = ("> Marx in an epigraph.\n> — Someone\n\n"
            "Marx said `Marx` and [Marx](https://marx.org/) Marx's Marxism.\n\n"
            "![Marx](x.png)\nA caption on capital.\n\n"
            "Capital is capital.{: .x }\n\n```\nMarx\n```\n\n"
            "A [site][1] on capital.\n\n[1]: https://example.org/capital\n")
    marked = add_term_marks(body, [AutoTerm("Marx, Karl", "Marx"), AutoTerm("capital", "capital")])
    assert marked == ("> Marx in an epigraph.\n> — Someone\n\n"
                      "Marx{^Marx, Karl} said `Marx` and [Marx](https://marx.org/) Marx's Marxism.\n\n"
                      "![Marx](x.png)\nA caption on capital.\n\n"
                      "Capital{^capital} is capital.{: .x }\n\n```\nMarx\n```\n\n"
                      "A [site][1] on capital{^capital}.\n\n[1]: https://example.org/capital\n")


# --- [index] terms: exclusions and case ---------------------------------------------------------------------


def test_an_excluded_phrase_does_not_count_and_the_next_occurrence_is_marked():
    from bookbuilder.model import AutoTerm
    from bookbuilder.sources.index_marks import add_term_marks

    marx = AutoTerm("Marx, Karl", "Marx", exclude=("Marx Brothers", "Groucho Marx"))
    body = ("The Marx Brothers laughed; Groucho Marx smoked; Marx wrote.\n\n"
            "Only the Marx  Brothers here.\n\nMARX and Marx.\n")
    assert add_term_marks(body, [marx]) == (
        "The Marx Brothers laughed; Groucho Marx smoked; Marx{^Marx, Karl} wrote.\n\n"
        "Only the Marx  Brothers here.\n\n"  # any space between the words of an excluded phrase
        "MARX and Marx{^Marx, Karl}.\n")  # a phrase with a capital matches as written


def test_a_terms_case_rule_overrides_the_one_its_phrase_implies():
    from bookbuilder.model import AutoTerm
    from bookbuilder.sources.index_marks import add_term_marks

    body = "Capital is a book; capital is wealth.\n\nMARX shouted.\n"
    assert add_term_marks(body, [AutoTerm("capital", "capital", case="exact"), AutoTerm("Marx, Karl", "Marx",
                                                                                      case="any")]) == (
        "Capital is a book; capital{^capital} is wealth.\n\nMARX{^Marx, Karl} shouted.\n")
    # by default a phrase in lower case matches any case, the excluded phrases too
    assert add_term_marks("Capital Punishment and capital.\n",
                          [AutoTerm("capital", "capital", exclude=("capital punishment",))]) == \
        "Capital Punishment and capital{^capital}.\n"


def index_settings(tmp_path: Path, terms: str):
    from bookbuilder.config import load_settings

    (tmp_path / "essays").mkdir(exist_ok=True)
    (tmp_path / "essays" / "one.md").write_text('---\ntitle: "One"\n---\n\nText.\n')
    (tmp_path / "book.toml").write_text(f'title = "T"\ndate = 2026-11-01\n\n[index]\nterms = [\n{terms}\n]\n\n'
                                        '[contents]\nessays = ["essays/one.md"]\n')
    problems = Problems()
    settings = load_settings(tmp_path, problems)
    return settings.values.get("index", {}).get("terms"), [f"{p}" for p in problems.errors]


def test_terms_are_strings_or_tables_typed_in_book_toml(tmp_path):
    from bookbuilder.model import AutoTerm

    terms, errors = index_settings(tmp_path, '  "working class",\n  "Marx, Karl = Marx",\n'
                                             '  { phrase = "Marx", entry = "Marx, Karl", exclude = ["Marx Brothers"] },\n'
                                             '  { phrase = "capital", case = "exact" },')
    assert not errors
    assert terms == [AutoTerm("working class", "working class"), AutoTerm("Marx, Karl", "Marx"),
                     AutoTerm("Marx, Karl", "Marx", ("Marx Brothers",)), AutoTerm("capital", "capital", (), "exact")]


@pytest.mark.parametrize("term, message, hint", [
    ('{ phrase = "Marx", exclude = ["Engels"] }', "book.toml:6: index.terms[0].exclude[0]: 'Engels' does not hold the "
     "phrase 'Marx'", "a longer phrase in which 'Marx' must not be marked"),
    ('{ phrase = "Marx", excludes = ["Marx Brothers"] }', "index.terms[0].excludes: unknown key",
     "did you mean 'exclude'?"),
    ('{ phrase = "Marx", case = "upper" }', "index.terms[0].case: 'upper' is not one of the choices",
     'write "exact" or "any"'),
    ('{ entry = "Marx, Karl" }', "index.terms[0].phrase: is required", 'phrase = "Marx"'),
    ('{ phrase = "Marx", exclude = "Marx Brothers" }', "index.terms[0].exclude: expected a list of a string",
     "exclude = [\"Marx Brothers\"]"),
    ('"Marx {Karl}"', "index.terms[0]: 'Marx {Karl}' holds one of { } | > ^", "leave those characters out"),
])
def test_a_bad_term_names_book_toml_its_line_and_what_to_write(tmp_path, term, message, hint):
    _, errors = index_settings(tmp_path, f"  {term},")
    shown = "\n".join(errors)
    assert message in shown and hint in shown, shown


def test_an_essay_can_keep_the_books_terms_out_but_keeps_its_own_marks(tmp_path):
    from bookbuilder.sources.book import load_book
    from bookbuilder.transforms import apply_all

    (tmp_path / "essays").mkdir()
    (tmp_path / "essays" / "one.md").write_text('---\ntitle: "One"\n---\n\nMarx wrote. The Marx Brothers joked.\n')
    (tmp_path / "essays" / "two.md").write_text('---\ntitle: "Two"\nindex_terms: false\n---\n\n'
                                                'Marx, quoted in a document.\n\nEngels{^Engels, Friedrich} too.\n')
    (tmp_path / "book.toml").write_text(
        'title = "T"\ndate = 2026-11-01\n\n[index]\n'
        'terms = [{ phrase = "Marx", entry = "Marx, Karl", exclude = ["Marx Brothers"] }]\n\n'
        '[contents]\nessays = ["essays/one.md", "essays/two.md"]\n')
    book = apply_all(load_book(tmp_path))
    one, two = book.parts[0].essays
    assert [m.term for m in one.index_marks] == ["Marx, Karl"]  # once: not again in "Marx Brothers"
    assert [m.term for m in two.index_marks] == ["Engels, Friedrich"]  # the book's terms are not looked for
    entries = {e.term: {loc.essay for loc in e.locators} for group in book.index for e in group.entries}
    assert entries == {"Marx, Karl": {"one"}, "Engels, Friedrich": {"two"}}


@pytest.mark.slow
def test_a_book_list_of_references_leaves_no_index_page_unknown(book_copy, tmp_path):
    """The back lists (the book's reference list, the index) are laid out before the front matter; the index
    is laid out again once the preface's pages are known. It was not when a relayout asked for by an essay's
    citation links (which show no page) was kept from the cache: the pool ended with "anarchists, ?, 5"."""
    import subprocess

    from bookbuilder.build import build

    toml = book_copy / "book.toml"
    toml.write_text(toml.read_text().replace("[bibliography]\n", '[bibliography]\nlist = "book"\n', 1))
    result = build(book_copy, tmp_path / "out", ["print"], jobs=1)
    assert not result.failed, [str(f) for f in result.findings]
    text = subprocess.run(["pdftotext", str(result.outputs[0].path), "-"], capture_output=True, text=True).stdout
    index = text[text.rindex("Index"):]
    assert "anarchists, ix, 5" in index and ", ?" not in index, index[:400]
