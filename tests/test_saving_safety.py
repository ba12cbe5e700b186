"""Edit mode without surprises: a kill between any two steps of a save (the first included) leaves
a live version; version names are checked; the versions folder follows no link; disk full, a
read-only disk and a denied permission are said in words, and nothing is lost."""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import write_package

from analysis.keeping import saving, versions
from analysis.keeping.editing import Change, Operation
from analysis.keeping.saving import Saved, restore, save, saved_versions
from analysis.keeping.workbook import package_text_frames
from analysis.package import load_package
from analysis.problems import PackageInvalid

PAUSED = {
    "partnership_id": "hagen-kartal",
    "date": "2025-03-04",
    "date_precision": "day",
    "status": "paused",
    "note": "Rat lässt ruhen",
    "source_id": "s2",
}


def _paused() -> Change:
    return Change("change_event", (Operation("add", "status_history", row=dict(PAUSED)),))


def _save_once(live: Path, who: str = "Erika Muster", day: str = "2025-03-04") -> Saved:
    package = load_package(live)
    change = Change("change_event", (Operation("add", "status_history", row={**PAUSED, "date": day}),))
    return save(live, package.content_hash, package_text_frames(package), [change], who)


def _events(live: Path) -> int:
    """The live version's status events, counted in its CSV (the version is whole: its descriptor is there)."""
    assert (live / "datapackage.json").is_file()
    return (live / "data" / "status_history.csv").read_text(encoding="utf-8").count("\n") - 1


class Killed(BaseException):
    """Stands for SIGKILL at one step: nothing after it runs (the stage's cleanup may, which a real
    kill would skip; it touches only the stage, never the live folder)."""


STEPS = ("rename", "replace", "symlink", "unlink", "mkdir", "rmdir")


def _save_killed_at(live: Path, kill_at: int, monkeypatch) -> bool:
    """Save with a kill just before the KILL_AT-th change to the file system (every rename, link,
    unlink, mkdir, rmdir and exchange counts); True when it was killed."""
    steps = [0]

    def counted(function):
        def step(*args, **kwargs):
            steps[0] += 1
            if steps[0] == kill_at:
                raise Killed
            return function(*args, **kwargs)

        return step

    with monkeypatch.context() as patched:
        for name in STEPS:
            patched.setattr(os, name, counted(getattr(os, name)))
        patched.setattr(versions, "exchange", counted(versions.exchange))
        try:
            _save_once(live, "Kill Test")
        except Killed:
            return True
    return False


@pytest.mark.parametrize("earlier_saves", [0, 1], ids=["first save", "later save"])
def test_a_kill_between_any_two_steps_of_a_save_leaves_a_live_version(tmp_path, monkeypatch, earlier_saves):
    """Before: the first save renamed the plain folder away and then put the link in its place; a
    kill between the two left no package at the configured path."""
    template = write_package(tmp_path / "template" / "paket").parent
    for _ in range(earlier_saves):
        _save_once(template, "earlier", day="2024-01-02")
    killed_at = []
    for kill_at in range(1, 60):
        live = tmp_path / f"kill-{kill_at}" / "paket"
        shutil.copytree(template.parent, live.parent, symlinks=True)  # a saved package's link stays a link
        events = _events(live)  # 4, or 5 after an earlier save
        killed = _save_killed_at(live, kill_at, monkeypatch)
        if not killed:
            assert load_package(live)["status_history"].height == events + 1
            break
        killed_at.append(kill_at)
        assert _events(live) in (events, events + 1)  # the old version or the new one, whole
        if list(live.parent.glob(".paket.link-*")):  # what the kill left is put away by the next save
            _save_once(live, "retry", day="2025-06-07")
            assert [p.name for p in live.parent.glob(".paket.link-*")] == []
            assert load_package(live)["status_history"].height >= events + 1
    assert len(killed_at) >= 4  # mkdir, rename of the stage, link, swap: each step was killed once


def test_a_long_version_name_is_kept_under_a_short_folder_name(tmp_path):
    descriptor_path = write_package(tmp_path / "paket")
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    descriptor["version"] = "1." + "9" * 300  # a folder name of 300 characters: a traceback before
    descriptor_path.write_text(json.dumps(descriptor), encoding="utf-8")
    live = descriptor_path.parent
    assert isinstance(_save_once(live), Saved)
    kept = saved_versions(live)
    assert len(kept) == 2 and all(len(name) <= 64 for name in kept)


@pytest.mark.parametrize("name", ["x" * 300, "../paket", ".hidden", "a/b", "ä", ""])
def test_restore_of_an_odd_version_name_is_a_problem(tmp_path, name):
    live = write_package(tmp_path / "paket").parent
    _save_once(live)
    with pytest.raises(PackageInvalid) as caught:
        restore(live, name)
    assert [p.code for p in caught.value.problems] == ["restore_unknown_version"]
    assert load_package(live)["status_history"].height == 5


def test_a_link_planted_in_the_versions_folder_is_neither_listed_nor_restored(tmp_path):
    live = write_package(tmp_path / "paket").parent
    _save_once(live)
    other = write_package(tmp_path / "other", {"themes": [["planted", "Untergeschoben", "Planted"]]}).parent
    (live.parent / "paket.versions" / "planted").symlink_to(other)
    assert saved_versions(live) == ["0.0.1-test", "0.1.0"]
    with pytest.raises(PackageInvalid):
        restore(live, "planted")
    assert load_package(live)["themes"]["theme_id"].to_list() == ["culture", "economy"]


@pytest.mark.parametrize(
    "code, words",
    [
        (errno.ENOSPC, "kein Platz mehr auf dem Datenträger"),
        (errno.EROFS, "der Datenträger ist schreibgeschützt"),
        (errno.EACCES, "keine Berechtigung"),
    ],
)
def test_disk_full_read_only_and_denied_are_said_in_words(tmp_path, monkeypatch, code, words):
    live = write_package(tmp_path / "paket").parent
    before = load_package(live).content_hash

    def failing(descriptor, frames, folder):
        (folder / "data").mkdir()
        (folder / "data" / "countries.csv").write_text("half", encoding="utf-8")
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(saving, "write_text_package", failing)
    with pytest.raises(PackageInvalid) as caught:
        _save_once(live)
    (problem,) = caught.value.problems
    assert words in problem.describe("de") and "unverändert" in problem.describe("de")
    assert str(tmp_path) not in problem.describe("de")  # the folder by its name, no server path
    assert load_package(live).content_hash == before
    assert list((live.parent / "paket.versions").glob(".stage-*")) == []


def test_a_version_whose_descriptor_is_a_link_is_not_restored(tmp_path):
    live = write_package(tmp_path / "paket").parent
    _save_once(live)
    other = write_package(tmp_path / "other", {"themes": [["planted", "Untergeschoben", "Planted"]]})
    kept = live.parent / "paket.versions" / "0.0.1-test"
    (kept / "datapackage.json").unlink()
    (kept / "datapackage.json").symlink_to(other)  # the package would be read from elsewhere
    with pytest.raises(PackageInvalid):
        restore(live, "0.0.1-test")
    assert load_package(live)["themes"]["theme_id"].to_list() == ["culture", "economy"]
