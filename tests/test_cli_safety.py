"""The command line without surprises: --lang means the same wherever it stands, the locale
chooses German or English, every line is translated, text from data cannot steer a terminal, and
--out is checked before the work (a folder, a missing folder, a file of another kind), with no
traceback and nothing lost."""

from __future__ import annotations

import errno
import json
import os
import re

import pytest
from conftest import BASE_ROWS, small_package_descriptor, write_package
from pypdf import PdfReader

from console.commands import outputs
from console.main import main

RAW_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]")


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    "argv",
    [["--lang", "en", "report"], ["report", "--lang", "en"], ["--lang", "de", "report", "--lang", "en"]],
    ids=["before", "after", "last wins"],
)
def test_lang_before_or_after_the_command_gives_an_english_report(tmp_path, small_package, argv, monkeypatch):
    """Before: --lang before the command was overwritten by the report's own default, German."""
    monkeypatch.setenv("LANG", "de_DE.UTF-8")  # the locale alone would choose German
    out = tmp_path / "report.pdf"
    assert main([*argv, str(small_package), "--as-of", "2025-01-01", "--out", str(out)]) == 0
    assert PdfReader(out).trailer["/Root"]["/Lang"] == "en"


def test_a_german_locale_chooses_german_and_proper_plurals(capsys, tmp_path, monkeypatch):
    history = [*BASE_ROWS["status_history"], ["ghost", "2020-01-01", "year", "active", "", "s2"]]
    bad = write_package(tmp_path / "bad", {"status_history": history})
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    code, out, err = run(capsys, "validate", str(bad))
    assert code == 1 and "Zeile 6, Feld Partnerschaft (partnership_id)" in out
    assert err.endswith(": 1 Problem\n")
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    code, out, err = run(capsys, "validate", str(bad))
    assert err.endswith(": 1 problem\n") and "problem(s)" not in err
    history.append(["ghost2", "2020-01-01", "year", "active", "", "s2"])
    code, _, err = run(
        capsys, "--lang", "de", "validate", str(write_package(tmp_path / "bad2", {"status_history": history}))
    )
    assert err.endswith(": 2 Probleme\n")


def test_diff_speaks_german(capsys, tmp_path, monkeypatch):
    old = write_package(tmp_path / "old")
    rows = [*BASE_ROWS["themes"], ["sport", "Sport", "Sport"]]
    new = write_package(tmp_path / "new", {"themes": rows})
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    code, out, _ = run(capsys, "diff", str(old.parent), str(new.parent))
    assert code == 0
    assert out == (
        "Version: 0.0.1-test -> 0.0.1-test\n"
        "erstellt: 2026-11-21T00:00:00Z -> 2026-11-21T00:00:00Z\n"
        "themes: 1 hinzugefügt, 0 entfernt, 0 geändert\n"
        "  + sport\n"
    )


def test_titles_and_cells_cannot_steer_the_terminal(capsys, tmp_path):
    """Before: validate printed a title holding ESC and BEL raw; it can clear the screen or hide lines."""
    descriptor = small_package_descriptor()
    descriptor["title"] = "Partner\x1b[2J\x1b[1A\x07"  # the validator refuses it; no line prints it raw
    code, out, err = run(capsys, "validate", str(write_package(tmp_path / "p", descriptor=descriptor)))
    assert code == 1 and not RAW_CONTROLS.search(out + err)
    descriptor["title"] = "Partner \u202egnal"  # a valid title that turns the rest of a line around
    code, out, err = run(capsys, "validate", str(write_package(tmp_path / "q", descriptor=descriptor)))
    assert code == 0 and not RAW_CONTROLS.search(out + err)
    assert out.startswith("valid: Partner \\u202egnal 0.0.1-test")  # escaped, still readable
    notes = [list(row) for row in BASE_ROWS["partnerships"]]
    notes[0][5] = "Notiz \u202egnal \u2066x"  # C0 and C1 the validator refuses; these it may not
    old, new = write_package(tmp_path / "old"), write_package(tmp_path / "new", {"partnerships": notes})
    for fmt in ("text", "markdown", "json"):
        code, out, err = run(capsys, "diff", str(old.parent), str(new.parent), "--format", fmt)
        assert not RAW_CONTROLS.search(out + err), fmt
        assert "\\u202egnal \\u2066x" in out
    code, out, _ = run(capsys, "diff", str(old.parent), str(new.parent), "--format", "json")
    assert json.loads(out)["partnerships"]["changed"][0]["new"] == "Notiz \u202egnal \u2066x"  # the value kept


@pytest.mark.parametrize("command", ["export", "report", "workbook"])
def test_out_a_folder_or_a_missing_folder_is_a_message(capsys, tmp_path, small_package, command):
    """Before: export --out DIR and export --out missing/x.csv printed tracebacks."""
    extra = ["--as-of", "2025-01-01"] if command != "workbook" else []
    code, out, err = run(capsys, command, str(small_package), *extra, "--out", str(tmp_path))
    assert (code, out) == (2, "") and err == f"partnerships: '{tmp_path}' is a folder; --out names the file to write\n"
    missing = tmp_path / "missing" / "x.out"
    code, out, err = run(capsys, command, str(small_package), *extra, "--out", str(missing))
    assert (code, out) == (2, "")
    assert err == f"partnerships: cannot write '{missing}': there is no folder '{missing.parent}'\n"


def test_a_file_of_another_kind_is_replaced_only_with_force(capsys, tmp_path, small_package):
    notes = tmp_path / "notes.csv"
    notes.write_text("Meine Notizen\n", encoding="utf-8")
    code, _, err = run(capsys, "export", str(small_package), "--out", str(notes))
    assert code == 2 and "--force" in err
    assert notes.read_text(encoding="utf-8") == "Meine Notizen\n"
    assert run(capsys, "export", str(small_package), "--out", str(notes), "--force")[0] == 0
    assert notes.read_text(encoding="utf-8").startswith("partnership_id,")
    assert run(capsys, "export", str(small_package), "--out", str(notes), "--search", "kartal")[0] == 0  # its own kind
    assert notes.read_text(encoding="utf-8").count("\n") == 2
    book = tmp_path / "book.xlsx"
    book.write_bytes(b"%PDF-1.7 not a workbook")
    assert run(capsys, "workbook", str(small_package), "--out", str(book))[0] == 2
    assert book.read_bytes() == b"%PDF-1.7 not a workbook"


def test_disk_full_is_said_in_words_and_the_old_file_stays(capsys, tmp_path, small_package, monkeypatch):
    target = tmp_path / "view.csv"
    assert run(capsys, "export", str(small_package), "--out", str(target))[0] == 0
    before = target.read_bytes()

    def full(*_):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(outputs, "write_frame", full)
    code, _, err = run(capsys, "--lang", "de", "export", str(small_package), "--out", str(target))
    assert code == 1 and "kein Platz mehr auf dem Datenträger" in err and "Traceback" not in err
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_init_with_an_empty_home_is_a_message(capsys, tmp_path):
    """Before: init --home "" listed 3,377 places."""
    code, out, err = run(capsys, "--lang", "de", "init", "--home", " ", "--out", str(tmp_path / "neu"))
    assert (code, out) == (2, "")
    assert err == "partnerships: --home braucht den Namen einer Gemeinde, z. B. --home Lüdenscheid\n"
    assert not (tmp_path / "neu").exists()


def test_usage_errors_and_help_speak_the_locale_s_language(capsys, monkeypatch):
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    with pytest.raises(SystemExit) as exited:
        main(["export", "--as-of", "31.10.2023"])
    err = capsys.readouterr().err
    assert exited.value.code == 2 and err.startswith("Aufruf: partnerships export")
    assert "partnerships export: Fehler: Angabe --as-of: '31.10.2023' ist kein Datum der Form JJJJ-MM-TT" in err
    with pytest.raises(SystemExit):
        main(["--lang", "en", "restore", "--help"])
    out = capsys.readouterr().out
    assert "make an earlier saved version of a package live again" in out and "positional arguments" in out
    with pytest.raises(SystemExit):
        main(["restore", "--help"])
    out = capsys.readouterr().out
    assert "eine früher gespeicherte Fassung wieder zur gültigen machen" in out and "Optionen:" in out
