"""Kept changes against what others saved since: the rows changed meanwhile, by whom and how, are
found among the kept versions; a kept change on such a row is not carried over."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import write_package

from analysis.keeping.editing import Change, Operation
from analysis.keeping.meanwhile import carried_over, rows_changed_since
from analysis.keeping.saving import save
from analysis.keeping.workbook import package_text_frames
from analysis.package import load_package

EVENT_KEY = {"partnership_id": "hagen-kartal", "date": "2021-05-31", "status": "proposed"}


def _note(text: str) -> Change:
    return Change("change_correct", (Operation("update", "status_history", row={"note": text}, key=EVENT_KEY),))


def _saved(live: Path, change: Change, who: str) -> None:
    package = load_package(live)
    save(live, package.content_hash, package_text_frames(package), [change], who)


def test_a_kept_change_on_a_row_saved_meanwhile_is_held_back_with_who_and_what(tmp_path):
    live = write_package(tmp_path / "paket").parent
    _saved(
        live,
        Change(
            "change_theme",
            (Operation("add", "themes", row={"theme_id": "sport", "label_de": "Sport", "label_en": "Sport"}),),
        ),
        "Anna",
    )
    base = load_package(live)
    mine = [
        _note("Brief des Bürgermeisters"),
        Change(
            "change_correct", (Operation("update", "themes", row={"label_de": "Sportlich"}, key={"theme_id": "sport"}),)
        ),
    ]
    _saved(live, _note("Schreiben des Rates"), "Max Muster")
    carried = carried_over(live, base.descriptor, base.content_hash, mine)
    assert carried.kept == [mine[1]]
    [(change, [row])] = carried.conflicts
    assert change == mine[0]
    assert (row.resource, row.key, row.what, row.who, row.version) == (
        "status_history",
        EVENT_KEY,
        "changed",
        "Max Muster",
        "0.0.3",
    )
    assert row.fields == {"note": ("letter", "Schreiben des Rates")}
    assert row.row["note"] == "Schreiben des Rates"


def test_saves_after_the_base_are_all_walked_and_the_newest_author_names_a_row(tmp_path):
    live = write_package(tmp_path / "paket").parent
    base = load_package(live)
    _saved(live, _note("erst"), "A")
    _saved(live, _note("dann"), "B")
    [row] = rows_changed_since(live, base.content_hash)
    assert (row.who, row.version, row.fields) == ("B", "0.0.3", {"note": ("erst", "dann")})


def test_a_base_no_longer_kept_is_none(tmp_path):
    live = write_package(tmp_path / "paket").parent
    base = load_package(live)
    _saved(live, _note("erst"), "A")
    shutil.rmtree(tmp_path / "paket.versions" / "0.0.1-test")
    assert rows_changed_since(live, base.content_hash) is None
    assert carried_over(live, base.descriptor, base.content_hash, [_note("x")]) is None
