"""Write batches: work that every write asks for but that is worth doing once per batch of writes.

A write (a save, a delete) may need follow-up work whose result depends only on the final state: the
portal's change marker and home-page summary of the comune, for instance. Inside `write_batch()`, such
work is registered with `later(key, function)` and runs once per key when the outermost batch ends
without an error (still inside the caller's transaction when the batch is opened inside one); outside a
batch `later` runs the function at once. An error skips the work: the transaction it belongs to rolls
back anyway."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from contextlib import contextmanager

_state = threading.local()


@contextmanager
def write_batch():
    pending = getattr(_state, "pending", None)
    if pending is not None:  # nested: the outermost batch runs the work
        yield
        return
    _state.pending = {}
    try:
        yield
        while _state.pending:  # the work may itself write, and ask for more work
            work, _state.pending = _state.pending, {}
            for function in work.values():
                function()
    finally:
        _state.pending = None


def later(key: Hashable, function: Callable[[], None]) -> None:
    """Run `function` at the end of the current batch (once per key), or now outside a batch."""
    pending = getattr(_state, "pending", None)
    if pending is None:
        function()
    else:
        pending.setdefault(key, function)
