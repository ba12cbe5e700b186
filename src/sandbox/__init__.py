"""Work on what a stranger sent, done in a separate process with limits.

Reading an uploaded zip or workbook and rendering a chart or report for a package that came
from a user run here: in a fresh worker process (a `concurrent.futures.ProcessPoolExecutor` of
one worker over a forkserver, one task each), whose initializer lowers its limits with
`resource.setrlimit` (address space, memory written, CPU seconds, open files, size of a file written) and moves it
into a scratch folder of its own. The server waits at most the wall time, then kills it. What comes
back is plain data (bytes, Arrow IPC, a dict) or the problem the work raised; a worker that dies
(abort, signal, a limit) is an answer too: `WorkerDied`, whose code names the reason, and the
server and every other session go on. The scratch folder is deleted when the task ends, whatever
happened. Each task has its own executor, so one death breaks no one else's work; a semaphore
bounds how many run at once.

Why this mechanism: it is the standard library's (no new dependency), the forkserver starts
workers from a small clean process that has already imported the readers (no copy of the
server's threads or memory, and a few tens of milliseconds per worker instead of a fresh
interpreter), and rlimits are enforced by the kernel.
"""

from __future__ import annotations

import atexit
import multiprocessing
import multiprocessing.spawn
import os
import resource
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as StillRunning
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one task of untrusted work may use. docs/security.md lists these numbers."""

    address_space: int | None = 4096 * MB  # virtual memory of the worker (Polars' and Arrow's pools included)
    data_bytes: int = 3072 * MB  # memory written to (reserved address space not counted)
    cpu_seconds: int = 60
    wall_seconds: float = 90.0
    open_files: int = 256
    file_bytes: int = 600 * MB  # any one file the worker writes (its unpacked upload)
    result_bytes: int = 1024 * MB  # what it hands back


LIMITS = Limits()
# V8 (in vl-convert) reserves tens of GB of address space it never touches: a renderer is bounded
# by the memory it writes to instead
RENDER_LIMITS = Limits(address_space=None, data_bytes=2048 * MB, cpu_seconds=30, wall_seconds=45.0)
POLL_SECONDS = 0.1  # how often a waiting server thread looks at the clock and at STOP
CONCURRENT = threading.BoundedSemaphore(2)  # workers at once, across all sessions (2 cores)
# imported once by the forkserver, so that each worker starts with them loaded
PRELOAD = ["polars", "pyarrow", "pyarrow.csv", "analysis.worker_warmup"]
_scratch: Path | None = None


def scratch_root() -> Path:
    """This server's folder of scratch folders (one per task), made on first use and removed
    when the server stops; each server process has its own."""
    global _scratch
    with _context_lock:
        if _scratch is None:
            _scratch = Path(tempfile.mkdtemp(prefix="partnerschaftsatlas-sandbox-"))
            atexit.register(shutil.rmtree, _scratch, ignore_errors=True)
        return _scratch


_context_lock = threading.Lock()
_context: multiprocessing.context.BaseContext | None = None


class WorkerDied(Exception):
    """The worker ended without an answer; CODE names why (`worker_memory`, `worker_time`,
    `worker_signal`, `worker_output`), SIGNAL the signal that ended it, if one did."""

    def __init__(self, code: str, signal_number: int | None = None) -> None:
        self.code = code
        self.signal_number = signal_number
        super().__init__(code if signal_number is None else f"{code} (signal {signal_number})")


class _OutputTooLarge(Exception):
    pass


# A worker never runs the server's main script: multiprocessing hands each new process the path of
# whatever `sys.modules["__main__"]` is at its start, and Streamlit sets that to the page script it
# runs (app.py on the server; a temporary script in a test), which the worker would run again as
# `__mp_main__` before its task (slow, and fatal when the script is gone). Our tasks are functions of
# importable modules, so the workers this module starts leave the main module out.
_starting_worker = threading.local()
_preparation_data = multiprocessing.spawn.get_preparation_data


def _preparation_without_main(name: str) -> dict:
    data = _preparation_data(name)
    if getattr(_starting_worker, "active", False):
        data.pop("init_main_from_path", None)
        data.pop("init_main_from_name", None)
    return data


multiprocessing.spawn.get_preparation_data = _preparation_without_main


def _submit(executor: ProcessPoolExecutor, *task: Any):
    """EXECUTOR.submit(*TASK); its worker process, started here, without the main script."""
    _starting_worker.active = True
    try:
        return executor.submit(*task)
    finally:
        _starting_worker.active = False


def _context_for_workers() -> multiprocessing.context.BaseContext:
    global _context
    with _context_lock:
        if _context is None:
            method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
            context = multiprocessing.get_context(method)
            if method == "forkserver":
                context.set_forkserver_preload(PRELOAD)
            _context = context
        return _context


def start_workers_early() -> None:
    """Start the forkserver (and its imports, some seconds) now, in the background, so that the
    first upload does not wait for it."""

    def start() -> None:
        if _context_for_workers().get_start_method() == "forkserver":
            from multiprocessing import forkserver

            forkserver.ensure_running()

    threading.Thread(target=start, name="sandbox-forkserver", daemon=True).start()


def _limit(kind: int, value: int) -> None:
    soft, hard = resource.getrlimit(kind)
    wanted = value if hard == resource.RLIM_INFINITY else min(value, hard)
    resource.setrlimit(kind, (wanted, hard if kind != resource.RLIMIT_CPU else wanted + 5))


def _enter(scratch: str, limits: Limits) -> None:
    """The worker's initializer: its limits lowered, its scratch folder made its home."""
    os.environ["TMPDIR"] = scratch
    tempfile.tempdir = scratch
    os.chdir(scratch)
    if limits.address_space is not None:
        _limit(resource.RLIMIT_AS, limits.address_space)
    _limit(resource.RLIMIT_DATA, limits.data_bytes)
    _limit(resource.RLIMIT_CPU, limits.cpu_seconds)
    _limit(resource.RLIMIT_NOFILE, limits.open_files)
    _limit(resource.RLIMIT_FSIZE, limits.file_bytes)
    _limit(resource.RLIMIT_CORE, 0)
    signal.signal(signal.SIGXFSZ, signal.SIG_DFL)  # a file too large ends the worker, not just the write


def _call(function: Callable[..., Any], args: tuple, result_bytes: int) -> Any:
    """In the worker: FUNCTION(scratch, *ARGS), refused when its answer is larger than allowed."""
    try:
        answer = function(Path.cwd(), *args)
    except MemoryError:
        raise WorkerDied("worker_memory") from None
    if _size(answer) > result_bytes:
        raise WorkerDied("worker_output")
    return answer


def _size(answer: Any) -> int:
    if isinstance(answer, (bytes, bytearray, str)):
        return len(answer)
    if isinstance(answer, (list, tuple)):
        return sum(_size(item) for item in answer)
    if isinstance(answer, dict):
        return sum(_size(item) for item in answer.values())
    return 0


Spare = tuple[ProcessPoolExecutor, str]
_spares: dict[tuple, Spare] = {}  # (limits, warm_up) -> a worker started and warmed ahead of time
_spares_lock = threading.Lock()


def _new_worker(limits: Limits) -> Spare:
    scratch = tempfile.mkdtemp(dir=scratch_root())
    # one executor of one worker per visitor's task: a death breaks no one else's work, and the
    # worker ends with the executor's shutdown (as max_tasks_per_child=1 would end it)
    executor = ProcessPoolExecutor(
        max_workers=1, mp_context=_context_for_workers(), initializer=_enter, initargs=(scratch, limits)
    )
    return executor, scratch


def _prepare_spare(limits: Limits, warm_up: Callable[[Path], Any]) -> None:
    """A worker for the next task, started now and warmed by WARM_UP (our own code, on our own
    data: the first Polars, Arrow and jsonschema work of a fresh process), so that the next
    visitor's task does not wait for it. Its scratch folder is that task's."""
    try:
        spare = _new_worker(limits)
    except FileNotFoundError:  # the server is stopping and has removed its scratch root: no spare
        return
    _submit(spare[0], _call, warm_up, (), limits.result_bytes)
    with _spares_lock:
        old = _spares.pop((limits, warm_up), None)
        _spares[(limits, warm_up)] = spare
    if old is not None:
        _retire(old)


def _retire(worker: Spare, answered: bool = False) -> None:
    """WORKER ended and its scratch folder deleted. A worker that ANSWERED writes nothing more: its
    folder goes now and the process ends in the background (one that held a large package takes
    20-30 ms to exit, which no visitor needs to wait for); any other is ended first."""
    executor, scratch = worker
    if answered:
        shutil.rmtree(scratch, ignore_errors=True)
        threading.Thread(
            target=executor.shutdown, kwargs={"wait": True, "cancel_futures": True}, name="sandbox-retire", daemon=True
        ).start()
        return
    executor.shutdown(wait=True, cancel_futures=True)
    shutil.rmtree(scratch, ignore_errors=True)


def run_untrusted(
    function: Callable[..., Any],
    *args: Any,
    limits: Limits = LIMITS,
    stop: threading.Event | None = None,
    warm_up: Callable[[Path], Any] | None = None,
) -> Any:
    """FUNCTION(scratch_folder, *ARGS) in a fresh worker with LIMITS; its answer, or the exception
    it raised (re-raised here), or WorkerDied when it ended without one (`worker_stopped` when
    STOP was set meanwhile: the worker is killed). FUNCTION and ARGS must be picklable (a
    module-level function, plain data). With WARM_UP (a module-level function of the scratch
    folder), the worker is one started and warmed ahead of time when there is one, and the next
    is prepared in the background: no worker ever runs two visitors' tasks."""
    with CONCURRENT:
        spare = None
        if warm_up is not None:
            with _spares_lock:
                spare = _spares.pop((limits, warm_up), None)
        executor, scratch = spare or _new_worker(limits)
        future = None
        try:
            future = _submit(executor, _call, function, args, limits.result_bytes)
            deadline = time.monotonic() + limits.wall_seconds
            while True:
                try:
                    return future.result(timeout=min(POLL_SECONDS, max(deadline - time.monotonic(), 0)))
                except StillRunning:
                    if stop is not None and stop.is_set():
                        _kill(executor)
                        raise WorkerDied("worker_stopped") from None
                    if time.monotonic() >= deadline:
                        _kill(executor)
                        raise WorkerDied("worker_time") from None
                except BrokenProcessPool:
                    raise _death(executor) from None
        finally:
            answered = (
                future is not None
                and future.done()
                and not future.cancelled()
                and not isinstance(future.exception(), BrokenProcessPool)
            )
            _retire((executor, scratch), answered)
            if warm_up is not None:  # the next spare warms after this task, not against it for the CPUs
                threading.Thread(target=_prepare_spare, args=(limits, warm_up), daemon=True).start()


def _kill(executor: ProcessPoolExecutor) -> None:
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        process.kill()


def _death(executor: ProcessPoolExecutor) -> WorkerDied:
    """Why the worker died: the signal that ended it (SIGXCPU: out of CPU time; SIGKILL, SIGSEGV,
    SIGABRT: often out of memory), as far as its exit code tells."""
    processes = list((getattr(executor, "_processes", None) or {}).values())
    # The pool reports the broken worker from its manager thread, which then reaps the worker itself.
    # Two threads reading one forkserver worker's exit status race for it (the loser reads 255), so
    # the exit code is read only after that thread is done.
    manager = getattr(executor, "_executor_manager_thread", None)
    if manager is not None:
        manager.join(timeout=10)
    for process in processes:
        process.join(timeout=2)
    codes = [p.exitcode for p in processes if p.exitcode is not None]
    number = -codes[0] if codes and codes[0] < 0 else None
    if number == signal.SIGXCPU:
        return WorkerDied("worker_time", number)
    if number == signal.SIGXFSZ:
        return WorkerDied("worker_output", number)
    return WorkerDied("worker_signal", number)
