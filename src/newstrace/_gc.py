"""Pausing the cyclic garbage collector around bulk work on records."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_pauses = 0  # gc_paused blocks running (in any thread)
_resume = False  # whether the collector was on when the first of them began
_pauses_lock = threading.Lock()


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while records are built or written
    in bulk. Records hold no reference cycles, and a store of 100,000 articles
    decodes millions of them: each full collection walks every live object, so
    the collections cost about as much as the decoding. Nestable and
    thread-safe: the collector resumes (if it was on) when the last pause ends."""
    global _pauses, _resume
    with _pauses_lock:
        if _pauses == 0:
            _resume = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pauses_lock:
            _pauses -= 1
            if _pauses == 0 and _resume:
                gc.enable()
