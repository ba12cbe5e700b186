"""Page runs take turns: at most RUNS_AT_ONCE runs of the app at a time in one server process.

Streamlit runs each session's script in a thread of its own, and Python lets one thread run at a
time (the GIL). When fifty readers click at once, fifty runs share that one lock in slices of a few
milliseconds: every run takes as long as all of them together, and each hand-over of the lock costs
time of its own. Taking turns, a run started early ends early, and the others wait no longer than
they would have anyway (bench/results/capacity.md measures both).

A run waits at most WAIT_AT_MOST seconds for its turn and then runs anyway, and a run that waits
for something else (a package's validation, an upload read in a worker) gives its turn to the
others meanwhile (`aside`): no reader's upload makes the others wait.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

RUNS_AT_ONCE = 1  # at 50 users p95 0.45 s with 1, 0.51 s with 2, 1.38 s without turns (cold, 25 s)
WAIT_AT_MOST = 1.0  # seconds

_turns = threading.BoundedSemaphore(RUNS_AT_ONCE)
_holding = threading.local()  # .turn: whether this thread holds a turn now


@contextmanager
def turn(wait_at_most: float = WAIT_AT_MOST) -> Iterator[bool]:
    """Wait for a turn (at most WAIT_AT_MOST seconds), hold it while the block runs; answers whether
    the turn was had (False: waited in vain and ran anyway)."""
    had = _turns.acquire(timeout=wait_at_most)
    _holding.turn = had
    try:
        yield had
    finally:
        if _holding.turn:
            _turns.release()
        _holding.turn = False


@contextmanager
def aside(wait_at_most: float = WAIT_AT_MOST) -> Iterator[None]:
    """Give this thread's turn (if it holds one) to the others while the block waits (for a package's
    validation, an upload read in a worker), and take a turn again after it."""
    if not getattr(_holding, "turn", False):
        yield
        return
    _holding.turn = False
    _turns.release()
    try:
        yield
    finally:
        _holding.turn = _turns.acquire(timeout=wait_at_most)
