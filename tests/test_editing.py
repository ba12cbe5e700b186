"""Change sets, their checking by the one validator, atomic saves, restore and two editors at once,
on copies of the small test package in tmp_path."""

from __future__ import annotations

import json
from datetime import UTC
from pathlib import Path

import pytest
from conftest import write_package

from analysis.keeping import saving, versions
from analysis.keeping.editing import Change, Operation, apply, check_change, deletion, dependents
from analysis.keeping.saving import Conflict, Saved, restore, save, saved_versions
from analysis.keeping.workbook import package_text_frames
from analysis.package import load_package
from analysis.problems import PackageInvalid
from console.main import main


def _event(partnership="hagen-kartal", day="2025-03-04", precision="day", status="paused", source="s2") -> Change:
    row = {
        "partnership_id": partnership,
        "date": day,
        "date_precision": precision,
        "status": status,
        "note": "Rat lässt ruhen",
        "source_id": source,
    }
    return Change("change_event", (Operation("add", "status_history", row=row),))


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def live(tmp_path) -> Path:
    write_package(tmp_path / "paket")
    return tmp_path / "paket"


def test_apply_adds_removes_and_corrects(live):
    frames = package_text_frames(load_package(live))
    after = apply(
        frames,
        [
            _event(),
            Change("change_correct", (Operation("update", "sources", row={"title": "Neu"}, key={"source_id": "s1"}),)),
            Change(
                "change_theme",
                (
                    Operation(
                        "remove", "partnership_themes", key={"partnership_id": "hagen-kartal", "theme_id": "economy"}
                    ),
                ),
            ),
        ],
    )
    assert after["status_history"].height == 5  # 4 rows in BASE_ROWS + 1
    assert after["sources"].filter(after["sources"]["source_id"] == "s1")["title"].to_list() == ["Neu"]
    assert after["partnership_themes"].height == 1
    assert frames["status_history"].height == 4  # the base is untouched


def test_valid_event_has_no_problems(live):
    package = load_package(live)
    checked = check_change(package.descriptor, package_text_frames(package), [], _event())
    assert checked.problems == []


def test_invalid_event_problems_fall_on_its_fields(live):
    package = load_package(live)
    bad = _event(partnership="nowhere", status="sleeping", source="s9")
    checked = check_change(package.descriptor, package_text_frames(package), [], bad)
    assert set(checked.at_fields) >= {
        "status_history.status",
        "status_history.partnership_id",
        "status_history.source_id",
    }
    assert all(p.message_de for ps in checked.at_fields.values() for p in ps)


def test_dependents_of_a_partnership(live):
    package = load_package(live)
    frames = package_text_frames(package)
    found = dependents(package.descriptor, frames, "partnerships", {"partnership_id": "dortmund-trabzon"})
    # by hand: two status rows of dortmund-trabzon, no theme row
    assert sorted((op.resource, op.key["date"]) for op in found) == [
        ("status_history", "2013-05-01"),
        ("status_history", "2014-06-12"),
    ]
    change = deletion(package.descriptor, frames, "partnerships", {"partnership_id": "dortmund-trabzon"})
    assert check_change(package.descriptor, frames, [], change).problems == []


def test_save_writes_a_new_version_and_keeps_the_old(live):
    before = _files(live)
    package = load_package(live)
    result = save(
        live, package.content_hash, package_text_frames(package), [_event()], "Erika Muster", "2026-11-22T08:00:00Z"
    )
    assert isinstance(result, Saved)
    assert live.is_symlink()
    now = load_package(live)
    assert now.version == "0.1.0"
    assert now.descriptor["created"] == "2026-11-22T08:00:00Z"
    assert now["status_history"].height == 5
    log = (live / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "Erika Muster" in log and "hagen-kartal, 2025-03-04, paused" in log
    assert saved_versions(live) == ["0.0.1-test", "0.1.0"]
    assert _files(live.parent / "paket.versions" / "0.0.1-test") == before


def test_a_save_keeps_the_folders_other_files_and_its_permissions(live):
    """Notes beside the data stay in the live package after a save; the new version folder is as
    readable as the old one (a read-only instance may run as another user)."""
    (live / "RESEARCH-NOTES.md").write_text("Quellenlage: Ratsinfo\n", encoding="utf-8")
    (live / "docs").mkdir()
    (live / "docs" / "brief.txt").write_bytes(b"Brief vom 04.03.2025\n")
    (live / "outside.txt").symlink_to(live.parent / "elsewhere.txt")  # a link is not followed
    (live.parent / "elsewhere.txt").write_text("not part of the package", encoding="utf-8")
    live.chmod(0o755)
    package = load_package(live)
    assert isinstance(save(live, package.content_hash, package_text_frames(package), [_event()], "A"), Saved)
    assert (live / "RESEARCH-NOTES.md").read_text(encoding="utf-8") == "Quellenlage: Ratsinfo\n"
    assert (live / "docs" / "brief.txt").read_bytes() == b"Brief vom 04.03.2025\n"
    assert not (live / "outside.txt").exists()
    assert live.resolve().stat().st_mode & 0o777 == 0o755
    assert load_package(live)["status_history"].height == 5


def test_failure_while_writing_leaves_the_previous_version(live, monkeypatch):
    package = load_package(live)
    before = _files(live)

    def half_written(stage, descriptor, frames, current, entry):
        (stage / "data").mkdir()
        (stage / "data" / "status_history.csv").write_text("broken", encoding="utf-8")
        raise OSError("disk full")

    monkeypatch.setattr(saving, "write_stage", half_written)
    with pytest.raises(PackageInvalid) as caught:  # said in words, not raised as an OSError
        save(live, package.content_hash, package_text_frames(package), [_event()], "x")
    assert [p.code for p in caught.value.problems] == ["save_os_error"]
    assert _files(live) == before
    assert load_package(live).content_hash == package.content_hash
    stages = list((live.parent / "paket.versions").glob(".stage-*"))
    assert stages == []


def test_invalid_change_set_is_not_written(live):
    package = load_package(live)
    before = _files(live)
    with pytest.raises(PackageInvalid):
        save(live, package.content_hash, package_text_frames(package), [_event(source="s9")], "x")
    assert _files(live) == before and not live.is_symlink()


def test_two_editors_second_save_refused_and_rebased(live):
    base = load_package(live)
    frames = package_text_frames(base)
    first = save(live, base.content_hash, frames, [_event()], "A")
    assert isinstance(first, Saved)
    own_source = Change(
        "change_correct", (Operation("update", "sources", row={"title": "Anders"}, key={"source_id": "s1"}),)
    )
    same_row = _event()  # the same primary key as the first editor's row
    second = save(live, base.content_hash, frames, [own_source, same_row], "B")
    assert isinstance(second, Conflict)
    assert second.rebased.kept == [own_source]
    assert second.rebased.conflicts == [same_row]
    assert "hagen-kartal, 2025-03-04, paused" in second.meanwhile
    assert load_package(live)["status_history"].height == 5  # nothing of B written
    third = save(live, second.current.content_hash, package_text_frames(second.current), second.rebased.kept, "B")
    assert isinstance(third, Saved)
    now = load_package(live)
    assert now["sources"].filter(now["sources"]["source_id"] == "s1")["title"].to_list() == ["Anders"]
    assert now["status_history"].height == 5


def test_restore_brings_back_an_earlier_version_exactly(live, capsys):
    before = _files(live)
    package = load_package(live)
    save(live, package.content_hash, package_text_frames(package), [_event()], "A")
    assert _files(live) != before
    assert main(["restore", str(live), "0.0.1-test"]) == 0
    assert _files(live) == before
    assert main(["restore", str(live), "9.9.9"]) != 0
    assert "9.9.9" in capsys.readouterr().out


def test_save_after_restore_does_not_overwrite_a_kept_version(live):
    package = load_package(live)
    save(live, package.content_hash, package_text_frames(package), [_event()], "A")
    restore(live, "0.0.1-test")
    again = load_package(live)
    result = save(live, again.content_hash, package_text_frames(again), [_event(day="2025-04-01")], "A")
    # 0.1.0 is kept (restorable) and names the first save: this one becomes 0.2.0, not a second 0.1.0
    assert result.folder.name == "0.2.0" and result.package.version == "0.2.0"
    assert json.loads((live.parent / "paket.versions" / "0.1.0" / "datapackage.json").read_text())["version"] == "0.1.0"
    assert "Vorher / before: 0.0.1-test" in result.entry


def test_a_geonames_place_brings_its_country_when_missing(live):
    from analysis.keeping.editing import place_rows
    from analysis.keeping.starter import Candidate

    frames = package_text_frames(load_package(live))
    tsukuba = Candidate(2110683, "Tsukuba", "JP", None, 0, 36.2, 140.1, "Asia")  # the values of a Candidate
    municipality_id, rows = place_rows(tsukuba, frames)
    assert municipality_id == "jp-tsukuba"
    assert [name for name, _ in rows] == ["countries", "municipalities"]
    assert rows[0][1] == {"country_code": "JP", "name_de": "Japan", "name_en": "Japan"}
    amiens = Candidate(3037854, "Amiens", "FR", None, 0, 49.9, 2.3, "Europe")
    assert place_rows(amiens, frames)[1][0][0] == "municipalities"  # France is in the package already


def test_only_the_newest_versions_are_kept(live, monkeypatch):
    monkeypatch.setattr(versions, "KEEP_VERSIONS", 2)
    for day in ("2025-03-04", "2025-04-04", "2025-05-04"):
        package = load_package(live)
        assert isinstance(save(live, package.content_hash, package_text_frames(package), [_event(day=day)], "A"), Saved)
    # four versions in all: the two oldest (0.0.1-test, 0.1.0) went; the live 0.3.0 and the one before stay
    assert saved_versions(live) == ["0.2.0", "0.3.0"]
    assert load_package(live).version == "0.3.0"


def test_a_source_id_made_from_publisher_and_reference():
    from analysis.keeping.editing import new_source_id

    assert (
        new_source_id("Stadt Düsseldorf", "Vorlage 1062/2023-1", "", set()) == "stadt-duesseldorf-vorlage-1062-2023-1"
    )
    assert new_source_id("Stadt Hagen", "", "Rat, 4. März", {"stadt-hagen-rat-4-maerz"}) == "stadt-hagen-rat-4-maerz-2"
    assert new_source_id("", "Vorlage 1", "", set()) == ""  # publisher and title are required: said by the form


def test_kept_changes_round_trip_beside_the_package_and_are_forgotten(live):
    from datetime import datetime

    from analysis.keeping import pending

    moment = datetime(2026, 12, 3, 16, 4, tzinfo=UTC)
    changes = [_event(), _event(day="2025-04-01", status="active"), deletion_of_kartal(live)]
    assert pending.keep(live, " Erika  Muster ", "hash-1", changes, moment)
    files = list(pending.pending_folder(live).glob("*.json"))
    assert [f.parent for f in files] == [live.parent / "paket.pending"]  # beside the package, not in it
    assert sorted(p.name for p in live.rglob("*.json")) == ["datapackage.json"]
    kept = pending.kept(live, "Erika Muster")  # the same editor, however the name was spaced
    assert (kept.editor, kept.base_hash, kept.changes, kept.when) == (" Erika  Muster ", "hash-1", changes, moment)
    assert pending.kept(live, "Max Muster") is None  # per editor
    pending.forget(live, "erika muster")
    assert pending.kept(live, "Erika Muster") is None and not list(pending.pending_folder(live).glob("*.json"))


def deletion_of_kartal(live: Path) -> Change:
    return deletion(
        load_package(live).descriptor,
        package_text_frames(load_package(live)),
        "partnerships",
        {"partnership_id": "hagen-kartal"},
    )


def test_kept_changes_are_bounded_and_a_foreign_file_is_none(live, monkeypatch):
    from analysis.keeping import pending

    assert not pending.keep(live, "A", "h", [_event()] * (pending.MAX_CHANGES + 1))  # too many: not kept
    monkeypatch.setattr(pending, "MAX_EDITORS", 3)
    for name in "ABCDE":
        assert pending.keep(live, name, "h", [_event()])
    assert [pending.kept(live, name) is not None for name in "ABCDE"] == [False, False, True, True, True]
    pending._file(live, "C").write_text('{"editor": "C", "changes": [{"kind": 1}]}', encoding="utf-8")
    assert pending.kept(live, "C") is None
    pending._file(live, "D").write_text("not json", encoding="utf-8")
    assert pending.kept(live, "D") is None


def test_a_new_source_that_repeats_one_is_found(live):
    from analysis.keeping.editing import existing_source

    sources = package_text_frames(load_package(live))["sources"]
    # by hand from BASE_ROWS: s1 has the address https://example.org/a, s2 is Stadt Hagen's "Vorlage 1062/2023-1"
    assert existing_source(sources, {"url": "https://example.org/a", "title": "x", "publisher": "y"}) == "s1"
    assert existing_source(sources, {"publisher": "stadt hagen ", "document_ref": "Vorlage 1062/2023-1"}) == "s2"
    assert existing_source(sources, {"publisher": "Stadt Hagen", "document_ref": "Vorlage 7/2024"}) is None
    assert existing_source(sources, {"publisher": "Stadt Hagen", "title": "Vorlage"}) == "s2"


def test_partnership_ids_from_names():
    from analysis.keeping.editing import partnership_id_for

    assert partnership_id_for("Herne", "Beşiktaş") == "herne-besiktas"
    assert partnership_id_for("Köln", "L'Haÿ-les-Roses") == "koeln-l-hay-les-roses"
