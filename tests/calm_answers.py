"""The answer every bad input must get, and the guard around it: a list of well-formed Problems
(or a plain refusal), never another exception, a hang, a network request or a server path.

Shared by the fuzz properties (tests/test_fuzz.py), the worked examples they found
(tests/test_bad_descriptors.py, tests/test_bad_input.py) and the comparison with frictionless
(tests/test_differential.py)."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import signal
import socket
import time
from pathlib import Path

from conftest import write_package

from analysis.package import EMBEDDED_DESCRIPTOR, load_package, validate_package
from analysis.problems import NotADataPackage, PackageInvalid, Problem

BASE_DESCRIPTOR = json.loads(EMBEDDED_DESCRIPTOR.read_text(encoding="utf-8"))


HANG_SECONDS = 30


class Hang(Exception):
    """An example ran longer than HANG_SECONDS."""


@contextlib.contextmanager
def guarded(seconds: int = HANG_SECONDS):
    """Refuse and record every attempt to resolve a name or open a connection; end a hang."""
    attempts: list[tuple] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("the fuzz tests never use the network")

    patched = [
        (socket, "getaddrinfo"),
        (socket, "gethostbyname"),
        (socket, "create_connection"),
        (socket.socket, "connect"),
        (socket.socket, "connect_ex"),
    ]
    saved = [(owner, name, getattr(owner, name)) for owner, name in patched]

    def too_slow(signum, frame):
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, too_slow)
    for owner, name in patched:
        setattr(owner, name, refuse)
    start = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield attempts
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        for owner, name, original in saved:
            setattr(owner, name, original)
    # a Hang swallowed by some `except Exception` still shows here
    assert time.monotonic() - start < seconds, "hang"
    assert attempts == [], f"network reached: {attempts}"


def assert_answer(problems: object) -> None:
    """A list of well-formed Problems: str resource, int-or-None row, str-or-None field, a message."""
    assert isinstance(problems, list), problems
    for problem in problems:
        assert type(problem) is Problem, problem
        assert isinstance(problem.resource, str), problem
        assert problem.row is None or (type(problem.row) is int and problem.row >= 1), problem
        assert problem.field is None or isinstance(problem.field, str), problem
        assert isinstance(problem.message, str) and problem.message.strip(), problem
        assert str(problem)


def answer(path: Path, *, package: bool = True) -> list[Problem] | None:
    """Validate PATH under the guard; None when it is not a package at all (only if not PACKAGE).

    A package found valid must also load.
    """
    with guarded():
        try:
            problems = validate_package(path)
        except NotADataPackage as error:
            assert str(error)
            assert not package, f"a package was called no package: {error}"
            return None
        assert_answer(problems)
        if problems == []:
            try:
                load_package(path)
            except PackageInvalid as error:  # pragma: no cover - a failure to report
                raise AssertionError(f"valid, yet refused on loading: {error}") from error
    root = str(path.parent)
    leaks = [p for p in problems if root in p.message]
    assert not leaks, f"server paths leak: {leaks}"
    return problems


def csv_text(header: list[str], rows: list[list[str]], newline: str = "\r\n") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def write_descriptor_package(root: Path, descriptor: object) -> Path:
    path = write_package(root)
    path.write_text(json.dumps(descriptor), encoding="utf-8")
    return path
