"""Python's cycle collector paused while a long computation builds many objects that live
until it ends."""

import gc
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused():
    """A computation that makes millions of small objects which live until it ends (a PDF's
    boxes and styles, the finder's phrases and clauses) starts the cycle collector hundreds of
    times, each time walking more of them, so that its time grows faster than its input. A
    pause costs no memory to speak of; the next collection after it frees what was garbage."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
