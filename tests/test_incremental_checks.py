"""A build reads again only the pages it laid out again: the chunks the last build checked and kept are skipped
(checks/pages.py), so an edit does not pay for pdftotext over the whole book; --force reads every page."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from bookbuilder.checks import Finding


def test_pages_to_check_skips_the_spans_of_checked_layouts_and_nothing_else():
    from bookbuilder.checks.pages import counted, pages_to_check, touches
    from bookbuilder.editions import Rendered
    from bookbuilder.editions.facts import PagedFacts

    facts = PagedFacts(chunk_spans={"front-0": (1, 6), "a-6": (7, 12), "b-12": (13, 20), "back-20": (21, 23)})
    rendered = Rendered("print", None, pages=24, facts=facts, checked_before=frozenset({"front-0", "b-12"}))
    runs = pages_to_check(rendered)
    assert runs == [(7, 12), (21, 24)]  # page 24: padding after the last chunk, in no span, is read
    assert counted(runs) == 10
    assert touches(runs, 12, 13) and not touches(runs, 13, 20)
    assert pages_to_check(Rendered("print", None, pages=24, facts=facts)) is None  # nothing checked before: all


def test_a_build_whose_checks_found_anything_records_nothing_to_skip():
    from bookbuilder.build import checked_units
    from bookbuilder.editions import Rendered
    from bookbuilder.editions.facts import PagedFacts

    rendered = Rendered("print", None, pages=4, facts=PagedFacts(chunk_spans={"a-0": (1, 4)}))
    assert checked_units(rendered, [], plan=None, book=None) == ["a-0"]
    warned = [Finding("print", "an image prints at 200 ppi", fatal=False)]
    assert checked_units(rendered, warned, plan=None, book=None) == []
    assert checked_units(Rendered("screen", None, pages=4, facts=rendered.facts), [], plan=None, book=None) == []


@pytest.mark.slow
def test_an_edit_reads_again_only_the_edited_essays_pages(book_copy, tmp_path, monkeypatch):
    from bookbuilder.build import build
    from bookbuilder.checks import pages

    read: list = []
    real = pages.pdftotext_runs

    def recording(pdf, runs, *options):
        read.append((pdf.name, runs, options[0]))
        return real(pdf, runs, *options)

    monkeypatch.setattr("bookbuilder.checks.conservation.pdftotext_runs", recording)
    monkeypatch.setattr("bookbuilder.checks.preflight.pdftotext_runs", recording)
    out = tmp_path / "out"
    first = build(book_copy, out, ["print"], jobs=1)
    assert not first.failed and all(runs is None for _pdf, runs, _o in read)
    manifest = json.loads((out / ".bookbuilder-manifest.json").read_text())
    assert len(manifest["editions"]["print"]["checked_units"]) == len(first.outputs[0].facts.chunk_spans)

    essay = book_copy / "essays" / "card-by-card.md"
    essay.write_text(essay.read_text().replace("The app marked", "The app, that week, marked", 1))
    read.clear()
    messages: list[str] = []
    second = build(book_copy, out, ["print"], jobs=1, progress=messages.append)
    assert not second.failed
    facts = second.outputs[0].facts
    first_page, last_page = facts.essay_spans["card-by-card"]
    runs = {tuple(r) for _pdf, runs, _o in read for r in runs}
    assert any(a <= first_page and last_page <= b for a, b in runs), (runs, first_page, last_page)
    unread = [slug for slug, (a, b) in facts.essay_spans.items() if not any(x <= b and a <= y for x, y in runs)]
    assert "from-chomsky-to-marx" in unread and "what-the-mill-taught-us" in unread
    assert {o for _pdf, _r, o in read} == {"-layout", "-bbox"}  # conservation and the trim check both
    assert any(m.startswith("print: checking ") and f" of {second.outputs[0].pages} pages" in m for m in messages)

    read.clear()
    assert not build(book_copy, out, ["print"], jobs=1, force=True).failed
    assert read and all(runs is None for _pdf, runs, _o in read)  # --force reads every page


@pytest.mark.slow
def test_an_edit_the_html_does_not_show_is_still_checked(book_copy, tmp_path):
    """A template that leaves a field out makes the same HTML after the field is added: the chunk's key holds
    its sources too, so its pages are read again and the words found missing, as a cold build finds them."""
    from bookbuilder.build import build

    house = (Path(__file__).resolve().parents[1] / "styles" / "templates" / "print" / "essay.html").read_text()
    assert "essay.subtitle" in house
    override = book_copy / "styles" / "templates" / "print" / "essay.html"
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text(house.replace("{% if essay.subtitle %}", '{% if essay.subtitle and essay.slug != "card-by-card" %}'))
    essay = book_copy / "essays" / "card-by-card.md"
    essay.write_text(essay.read_text().replace('subtitle: "Why I Joined the IMT"\n', "", 1))
    out = tmp_path / "out"
    assert not build(book_copy, out, ["print"], jobs=1).failed
    essay.write_text(essay.read_text().replace("\nauthors:", '\nsubtitle: "Quietly Organising the Depot"\nauthors:', 1))
    again = build(book_copy, out, ["print"], jobs=1)
    assert again.failed
    assert any("card-by-card.md" in f.message and "Quietly Organising" in f.message for f in again.findings), \
        [str(f) for f in again.findings]


@pytest.mark.slow
def test_an_edit_compares_again_only_the_edited_essays_epub_document(book_copy, tmp_path, monkeypatch):
    from bookbuilder.build import build
    from bookbuilder.checks import conservation

    compared: list[tuple[str, str]] = []
    real = conservation.loss_finding

    def recording(edition, book, essay, output, where):
        compared.append((edition, essay.slug))
        return real(edition, book, essay, output, where)

    monkeypatch.setattr(conservation, "loss_finding", recording)
    out = tmp_path / "out"
    first = build(book_copy, out, ["epub"], jobs=1)
    assert not first.failed
    every = {slug for _edition, slug in compared}
    assert "card-by-card" in every and len(every) >= 5

    essay = book_copy / "essays" / "card-by-card.md"
    essay.write_text(essay.read_text().replace("The app marked", "The app, that week, marked", 1))
    compared.clear()
    assert not build(book_copy, out, ["epub"], jobs=1).failed
    assert compared == [("epub", "card-by-card")]

    essay.write_text(essay.read_text().replace("The app, that week, marked", "The app marked", 1))
    compared.clear()
    assert not build(book_copy, out, ["epub"], jobs=1, force=True).failed
    assert {slug for _edition, slug in compared} == every  # --force compares every document


def test_what_another_bookbuilder_checked_is_checked_again(tmp_path):
    """A verdict holds for the code that reached it: after an upgrade (or an edit of bookbuilder's code) the
    build checks every page and document again, though the outputs may be the same bytes."""
    from bookbuilder.build import CHECKED_UNITS, CHECKED_WITH, Plan
    from bookbuilder.fingerprint import Manifest

    class Inputs:
        def __init__(self, code):
            self.code = code

        def code_fingerprint(self):
            return self.code

    record = {"print": {CHECKED_UNITS: ["a-0"], CHECKED_WITH: "ours"}}
    plan = Plan.__new__(Plan)
    plan.force, plan.write_html, plan.previous = False, False, Manifest("x", [], editions=record)
    plan.inputs = Inputs("ours")
    assert plan.checked_before("print") == {"a-0"}
    plan.inputs = Inputs("an upgrade")
    assert plan.checked_before("print") == frozenset()


@pytest.mark.slow
def test_a_cold_build_reads_the_sources_while_laying_out_and_an_edit_does_not(book_copy, tmp_path, monkeypatch):
    """The checks' source texts are read ahead (checks/registry BUILD_PREPARATIONS) by the main process once a
    layout worker is left idle, in a thread started after the fork; an edit's checks read a few essays, so
    nothing ahead."""
    import threading

    from bookbuilder.build import build
    from bookbuilder.checks import conservation
    from bookbuilder.editions import layout_pool

    calls: list = []
    real = conservation.read_sources

    def recording(book):
        calls.append((threading.current_thread() is not threading.main_thread(),
                      layout_pool.multiprocessing.active_children() != []))
        return real(book)

    monkeypatch.setattr(conservation, "read_sources", recording)
    out = tmp_path / "out"
    assert not build(book_copy, out, ["print", "epub"], jobs=2).failed
    assert calls == [(True, True)]  # once for both editions, in a thread, with the workers running
    essay = book_copy / "essays" / "card-by-card.md"
    essay.write_text(essay.read_text().replace("The app marked", "The app, that week, marked", 1))
    calls.clear()
    assert not build(book_copy, out, ["print", "epub"], jobs=2).failed
    assert calls == []
