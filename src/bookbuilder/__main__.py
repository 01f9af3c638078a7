"""`python -m bookbuilder` runs the same command line as `bookbuilder` (where the script is not on PATH)."""
import sys

from .cli import main

sys.exit(main())
