"""Loading in the dashboard: no session waits for another's package, outcomes are remembered per
content, the last valid version stays in use whatever breaks, interrupted uploads are settled."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import streamlit as st
from apptest_support import rows_shown
from browser_support import ERRORS, TIMEOUT_MS, open_page, settled, tile
from conftest import BASE_ROWS, write_package, zipped
from streamlit.testing.v1 import AppTest

import analysis.package
from analysis.package import ENV_VAR
from dashboard import loading, uploads
from devtools.browser import StreamlitServer
from sandbox import scratch_root

APP = Path(__file__).resolve().parents[1] / "app.py"
WAIT = 120  # seconds: an upper bound for things that should happen at once, never a timing gate


def app(**params) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=WAIT)
    for key, value in params.items():
        at.query_params[key] = value
    return at


def upload_folders() -> list[Path]:
    """The sandbox's scratch folders that hold anything: one while a worker reads an upload, none
    after (the empty one prepared for the next worker holds nothing of anyone's)."""
    return [p for p in scratch_root().iterdir() if p.is_dir() and any(p.iterdir())]


class CountedLoads:
    """load_package as the dashboard calls it, counted, optionally held at its first stage until released."""

    def __init__(self, monkeypatch, module, hold: bool = False) -> None:
        self.calls = 0
        self.holding = threading.Event()
        self.release = threading.Event()
        if not hold:
            self.release.set()
        real = analysis.package.load_package
        if module is uploads:  # an upload is read in a worker: held before it is asked for
            real_upload = uploads.uploaded_package

            def read(data, name, **options):
                self.calls += 1
                self.holding.set()
                if not self.release.wait(WAIT):
                    raise TimeoutError("never released")
                return real_upload(data, name, **options)

            monkeypatch.setattr(module, "uploaded_package", read)
            return

        def load(path, progress=None):
            self.calls += 1

            def held(stage):
                self.holding.set()
                if not self.release.wait(WAIT):
                    raise TimeoutError("never released")
                if progress is not None:
                    progress(stage)

            return real(path, progress=held)

        monkeypatch.setattr(module, "load_package", load)


# -- the last valid version stays in use, whatever breaks ------------------------------------------------


def _broken_json(root: Path) -> None:
    (root / "datapackage.json").write_text('{"name": "x", "resources": [', encoding="utf-8")


def _half_written(root: Path) -> None:
    text = (root / "datapackage.json").read_text(encoding="utf-8")
    (root / "datapackage.json").write_text(text[: len(text) // 2], encoding="utf-8")


def _descriptor_gone(root: Path) -> None:
    (root / "datapackage.json").unlink()


def _missing_file(root: Path) -> None:
    (root / "data" / "themes.csv").unlink()


def _unreadable_cell(root: Path) -> None:
    history = [*BASE_ROWS["status_history"], ["hagen-kartal", "2024-13-45", "day", "active", "", "s2"]]
    write_package(root, {"status_history": history})


def _not_utf8(root: Path) -> None:
    (root / "data" / "themes.csv").write_bytes(
        "theme_id,label_de,label_en\nculture,Kultur,Culture\nx,Öl,\xd6l\n".encode("latin-1")
    )


@pytest.mark.parametrize(
    "break_it",
    [_broken_json, _half_written, _descriptor_gone, _missing_file, _unreadable_cell, _not_utf8],
    ids=lambda f: f.__name__.strip("_"),
)
def test_last_valid_version_stays_in_use_whatever_breaks(tmp_path, monkeypatch, break_it):
    path = write_package(tmp_path / "live")
    monkeypatch.setenv(ENV_VAR, str(path))
    at = app(asof="2025-01-01").run()
    assert at.metric[0].value == "2"  # active at 2025-01-01: dortmund-amiens, dortmund-trabzon

    break_it(tmp_path / "live")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    assert at.metric[0].value == "2"  # still the last valid version
    assert "letzte gültige Fassung" in at.warning[0].value

    second = app(asof="2025-01-01").run()  # a new session sees the same
    assert not second.exception and second.metric[0].value == "2" and second.warning


def test_a_broken_server_package_is_checked_once(tmp_path, monkeypatch):
    history = [*BASE_ROWS["status_history"], ["ghost", "2024-05-01", "month", "active", "", "s1"]]
    monkeypatch.setenv(ENV_VAR, str(write_package(tmp_path / "bad", {"status_history": history})))
    loads = CountedLoads(monkeypatch, loading)
    sessions = [app() for _ in range(3)]
    for at in sessions:
        at.run()
        at.run()
        assert not at.exception
        assert "ungültig" in at.error[0].value
    assert loads.calls == 1


def test_two_sessions_asking_for_the_same_content_share_one_validation(tmp_path, monkeypatch):
    """Two sessions' threads ask for the server's package while its first validation is held."""
    monkeypatch.setenv(ENV_VAR, str(write_package(tmp_path / "shared")))
    loads = CountedLoads(monkeypatch, loading, hold=True)
    waiting = []
    real_outcome = loading.Validation.outcome

    def counted_outcome(self, show=None):
        waiting.append(self)
        return real_outcome(self, show)

    monkeypatch.setattr(loading.Validation, "outcome", counted_outcome)
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(loading.server_package())) for _ in range(2)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + WAIT
    while len(waiting) < 2 and time.monotonic() < deadline:  # both wait for the package...
        time.sleep(0.05)
    assert len(waiting) == 2 and waiting[0] is waiting[1]  # ...on one validation
    assert not waiting[0].done()
    loads.release.set()
    for thread in threads:
        thread.join(WAIT)
    assert loads.calls == 1
    assert answers[0][0] is answers[1][0] and answers[0][1] is None


# -- no session waits for another's validation ----------------------------------------------------------


@pytest.fixture(scope="module")
def large_zip(tmp_path_factory) -> bytes:
    out = tmp_path_factory.mktemp("synth") / "large"
    subprocess.run(
        [sys.executable, "-m", "console.main", "synth", "--partnerships", "20000", "--out", str(out)],
        check=True,
        capture_output=True,
    )
    return zipped(out)


@pytest.mark.e2e
def test_another_session_reruns_while_a_large_upload_validates(browser, large_zip, tmp_path):  # noqa: F811
    """Two browser sessions on one real server (AppTest runs one session at a time): the upload's
    validation is held (held_upload_server.py) while the other session reruns and changes page."""
    signals = tmp_path / "signals"
    signals.mkdir()
    (tmp_path / "gross.zip").write_bytes(large_zip)
    env = {**os.environ, "HELD_UPLOAD_DIR": str(signals)}
    with StreamlitServer(env=env, launcher=Path(__file__).with_name("held_upload_server.py")) as server:
        first, _ = open_page(browser, server.base)  # see test_e2e_browser.server: the first session opens /
        first.context.close()
        uploader, _ = open_page(browser, f"{server.base}/daten?asof=2025-01-01")
        other, _ = open_page(browser, f"{server.base}/?asof=2025-01-01")
        embedded_active = tile(other, "active")

        uploader.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(tmp_path / "gross.zip"))
        deadline = time.monotonic() + WAIT
        while not (signals / "holding").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert (signals / "holding").exists()  # the upload is unpacked and its validation under way

        search = other.locator(".st-key-q input")  # another session reruns meanwhile...
        search.fill("Dortmund")
        search.press("Enter")
        other.wait_for_timeout(300)
        settled(other)
        assert 0 < tile(other, "active") < embedded_active  # the embedded data, filtered
        other.locator('[data-testid="stSidebarNavLink"]', has_text="Status & Verlauf").click()
        other.wait_for_timeout(300)
        settled(other)
        assert other.locator(ERRORS).count() == 0
        assert other.locator("h1").first.inner_text() == "Status & Verlauf"
        # ...and is done while the upload still validates
        assert not (signals / "release").exists()
        assert uploader.locator('[data-testid="stApp"][data-test-script-state="running"]').count() == 1

        (signals / "release").touch()
        uploader.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=TIMEOUT_MS)
        settled(uploader)
        assert uploader.locator(ERRORS).count() == 0, uploader.locator(ERRORS).first.inner_text()
        # the synthetic package is in use there: its title names its 20,000 partnerships
        uploader.get_by_test_id("stSidebar").get_by_text("20.000 Partnerschaften").first.wait_for(timeout=TIMEOUT_MS)
        assert len((signals / "calls").read_text(encoding="utf-8").splitlines()) == 1
        uploader.context.close()
        other.context.close()


# -- an upload interrupted by a rerun or a page change completes, or says why and cleans up -------------


@pytest.mark.parametrize("interruption", ["rerun", "page"])
@pytest.mark.parametrize("valid", [True, False])
def test_interrupted_upload_completes_or_says_why(tmp_path, monkeypatch, interruption, valid):
    history = BASE_ROWS["status_history"]
    if not valid:
        history = [*history, ["ghost", "2024-05-01", "month", "active", "", "s1"]]
    own = zipped(write_package(tmp_path / "own", {"status_history": history}).parent)
    loads = CountedLoads(monkeypatch, uploads, hold=True)
    interrupted = []
    real_waiting = __import__("dashboard.data", fromlist=["progress_display"]).progress_display

    def waiting(placeholder):
        show = real_waiting(placeholder)

        def interrupt(validation):
            if not interrupted:  # the user switches language or page while the upload validates
                interrupted.append(True)
                loads.release.set()
                if interruption == "rerun":
                    st.rerun()
                st.switch_page("views/overview.py")
            show(validation)

        return interrupt

    monkeypatch.setattr("dashboard.data.progress_display", waiting)
    at = app(asof="2025-01-01", lang="en").run().switch_page("views/data.py").run()
    embedded_rows = rows_shown(at)
    folders_before = len(upload_folders())
    at.file_uploader(key="upload").set_value(("own.zip", own, "application/zip")).run()
    assert interrupted and not at.exception, [e.value for e in at.exception]
    if valid:
        assert "Own data" in " ".join(c.value for c in at.sidebar.caption)
        assert any("your own uploaded data" in i.value for i in at.info)  # the banner, on whichever page
        assert len(upload_folders()) == folders_before  # read in a worker; no folder is held
    else:
        assert at.error[0].value.startswith("The uploaded data package is invalid")
        assert len(upload_folders()) == folders_before  # its folder is gone
        at.switch_page("views/data.py").run()
        assert rows_shown(at) == embedded_rows


# -- own data is visible on every page ---------------------------------------------------------------------

PAGES = ["views/overview.py", "views/partnerships.py", "views/themes.py", "views/history.py", "views/data.py"]


def test_every_page_says_own_data_is_shown_with_the_way_back(tmp_path):
    own = zipped(write_package(tmp_path / "own").parent)
    at = app(asof="2025-01-01").run().switch_page("views/data.py").run()
    assert not at.get("container") or not any(i.value.startswith("Sie sehen Ihre eigenen") for i in at.info)
    at.file_uploader(key="upload").set_value(("own.zip", own, "application/zip")).run()
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception
        banner = [i.value for i in at.info if i.value.startswith("Sie sehen Ihre eigenen hochgeladenen Daten")]
        assert banner and "Neu laden der Seite kehrt zu den mitgelieferten Daten zurück" in banner[0], page
        assert at.button(key="back_to_embedded_top").label == "Zurück zu den mitgelieferten Daten"
    at.button(key="back_to_embedded_top").click().run()
    assert not any(i.value.startswith("Sie sehen Ihre eigenen") for i in at.info)
    assert "Eigene Daten" not in " ".join(c.value for c in at.sidebar.caption)


def test_analysis_takes_frames_not_a_package(small_package):
    """The questions take a package's frames (a plain dict serves): caching is the dashboard's job."""
    from datetime import date

    from analysis.questions.enriched import enriched_theme_rows, enriched_view
    from analysis.questions.history import current_status_reasons, latest_changes, partnership_history, status_periods
    from analysis.questions.overview import continent_gaps, stale_partnerships

    frames = dict(analysis.package.load_package(small_package).frames)
    as_of = date(2025, 1, 1)
    view = enriched_view(frames, as_of)
    assert view["partnership_id"].to_list() == ["dortmund-amiens", "dortmund-trabzon", "hagen-kartal"]
    assert enriched_theme_rows(frames, as_of)["theme_id"].to_list() == ["culture", "economy"]
    assert status_periods(frames, as_of, ["dortmund-trabzon"])["status"].to_list() == ["in_preparation", "active"]
    assert latest_changes(frames, view, as_of, limit=2)["partnership_id"].to_list() == [
        "hagen-kartal",
        "dortmund-trabzon",
    ]
    reasons = current_status_reasons(frames, enriched_view(frames, as_of, with_precision=True), as_of)
    assert dict(zip(reasons["partnership_id"], reasons["note"], strict=True)) == {
        "hagen-kartal": "letter",
        "dortmund-trabzon": "signed",
        "dortmund-amiens": "signed",
    }
    assert partnership_history(frames, "dortmund-trabzon", as_of)["note"].to_list() == ["council", "signed"]
    # Dortmund is active in Europe and Asia; Hagen nowhere (Kartal is only proposed): 4 + 6 gaps
    assert continent_gaps(frames, view).height == 10
    # open and quiet for 5 years by 2025-01-01: Amiens (1960), Trabzon (2014-06-12); Kartal's 2021 row is recent
    assert stale_partnerships(frames, view, as_of)["partnership_id"].to_list() == [
        "dortmund-amiens",
        "dortmund-trabzon",
    ]
