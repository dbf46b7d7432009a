"""Python's cyclic garbage collector paused while work that keeps what it allocates runs.

Loading the parse cache, a whole build: they allocate many objects, keep them until they
end and make next to no cyclic garbage, so every collection of the older generations
only walks the same growing set of objects again.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic collection inside the block; the collector as it was after it (a caller
    that had it off keeps it off)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
