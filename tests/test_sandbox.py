"""Untrusted work runs outside the server process: a worker that aborts, runs out of memory or time
is an answer (WorkerDied), the server goes on, and the worker's scratch folder is gone afterwards;
an upload read there comes back as the same typed frames, or as a problem that names only what the
user sent."""

from __future__ import annotations

import io
import os
import time
import zipfile
from pathlib import Path

import pytest
from conftest import write_package, zipped
from polars.testing import assert_frame_equal

from analysis.package import load_package
from analysis.package.upload import UploadRefused
from analysis.problems import NotADataPackage, PackageInvalid
from analysis.uploaded import uploaded_package
from sandbox import Limits, WorkerDied, run_untrusted, scratch_root


def where_am_i(scratch: Path) -> tuple[str, str]:
    return str(scratch), os.getcwd()


def abort(scratch: Path) -> None:
    os.abort()


def allocate(scratch: Path) -> bytes:
    return b"x" * (6 * 1024**3)


def spin(scratch: Path) -> None:
    while True:
        pass


def test_the_worker_runs_in_its_own_scratch_folder_which_is_gone_afterwards():
    scratch, cwd = run_untrusted(where_am_i)
    assert Path(scratch).resolve() == Path(cwd).resolve()
    assert Path(scratch).parent == scratch_root() and not Path(scratch).exists()


def my_process(scratch: Path) -> int:
    return os.getpid()


def test_a_worker_that_answered_ends_soon_after():
    # its folder goes at once (above); the process itself ends in the background
    worker = run_untrusted(my_process)
    assert worker != os.getpid()
    deadline = time.monotonic() + 10
    while Path(f"/proc/{worker}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not Path(f"/proc/{worker}").exists(), f"worker {worker} still running 10 s after its answer"


@pytest.mark.parametrize(
    ("work", "limits", "code"),
    [
        (abort, Limits(), "worker_signal"),
        (allocate, Limits(address_space=1024 * 1024**2), "worker_memory"),
        (spin, Limits(cpu_seconds=1, wall_seconds=20), "worker_time"),
        (spin, Limits(cpu_seconds=60, wall_seconds=1.5), "worker_time"),
    ],
    ids=["abort", "memory", "cpu-seconds", "wall-time"],
)
def test_a_dying_worker_is_an_answer_and_the_next_one_works(work, limits, code):
    # a spare worker warmed ahead for uploads (started when dashboard.uploads is imported by an
    # earlier test) keeps its scratch folder waiting; only this test's tasks' folders must be gone
    waiting = set(scratch_root().iterdir())
    with pytest.raises(WorkerDied) as died:
        run_untrusted(work, limits=limits)
    assert died.value.code == code, died.value
    assert run_untrusted(where_am_i)[0]  # the server (this process) goes on, and so do workers
    assert set(scratch_root().iterdir()) <= waiting


def test_an_upload_read_in_the_worker_gives_the_same_frames_as_in_process(small_package):
    package = uploaded_package(zipped(small_package.parent), "mine.zip")
    reference = load_package(small_package)
    assert package.frames.keys() == reference.frames.keys()
    for name, frame in reference.frames.items():
        assert_frame_equal(package.frames[name], frame)
    assert package.content_hash == reference.content_hash
    assert package.title == "Testpaket"


def test_a_worker_that_dies_reading_an_upload_says_so_in_words(small_package):
    with pytest.raises(UploadRefused) as refused:
        uploaded_package(zipped(small_package.parent), "mine.zip", limits=Limits(cpu_seconds=60, wall_seconds=0.01))
    assert refused.value.code == "worker_time"
    assert "The file could not be read" in str(refused.value) and "mine.zip" in str(refused.value)


def test_an_invalid_upload_names_no_server_folder(tmp_path):
    path = write_package(tmp_path / "p")
    (path.parent / "data" / "themes.csv").unlink()
    with pytest.raises(PackageInvalid) as invalid:
        uploaded_package(zipped(path.parent), "mine.zip")
    texts = [p.describe(lang) for p in invalid.value.problems for lang in ("de", "en")] + [str(invalid.value)]
    assert any("data/themes.csv" in text for text in texts)
    assert not any(str(scratch_root()) in text or "/tmp" in text or str(tmp_path) in text for text in texts), texts


def test_a_broken_descriptor_in_an_upload_names_no_server_folder(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("paket/datapackage.json", "{broken")
    with pytest.raises(NotADataPackage) as error:
        uploaded_package(buffer.getvalue(), "mine.zip")
    for lang in ("de", "en"):
        text = error.value.text(lang)
        assert "paket/datapackage.json" in text and "/tmp" not in text and str(scratch_root()) not in text, text


# --- rendering for a visitor's package ---------------------------------------------------------

BAR = {
    "data": {"values": [{"city": "Dortmund", "n": 2}, {"city": "Hagen", "n": 1}]},
    "mark": "bar",
    "encoding": {"x": {"field": "city", "type": "nominal"}, "y": {"field": "n", "type": "quantitative"}},
}


def test_a_chart_of_a_visitors_package_is_rendered_in_a_worker_alike():
    from present import chart_files

    spec = {**BAR, "title": {"text": "Partnerschaften", "subtitle": ["Stand 2025"]}}
    assert chart_files.to_svg(spec, "de", untrusted=True) == chart_files.to_svg(spec, "de")


def test_a_renderer_that_aborts_on_a_spec_gives_a_message_and_the_server_goes_on():
    from present import chart_files

    # vl-convert panics (SIGABRT) on a control character in a title: in a worker, that is a message
    spec = {**BAR, "title": {"text": "Partner\x01schaften"}}
    with pytest.raises(chart_files.RenderFailed) as failed:
        chart_files.to_png(spec, "de", untrusted=True)
    assert str(failed.value) == "Die Datei konnte nicht erzeugt werden: der Zeichner brach ab."
    assert chart_files.to_svg({**BAR, "title": "ok"}, "en", untrusted=True).startswith("<svg")


def test_the_report_of_a_visitors_package_is_made_in_a_worker(small_package):
    from datetime import date

    from report.build import build_report

    package = uploaded_package(zipped(small_package.parent), "mine.zip")
    pdf = build_report(package, date(2025, 1, 1), lang="en")
    assert pdf[:5] == b"%PDF-" and len(pdf) > 10_000


def test_a_worker_does_not_run_the_main_script_streamlit_set(tmp_path, monkeypatch):
    # Streamlit makes the page script it runs the main module (app.py on a server, a temporary
    # script in AppTest); a worker that ran it again would be slow, or die when it fails
    import sys
    import types

    script = tmp_path / "page_script.py"
    script.write_text("raise SystemExit('the main script ran in the worker')\n", encoding="utf-8")
    main = types.ModuleType("__main__")
    main.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", main)
    scratch, cwd = run_untrusted(where_am_i)
    assert Path(scratch).resolve() == Path(cwd).resolve()
