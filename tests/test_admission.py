"""Page runs take turns (dashboard.admission): one at a time, and nobody waits longer than allowed."""

import threading
import time

from dashboard import admission


def _take_turn(wait_at_most: float) -> tuple[bool, float]:
    """Whether this thread got a turn within WAIT_AT_MOST seconds, and how long it waited."""
    started = time.monotonic()
    with admission.turn(wait_at_most=wait_at_most) as had:
        return had, time.monotonic() - started


def _in_thread(work) -> threading.Thread:
    thread = threading.Thread(target=work)
    thread.start()
    return thread


def test_a_second_run_waits_for_the_first():
    order: list[object] = []
    first_in = threading.Event()

    def first() -> None:
        with admission.turn() as had:
            order.append(had)
            first_in.set()
            time.sleep(0.2)
            order.append("first done")

    thread = _in_thread(first)
    first_in.wait(5)
    with admission.turn(wait_at_most=5) as had:
        order.append("second in")
    thread.join()
    assert had is True
    assert order == [True, "first done", "second in"]


def test_a_run_that_holds_its_turn_too_long_does_not_stop_the_next():
    release = threading.Event()
    holding = threading.Event()

    def hog() -> None:
        with admission.turn():
            holding.set()
            release.wait(10)

    thread = _in_thread(hog)
    holding.wait(5)
    had, waited = _take_turn(0.3)
    release.set()
    thread.join()
    assert had is False
    assert 0.25 <= waited < 2.0
    assert _take_turn(1)[0] is True  # the turn came back, none was lost


def test_a_run_waiting_for_a_validation_lets_the_others_run():
    waiting = threading.Event()
    done_waiting = threading.Event()
    held: list[bool] = []

    def uploader() -> None:
        with admission.turn() as had:
            held.append(had)
            with admission.aside():
                waiting.set()
                done_waiting.wait(10)
            held.append(getattr(admission._holding, "turn", None))

    thread = _in_thread(uploader)
    waiting.wait(5)
    had, waited = _take_turn(2)
    done_waiting.set()
    thread.join()
    assert had is True
    assert waited < 0.2
    assert held == [True, True]  # the uploader had a turn, and took one again after its wait
    assert _take_turn(1)[0] is True


def test_aside_outside_a_turn_gives_nothing_back():
    with admission.aside():
        pass
    assert _take_turn(1)[0] is True
