"""The print edition's standalone HTML (what `build --html` writes) without laying the book out: raw WeasyPrint's input.

Usage: print_html.py BOOK OUT.html
"""
import sys
import tempfile
from pathlib import Path

from bookbuilder import transforms
from bookbuilder.editions import RenderContext
from bookbuilder.editions.print import PrintEdition
from bookbuilder.sources import load_book
from bookbuilder.theme import Theme

book = transforms.apply_all(load_book(Path(sys.argv[1])))
with tempfile.TemporaryDirectory() as work:
    ctx = RenderContext(book=book, theme=Theme.of(book), out_dir=Path(work), work_dir=Path(work))
    Path(sys.argv[2]).write_text(PrintEdition().standalone_html(ctx), encoding="utf-8")
