"""The command line loads a layout engine only for a command that lays out: `--help` answers at once."""
from __future__ import annotations

import subprocess
import sys

import pytest

from bookbuilder.model import EDITION_NAMES


@pytest.mark.parametrize("argv", [["--help"], ["build", "--help"], ["new", "--help"]])
def test_help_does_not_import_weasyprint(argv):
    probe = ("import sys\nfrom bookbuilder import cli\ntry:\n    cli.main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
             "print('weasyprint' in sys.modules, 'ebooklib' in sys.modules, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True, text=True, timeout=60)
    assert "usage: bookbuilder" in done.stdout, done.stdout + done.stderr
    assert done.stderr.strip().splitlines()[-1] == "False False", done.stderr


def test_the_editions_offered_are_the_editions_built():
    from bookbuilder.build import DEFAULT_EDITIONS
    from bookbuilder.editions import EDITIONS

    assert tuple(EDITIONS) == EDITION_NAMES == DEFAULT_EDITIONS
