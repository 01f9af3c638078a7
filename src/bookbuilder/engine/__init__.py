"""The engine boundary: every use of WeasyPrint's or ebooklib's internals lives in this package.

Outside it, bookbuilder uses only the engines' documented API (`weasyprint.HTML`, `CSS`,
`Document.pages`, `Page.anchors`/`bookmarks`, `write_pdf`; ebooklib's public classes through
`engine.ebook.epub`). Each module here says what it relies on (the private name, the engine
version it was written against) and what upstream change would make it unnecessary; each
reliance has a contract test in tests/test_engine_contracts.py that fails with a message
naming the engine, the missing piece and the module that needs it, and
tests/test_engine_boundary.py fails when code outside this package reaches into an engine.
To try another engine version: scripts/try_engine.py --weasyprint X.Y.

- notes_first.py: notes stay on their call's page (wraps WeasyPrint's line layout);
- folios.py: the folio offset of a chunk, decided after its pagination (margin boxes);
- paint.py: the print PDF made from the screen PDF (inks, print images, bleed), or written in inks;
- pdf_ids.py: a stable PDF/X-4 document id (XMP metadata);
- boxes.py: the laid-out box tree the build's facts are read from;
- fetch.py: the local-only URL fetcher (a documented hook);
- ebook.py: ebooklib's public classes, and its writer with dated zip entries, xml:lang
  on the package and an editable nav.

`import bookbuilder.engine` alone imports no engine; each module imports the one it wraps.
"""
