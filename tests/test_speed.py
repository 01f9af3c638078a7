"""Speed work must not change what is built: the debugging HTML, no-op rebuilds, parallel editions."""
from __future__ import annotations

import re
import subprocess
import sys

from conftest import pdf_pages_text


def test_build_html_lays_out_the_print_pages_on_its_own(book_copy, tmp_path):
    """`build --html` writes HTML that plain WeasyPrint can lay out after the build (the benchmark's raw pass)."""
    from bookbuilder.build import build

    out = tmp_path / "out"
    build(book_copy, out, ["print"], write_html=True)
    html = next(out.glob("*-print.html"))
    text = html.read_text(encoding="utf-8")
    assert ".incomplete-" not in text and "?ink=" not in text
    raw = tmp_path / "raw.pdf"
    subprocess.run([sys.executable, "-m", "weasyprint", str(html), str(raw)], check=True, capture_output=True)
    built = [re.sub(r"\s+", " ", p).strip() for p in pdf_pages_text(next(out.glob("*-print.pdf")))]
    plain = [re.sub(r"\s+", " ", p).strip() for p in pdf_pages_text(raw)]
    assert plain == built[:len(plain)] and all(not p for p in built[len(plain):])  # the print PDF adds blank pads
