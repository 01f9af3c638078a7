"""Properties of the small pure functions, over inputs nobody thought to write down (hypothesis)."""
from __future__ import annotations

import re

import pytest

hypothesis = pytest.importorskip("hypothesis")  # a test extra (pyproject [test])
from hypothesis import given, strategies as st  # noqa: E402

from bookbuilder.editions.assemble import _folio_number, _page_labels  # noqa: E402
from bookbuilder.transforms.numbering import roman_folio as roman  # noqa: E402
from bookbuilder.sources.conventions import CREDIT_LABELS  # noqa: E402
from bookbuilder.sources.essay import SLUG_CHARS, slugify  # noqa: E402
from bookbuilder.transforms.credits import split_caption  # noqa: E402
from bookbuilder.transforms.running_heads import ELLIPSIS, fit_head  # noqa: E402

CANONICAL_ROMAN = re.compile(r"m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})")


# ---- page labels ---------------------------------------------------------------------------------

@given(st.integers(1, 3999))
def test_roman_is_canonical_and_reads_back_as_its_number(n):
    folio = roman(n)
    assert folio and CANONICAL_ROMAN.fullmatch(folio), folio
    assert _folio_number(folio) == ("r", n)


def read_labels(tree, count: int) -> list[str | None]:
    """What a PDF reader shows for each page, from the /PageLabels number tree."""
    nums = list(tree.Nums)
    ranges = [(int(nums[i]), str(nums[i + 1].S), int(nums[i + 1].St)) for i in range(0, len(nums), 2)]
    shown = []
    for page in range(count):
        start, style, first = max((r for r in ranges if r[0] <= page), default=(None, None, None))
        if start is None:
            shown.append(None)
        else:
            number = first + page - start
            shown.append(roman(number) if style == "/r" else str(number))
    return shown


folio_runs = st.lists(st.tuples(st.sampled_from(["roman", "arabic"]), st.integers(1, 400), st.integers(1, 30),
                                st.integers(0, 2)), min_size=1, max_size=6)


@given(folio_runs)
def test_page_labels_show_every_printed_folio(runs):
    """Runs of folios in either style, any start, with unnumbered pages between: every numbered page
    reads in the PDF viewer as it is printed."""
    folios = []
    for style, first, length, unnumbered in runs:
        folios += [roman(n) if style == "roman" else str(n) for n in range(first, first + length)]
        folios += [""] * unnumbered  # a blank page or one whose folio is not printed
    shown = read_labels(_page_labels(folios), len(folios))
    for page, folio in enumerate(folios):
        if folio:
            assert shown[page] == folio, (page, folio, shown[page])


# ---- captions and credits ------------------------------------------------------------------------

caption_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=60)
labels = st.sampled_from(sorted(CREDIT_LABELS))


def words(text: str) -> str:
    return "".join(text.split())


@given(caption_text)
def test_a_caption_without_a_credit_label_is_kept_whole(caption):
    if not re.search("|".join(CREDIT_LABELS) + r"s?\s*:", caption, re.I):
        assert split_caption(caption) == (caption.strip(), "")


@given(caption_text, labels, st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zs")), min_size=1, max_size=30),
       st.sampled_from([" / ", "/", ". "]))
def test_a_credit_is_split_off_whole_and_nothing_is_lost(caption, label, who, joint):
    caption = caption.replace("/", "")
    written = caption + joint + f"{label}: {who}"
    kept, credit = split_caption(written)
    assert credit.lower().startswith(label.lower()) and credit.endswith(who.strip()), (written, kept, credit)
    assert words(kept + credit) in (words(written), words(written).replace("/", "", 1)), (written, kept, credit)


# ---- slugs ---------------------------------------------------------------------------------------

@given(st.text(max_size=300))
def test_a_slug_is_word_characters_and_hyphens_short_and_stable(title):
    slug = slugify(title)
    assert re.fullmatch(r"[\w-]+", slug), slug
    assert len(slug) <= SLUG_CHARS
    assert not slug.startswith("-") and not slug.endswith("-") and "--" not in slug
    assert slugify(slug) == slug


# ---- running heads -------------------------------------------------------------------------------

@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=200), st.integers(4, 80))
def test_a_running_head_fits_its_budget_and_begins_as_the_title(title, budget):
    head = fit_head(title, budget)
    normal = re.sub(r"[ \t\r\n]+", " ", title).strip()
    assert len(head) <= budget + 1, (head, budget)
    if head.endswith(ELLIPSIS) and head != normal:
        assert normal.startswith(head[:-1]), (normal, head)
    else:
        assert head == normal
