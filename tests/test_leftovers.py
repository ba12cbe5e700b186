"""What a save or an import killed midway leaves behind (a hidden stage folder beside the package or
in its versions) is removed at the next save or import, and nothing else is: not a younger one, not
one whose process still runs, not a look-alike name, not what a link points to."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import write_package

from analysis.keeping.editing import Change, Operation
from analysis.keeping.importing import import_workbook
from analysis.keeping.leftovers import clean_leftovers
from analysis.keeping.saving import save
from analysis.keeping.workbook import package_text_frames, write_workbook
from analysis.package import load_package

SRC = Path(__file__).resolve().parents[1] / "src"
HOUR_AGO = time.time() - 3600

KILLED_IMPORT = """
import os, signal, sys
from pathlib import Path
from analysis.keeping.workbook_reading import checked_workbook, staged_package
data = Path(sys.argv[1]).read_bytes()
staged_package(checked_workbook(data), Path(sys.argv[2]))  # the stage is written, not yet renamed
os.kill(os.getpid(), signal.SIGKILL)
"""


def _aged(path: Path, when: float = HOUR_AGO) -> Path:
    os.utime(path, (when, when), follow_symlinks=False)
    return path


def test_an_import_killed_midway_leaves_a_stage_that_the_next_import_removes(tmp_path):
    book = write_workbook(load_package(write_package(tmp_path / "small")), tmp_path / "small.xlsx")
    out = tmp_path / "neu"
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    killed = subprocess.Popen([sys.executable, "-c", KILLED_IMPORT, str(book), str(out)], env=env)
    assert killed.wait(timeout=120) == -signal.SIGKILL
    left = [p for p in tmp_path.iterdir() if p.name.startswith(".neu-import-")]
    assert len(left) == 1 and (left[0] / "datapackage.json").is_file()  # a whole package, hidden
    assert left[0].name.startswith(f".neu-import-{killed.pid}-") and not out.exists()
    _aged(left[0])  # the next import runs later, in another process
    import_workbook(book.read_bytes(), out, created="2026-12-01T00:00:00Z")
    assert not left[0].exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["neu", "small", "small.xlsx"]
    assert load_package(out)["partnerships"].height == load_package(tmp_path / "small")["partnerships"].height


@pytest.fixture
def scene(tmp_path) -> dict[str, Path]:
    """A live package after one save, with what killed saves and imports left in its versions
    folder, and what merely looks like it."""
    live = write_package(tmp_path / "paket").parent
    _one_save(live, "music", "Musik")
    versions = tmp_path / "paket.versions"
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "keep.txt").write_text("mine\n")
    made = {
        "old_stage": versions / ".stage-41944000-k2j3h4g5",  # a pid above any kernel's maximum (2**22): gone
        "old_stage_no_pid": versions / ".stage-abc_12de",
        "old_import": versions / ".import-import-41944001-zz99yy88",
        "old_beside": tmp_path / ".paket-import-41944002-q1w2e3r4",
        "young_stage": versions / ".stage-41944003-y0ung000",
        "running_stage": versions / f".stage-{os.getpid()}-runn1ng0",
        "look_alike": versions / ".stage",
        "other_package": tmp_path / ".andere-import-41944004-a1b2c3d4",
        "user_folder": tmp_path / "stage-41944005-notes",
    }
    for name, path in made.items():
        path.mkdir()
        (path / "datapackage.json").write_text("{}")
        if name != "young_stage":
            _aged(path)
    link = versions / ".stage-41944006-l1nk0000"
    link.symlink_to(outside, target_is_directory=True)
    _aged(link)
    made["link"], made["outside"] = link, outside
    return made


def _one_save(live: Path, theme: str, label: str) -> None:
    package = load_package(live)
    row = {"theme_id": theme, "label_de": label, "label_en": label}
    change = Change("change_theme", (Operation("add", "themes", row=row),))
    save(live, package.content_hash, package_text_frames(package), [change], "A")


def test_the_next_save_removes_only_what_gone_processes_left_long_ago(scene, tmp_path):
    _one_save(tmp_path / "paket", "sport", "Sport")
    gone = {"old_stage", "old_stage_no_pid", "old_import", "old_beside", "link"}
    for name, path in scene.items():
        assert (path.exists() or path.is_symlink()) == (name not in gone), name
    assert (scene["outside"] / "keep.txt").read_text() == "mine\n"  # a link is removed, never followed
    assert sorted(p.name for p in (tmp_path / "paket.versions").iterdir() if not p.name.startswith(".")) == [
        "0.0.1-test",
        "0.0.2",
        "0.0.3",
    ]


def test_cleaning_twice_removes_nothing_more_and_a_missing_folder_is_no_error(scene, tmp_path):
    first = clean_leftovers(tmp_path / "paket")
    assert len(first) == 5
    assert clean_leftovers(tmp_path / "paket") == []
    assert clean_leftovers(tmp_path / "nirgends") == []


def test_an_editing_server_cleans_at_start_and_a_reading_one_does_not(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from analysis.package import ENV_VAR

    live = write_package(tmp_path / "paket").parent
    left = tmp_path / ".paket-import-41944007-s1t2a3r4"
    left.mkdir()
    _aged(left)
    monkeypatch.setenv(ENV_VAR, str(live))
    app = str(Path(__file__).resolve().parents[1] / "app.py")
    reader = AppTest.from_file(app, default_timeout=120)
    reader.run()
    assert not reader.exception and left.exists()  # edit mode off: nothing there is touched
    monkeypatch.setenv("PARTNERSHIPS_EDIT", "1")
    editor = AppTest.from_file(app, default_timeout=120)
    editor.run()
    editor.switch_page("views/maintain.py").run()
    assert not editor.exception and not left.exists()


def test_a_command_writing_a_file_removes_what_a_killed_write_of_it_left_and_nothing_else(tmp_path):
    from console.main import main

    package = write_package(tmp_path / "paket")
    out = tmp_path / "liste.xlsx"
    left = _aged_file(tmp_path / ".liste.xlsx.41944008-k1ll3d00.part")
    young = _aged_file(tmp_path / ".liste.xlsx.41944009-y0ung000.part", time.time())
    mine = _aged_file(tmp_path / ".liste.xlsx.notes.part")  # the user's: no process id in its name
    other = _aged_file(tmp_path / ".andere.xlsx.41944010-k1ll3d00.part")  # another file's
    assert main(["workbook", str(package), "--out", str(out)]) == 0
    assert out.is_file() and not left.exists()
    assert young.exists() and mine.exists() and other.exists()


def _aged_file(path: Path, when: float = HOUR_AGO) -> Path:
    path.write_bytes(b"PK")
    return _aged(path, when)
