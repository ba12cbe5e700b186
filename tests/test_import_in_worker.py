"""`partnerships import` reads the workbook in the sandbox's worker, as an upload is read: a hostile
workbook gives a message in the user's language, never a traceback or an abort of the command, and
nothing is written."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import write_package

import analysis.uploaded
from analysis.keeping.importing import import_workbook
from analysis.keeping.workbook import write_workbook
from analysis.package import load_package
from analysis.package.upload import UploadRefused
from console.main import main
from sandbox import Limits

FAR = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
SRC = Path(__file__).resolve().parents[1] / "src"


@pytest.fixture
def small_book(tmp_path) -> Path:
    return write_workbook(load_package(write_package(tmp_path / "small")), tmp_path / "small.xlsx")


def _far_corner(book: Path, target: Path) -> Path:
    """BOOK with one cell at the sheet's far corner (XFD1048576) in its second sheet."""
    source, buffer = zipfile.ZipFile(book), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":
                content = content.replace(b"</sheetData>", FAR)
            out.writestr(info.filename, content)
    target.write_bytes(buffer.getvalue())
    return target


def test_the_far_corner_workbook_is_a_message_in_german_and_nothing_is_written(small_book, tmp_path):
    book = _far_corner(small_book, tmp_path / "fern.xlsx")
    assert book.stat().st_size < 50_000  # tens of kB that would ask calamine for hundreds of GB
    out = tmp_path / "neu"
    env = {**os.environ, "LANG": "de_DE.UTF-8", "LC_ALL": "", "PYTHONPATH": str(SRC)}
    env.pop("LANGUAGE", None)
    done = subprocess.run(
        [sys.executable, "-m", "console", "import", str(book), "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert "1 Problem" in done.stderr
    assert "Zellen" in done.stdout  # the sheet's span, in German
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".neu-import-")]


def test_a_worker_that_dies_reading_the_workbook_is_a_refusal_and_nothing_is_written(small_book, tmp_path):
    out = tmp_path / "neu"
    with pytest.raises(UploadRefused) as refused:
        import_workbook(small_book.read_bytes(), out, name="liste.xlsx", limits=Limits(wall_seconds=0.01))
    assert refused.value.code == "worker_time" and refused.value.params == {"name": "liste.xlsx"}
    assert not out.exists()


def test_the_command_says_the_workbook_could_not_be_read(small_book, tmp_path, monkeypatch, capsys):
    # the worker given no time at all: it is ended, as one that a hostile workbook kills would be
    monkeypatch.setattr(analysis.uploaded, "IMPORT_LIMITS", Limits(wall_seconds=0.01))
    out = tmp_path / "neu"
    code = main(["--lang", "de", "import", str(small_book), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert "Die Datei konnte nicht gelesen werden: „small.xlsx“" in err
    assert str(tmp_path) not in err.replace(str(small_book), "")
    assert not out.exists()


def test_a_valid_workbook_imported_through_the_worker_is_the_same_package(small_book, tmp_path):
    out = tmp_path / "neu"
    import_workbook(small_book.read_bytes(), out, created="2026-12-01T00:00:00Z")
    original, imported = load_package(small_book.parent / "small"), load_package(out)
    for name, frame in original.frames.items():
        assert imported[name].equals(frame), name
