"""Readers: book.toml settings and Markdown essays become one `model.Book`."""
from .book import load_book

__all__ = ["load_book"]
