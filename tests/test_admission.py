"""Page runs take turns (dashboard.admission): one at a time, and nobody waits longer than allowed."""

import threading
import time

from dashboard import admission


def test_a_second_run_waits_for_the_first():
    order: list[str] = []
    first_in = threading.Event()

    def first() -> None:
        with admission.turn() as had:
            assert had
            first_in.set()
            time.sleep(0.2)
            order.append("first done")

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(5)
    with admission.turn(wait_at_most=5) as had:
        order.append("second in")
    thread.join()
    assert had is True
    assert order == ["first done", "second in"]


def test_a_run_that_holds_its_turn_too_long_does_not_stop_the_next():
    release = threading.Event()
    holding = threading.Event()

    def hog() -> None:
        with admission.turn():
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=hog)
    thread.start()
    holding.wait(5)
    started = time.monotonic()
    with admission.turn(wait_at_most=0.3) as had:
        waited = time.monotonic() - started
    release.set()
    thread.join()
    assert had is False
    assert 0.25 <= waited < 2.0
    with admission.turn(wait_at_most=1) as had_after:  # the turn came back, none was lost
        assert had_after is True


def test_a_run_waiting_for_a_validation_lets_the_others_run():
    waiting = threading.Event()
    done_waiting = threading.Event()
    back: list[bool] = []

    def uploader() -> None:
        with admission.turn() as had:
            assert had
            with admission.aside():
                waiting.set()
                done_waiting.wait(10)
            back.append(getattr(admission._holding, "turn", None))

    thread = threading.Thread(target=uploader)
    thread.start()
    waiting.wait(5)
    started = time.monotonic()
    with admission.turn(wait_at_most=2) as had:
        waited = time.monotonic() - started
    done_waiting.set()
    thread.join()
    assert had is True
    assert waited < 0.2
    assert back == [True]  # the uploader took a turn again after its wait
    with admission.turn(wait_at_most=1) as had_after:
        assert had_after is True


def test_aside_outside_a_turn_gives_nothing_back():
    with admission.aside():
        pass
    with admission.turn(wait_at_most=1) as had:
        assert had is True
