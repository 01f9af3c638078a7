"""EPUB Accessibility 1.1 metadata, written from what the book really has (schema.org and a11y: properties)."""
from __future__ import annotations

from ..config import isbn_urn
from ..model import Book
from ..words import Words

CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"


def accessibility_metadata(book: Book, page_list: bool, words: Words | None = None) -> list[tuple[str, str]]:
    """(property, value) pairs for the OPF. `page_list`: the EPUB carries the print edition's page breaks.
    The summary is in the book's language (`words`)."""
    words = words or Words.of(book)
    described = [f for _e, f in book.figures if not f.decorative]
    visual = bool(book.figures or book.cover.image)
    features = ["structuralNavigation", "tableOfContents", "readingOrder"]
    if described:
        features.append("alternativeText")
    print_isbn = book.editions.get("print").isbn if book.editions.get("print") else ""
    if page_list:
        features += ["pageNavigation", "printPageNumbers"]
    features += ["ARIA", "displayTransformability"]  # DPUB-ARIA roles on every epub:type; reflowable, CSS only
    summary = [words.text("a11y_summary")]
    if described:
        summary.append(words.count("a11y_images", len(described)))
    if page_list:
        summary.append(words.text("a11y_pages_isbn", isbn=print_isbn) if print_isbn else words.text("a11y_pages"))
    summary.append(words.text("a11y_meets", standard=CONFORMS_TO))
    pairs = [("schema:accessMode", "textual"),
             *([("schema:accessMode", "visual")] if visual else []),
             ("schema:accessModeSufficient", "textual"),
             *[("schema:accessibilityFeature", f) for f in features],
             ("schema:accessibilityHazard", "none"),
             ("schema:accessibilitySummary", "; ".join(summary) + "."),
             ("dcterms:conformsTo", CONFORMS_TO)]
    if page_list:  # the print edition by its ISBN; before one is assigned, by its title
        pairs.append(("pageBreakSource", isbn_urn(print_isbn) if print_isbn else f"{book.title} (print edition)"))
    return pairs
