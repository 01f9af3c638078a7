"""Memory a step has freed goes back to the system, so a long build's resident size follows what it holds.

glibc's allocator keeps freed memory for reuse, so a process's resident size only grows: each of
the build's merges and editions added its own peak to the last (407 MB on a 674-page book, 299 MB
with this), and a layout worker kept the size of the longest chunk it had laid out.
"""
from __future__ import annotations

import ctypes


def give_back_freed_memory() -> None:
    """After a step that freed much (a merge, an edition, a chunk's layout). Elsewhere than glibc: nothing."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
