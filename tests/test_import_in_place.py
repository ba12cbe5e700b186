"""An import replaces the package in one step and never writes into a kept version: into a live
folder the edit mode keeps in versions it becomes the next version, into a plain folder the two
folders are exchanged (notes beside the data stay)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from conftest import write_package

from analysis.keeping.editing import Change, Operation
from analysis.keeping.importing import import_workbook
from analysis.keeping.saving import save, saved_versions
from analysis.keeping.workbook import package_text_frames, write_workbook
from analysis.package import load_package


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _book_with_a_new_theme(live: Path, tmp_path: Path) -> bytes:
    book = write_workbook(load_package(live), tmp_path / "book.xlsx")
    workbook = openpyxl.load_workbook(book)
    sheet = next(ws for ws in workbook.worksheets if ws.title in ("Themen", "themes"))
    sheet.append(["sport", "Sport", "Sport"])
    workbook.save(book)
    return book.read_bytes()


def test_an_import_into_a_versioned_live_folder_is_its_next_version(tmp_path):
    live = write_package(tmp_path / "paket").parent
    package = load_package(live)
    row = {"theme_id": "music", "label_de": "Musik", "label_en": "Music"}
    save(
        live,
        package.content_hash,
        package_text_frames(package),
        [Change("x", (Operation("add", "themes", row=row),))],
        "A",
    )
    kept = live.resolve()
    before = _files(kept)
    data = _book_with_a_new_theme(live, tmp_path)
    imported = import_workbook(data, live, created="2026-12-01T00:00:00Z")
    assert imported.descriptor["version"] == "0.0.3"  # a patch: themes only
    assert _files(kept) == before  # the kept version was not written into
    assert live.is_symlink() and live.resolve() != kept
    assert saved_versions(live) == ["0.0.1-test", "0.0.2", "0.0.3"]
    assert load_package(live)["themes"]["theme_id"].to_list() == ["culture", "economy", "music", "sport"]


def test_an_import_into_a_plain_folder_exchanges_it_whole_and_keeps_notes(tmp_path):
    live = write_package(tmp_path / "paket").parent
    (live / "NOTIZEN.md").write_text("Ratsinfo geprüft\n", encoding="utf-8")
    live.chmod(0o755)
    data = _book_with_a_new_theme(live, tmp_path)
    import_workbook(data, live, created="2026-12-01T00:00:00Z")
    assert not live.is_symlink()
    assert (live / "NOTIZEN.md").read_text(encoding="utf-8") == "Ratsinfo geprüft\n"
    assert live.stat().st_mode & 0o777 == 0o755
    assert load_package(live)["themes"]["theme_id"].to_list() == ["culture", "economy", "sport"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".paket")] == []  # no leftovers
