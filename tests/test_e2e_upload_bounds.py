"""A session's uploads are bounded and go with it, against a real `streamlit run` on localhost: a
closed tab leaves no folder behind within disconnectedSessionTTL + 30 s, and one session that sends
many files straight to Streamlit's upload endpoint holds at most three of them."""

from __future__ import annotations

import os
import re
import time
import urllib.request
from pathlib import Path

import pytest
from browser_support import TIMEOUT_MS, open_page, settled
from conftest import write_package, zipped

from devtools.browser import StreamlitServer

TTL = 5  # server.disconnectedSessionTTL for these servers, seconds


def _held_folders(temporary: Path) -> list[Path]:
    """Every folder the server made for uploads that holds anything (a package unpacked, a worker's
    scratch folder in use) under its temporary folder: the children of its partnerschaftsatlas-*
    folders; the empty one prepared for the next worker holds nothing of anyone's."""
    folders = [folder for folder in temporary.glob("partnerschaftsatlas-*") if folder.is_dir()]
    return [child for folder in folders for child in folder.iterdir() if not child.is_dir() or any(child.iterdir())]


def _server(tmp_path: Path) -> StreamlitServer:
    temporary = tmp_path / "server-tmp"
    temporary.mkdir()
    env = {**os.environ, "TMPDIR": str(temporary)}
    return StreamlitServer(env=env, options=("--server.disconnectedSessionTTL", str(TTL)))


def _upload(page, file: Path) -> None:
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(file))
    page.get_by_test_id("stSidebar").get_by_text("Eigene Daten").first.wait_for(timeout=TIMEOUT_MS)
    settled(page)


@pytest.mark.e2e
def test_a_closed_tabs_upload_leaves_no_folder(browser, tmp_path):
    (tmp_path / "eigene.zip").write_bytes(zipped(write_package(tmp_path / "own").parent))
    with _server(tmp_path) as server:
        page, _ = open_page(browser, f"{server.base}/daten?asof=2025-01-01")
        _upload(page, tmp_path / "eigene.zip")
        page.context.close()  # the tab is closed; Streamlit forgets the session after TTL
        deadline = time.monotonic() + TTL + 30
        while _held_folders(tmp_path / "server-tmp") and time.monotonic() < deadline:
            time.sleep(1)
        assert _held_folders(tmp_path / "server-tmp") == []


UPLOAD_MORE = """async ([url, count, size]) => {
    const token = (document.cookie.match(/_streamlit_xsrf=([^;]+)/) || [])[1] || "";
    const statuses = [];
    for (let i = 0; i < count; i++) {
        const form = new FormData();
        form.append("file", new Blob([new Uint8Array(size).fill(65)]), `extra${i}.zip`);
        const answer = await fetch(url.replace(/[^/]+$/, `extra-file-${i}`), {
            method: "PUT", body: form, headers: {"X-Xsrftoken": decodeURIComponent(token)},
        });
        statuses.push(answer.status);
    }
    return statuses;
}"""


def _uploaded_bytes(server: StreamlitServer) -> int:
    """What Streamlit's upload store holds now, as its metrics say."""
    with urllib.request.urlopen(f"{server.base}/_stcore/metrics", timeout=10) as answer:
        text = answer.read().decode()
    found = re.findall(r"cache_memory_bytes\{[^}]*UploadedFileManager[^}]*\} (\d+)", text)
    return sum(int(value) for value in found)


@pytest.mark.e2e
def test_one_session_sending_many_files_holds_at_most_three(browser, tmp_path):
    (tmp_path / "eigene.zip").write_bytes(zipped(write_package(tmp_path / "own").parent))
    with _server(tmp_path) as server:
        page, _ = open_page(browser, f"{server.base}/daten?asof=2025-01-01")
        with page.expect_request(lambda request: "/_stcore/upload_file/" in request.url) as sent:
            _upload(page, tmp_path / "eigene.zip")
        size = 2 * 1024 * 1024
        statuses = page.evaluate(UPLOAD_MORE, [sent.value.url, 8, size])  # 16 MB more, straight to the store
        assert statuses == [204] * 8 or all(status < 300 for status in statuses), statuses
        held = _uploaded_bytes(server)
        assert 0 < held <= 3 * size + 64 * 1024, held  # the three newest files, not all nine
