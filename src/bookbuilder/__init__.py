"""bookbuilder: one folder of essays in, a print PDF, a screen PDF and an EPUB 3 out."""

__version__ = "0.1.0"
