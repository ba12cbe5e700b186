"""Nothing a user sends stays: uploads are read in a worker whose scratch folder goes with its task,
and the package is let go after "back", and with its session.

Cycles and folders are counted here; the server's memory over 50 cycles in a real `streamlit run`
is measured by bench/concurrency.py (its figures are in docs/benchmarks.md)."""

from __future__ import annotations

import copy
import gc
import io
import zipfile
from pathlib import Path

from apptest_support import data_page
from conftest import BASE_ROWS, write_package

from analysis.package import Package
from dashboard.uploads import OwnPackage
from sandbox import scratch_root

CYCLES = 12


def own_zip(root: Path, cycle: int) -> bytes:
    """The small package, its content a little different in every cycle (a new content hash)."""
    history = copy.deepcopy(BASE_ROWS["status_history"])
    history[0][4] = f"signed (upload {cycle})"
    write_package(root, {"status_history": history})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for file in sorted(root.rglob("*")):
            if file.is_file():
                archive.write(file, file.relative_to(root).as_posix())
    return buffer.getvalue()


def folders() -> int:
    """The sandbox's scratch folders on disk that hold anything (an upload's while a worker reads
    it; the empty one prepared for the next worker holds nothing of anyone's)."""
    return sum(1 for p in scratch_root().iterdir() if any(p.iterdir()))


def alive(kind: type) -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, kind))


def uploaded_packages() -> int:
    gc.collect()
    return sum(
        1 for o in gc.get_objects() if isinstance(o, Package) and o.descriptor_path.parent.name.startswith("own")
    )


def test_upload_and_back_cycles_leave_nothing(tmp_path):
    at = data_page(asof="2025-01-01")
    start_folders = folders()
    for cycle in range(CYCLES):
        data = own_zip(tmp_path / f"own{cycle}", cycle)
        at.file_uploader(key="upload").set_value((f"own{cycle}.zip", data, "application/zip")).run()
        assert not at.exception
        assert "Eigene Daten" in " ".join(c.value for c in at.sidebar.caption), cycle
        assert folders() == start_folders  # read in a worker: no folder is held
        assert uploaded_packages() == 1
        at.button(key="back_to_embedded").click().run()
        assert "Eigene Daten" not in " ".join(c.value for c in at.sidebar.caption)
        assert folders() == start_folders, cycle  # deleted on "back"
        assert alive(OwnPackage) == 0, cycle
        assert uploaded_packages() == 0, cycle  # no cache keeps an upload's package


def test_sessions_that_upload_and_close_leave_nothing(tmp_path):
    start_folders = folders()
    for cycle in range(CYCLES):
        at = data_page(asof="2025-01-01")
        data = own_zip(tmp_path / f"own{cycle}", cycle)
        at.file_uploader(key="upload").set_value((f"own{cycle}.zip", data, "application/zip")).run()
        assert "Eigene Daten" in " ".join(c.value for c in at.sidebar.caption)
        assert folders() == start_folders  # read in a worker: no folder is held
        del at  # the session is forgotten: its state goes, and with it the package
        gc.collect()
        assert alive(OwnPackage) == 0
        assert uploaded_packages() == 0


def test_a_refused_or_invalid_upload_leaves_no_folder(tmp_path):
    history = [*BASE_ROWS["status_history"], ["ghost", "2024-05-01", "month", "active", "", "s1"]]
    root = tmp_path / "bad"
    write_package(root, {"status_history": history})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for file in sorted(root.rglob("*")):
            archive.write(file, file.relative_to(root).as_posix())
    at = data_page(asof="2025-01-01")
    start_folders = folders()
    for payload in (buffer.getvalue(), b"not a zip"):
        at.file_uploader(key="upload").set_value(("x.zip", payload, "application/zip")).run()
        assert at.error and not at.exception
        assert folders() == start_folders
    assert alive(OwnPackage) == 0
