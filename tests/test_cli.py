"""The `partnerships` command: exit codes, formats, filters, environment variable."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import openpyxl
import pytest
from conftest import BASE_ROWS, write_package

from analysis.package import ENV_VAR
from console.main import main


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_validate_valid_package_exits_0_with_one_line(capsys, small_package):
    code, out, _ = run(capsys, "validate", str(small_package.parent))
    assert code == 0
    assert out.count("\n") == 1 and out.startswith("valid: ")
    assert "3 partnerships" in out


def test_validate_invalid_package_exits_1_with_one_line_per_problem(capsys, tmp_path):
    history = BASE_ROWS["status_history"] + [
        ["hagen-kartal", "2027-01-01", "day", "active", "", "s2"],
        ["ghost", "2020-01-01", "year", "active", "", "s2"],
    ]
    path = write_package(tmp_path / "bad", {"status_history": history})
    code, out, err = run(capsys, "validate", str(path))
    assert code == 1
    lines = out.strip().splitlines()
    assert len(lines) == 1  # frictionless finds the foreign key; business rules run on a schema-valid package
    assert lines[0].startswith("Status history (status_history), row 7, field Partnership (partnership_id):")
    assert "1 problem" in err


def test_business_rule_problems_are_listed_by_validate(capsys, tmp_path):
    history = BASE_ROWS["status_history"] + [["hagen-kartal", "2027-01-01", "day", "active", "", "s2"]]
    code, out, _ = run(capsys, "validate", str(write_package(tmp_path / "bad", {"status_history": history})))
    assert code == 1
    assert out.strip() == (
        "Status history (status_history), row 6, field Date (date): "
        "2027-01-01 lies after the package's created date 2026-11-21"
    )


def test_validate_not_a_package_exits_2(capsys, tmp_path):
    code, out, err = run(capsys, "validate", str(tmp_path))
    assert (code, out) == (2, "")
    assert "not a data package" in err


def test_export_csv_to_stdout_with_filters(capsys, small_package):
    code, out, _ = run(
        capsys, "export", str(small_package), "--as-of", "2025-01-01", "--home", "de-dortmund", "--status", "active"
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["partnership_id"] for r in rows] == ["dortmund-amiens", "dortmund-trabzon"]
    assert rows[1]["founded"] == "2014-06-12" and rows[1]["status_since"] == "2014-06-12"


def test_export_json_is_an_array_of_row_objects(capsys, small_package):
    code, out, _ = run(
        capsys,
        "export",
        str(small_package),
        "--as-of",
        "2022-01-01",
        "--format",
        "json",
        "--continent",
        "Asia",
        "--kind",
        "twinning",
        "--theme",
        "economy",
    )
    rows = json.loads(out)
    assert code == 0 and isinstance(rows, list)
    assert [(r["partnership_id"], r["status"], r["themes"]) for r in rows] == [("hagen-kartal", "proposed", "economy")]


def test_export_xlsx_needs_out_and_writes_a_workbook(capsys, small_package, tmp_path):
    code, out, err = run(capsys, "export", str(small_package), "--format", "xlsx")
    assert (code, out) == (2, "") and "--format xlsx needs --out FILE" in err
    target = tmp_path / "view.xlsx"
    code, _, _ = run(
        capsys, "export", str(small_package), "--as-of", "2025-01-01", "--format", "xlsx", "--out", str(target)
    )
    sheet = openpyxl.load_workbook(target).active
    values = list(sheet.values)
    assert code == 0
    assert values[0][0] == "partnership_id" and len(values) == 4
    assert [row[0] for row in values[1:]] == ["dortmund-amiens", "dortmund-trabzon", "hagen-kartal"]


def test_export_bad_date_is_a_usage_error(small_package):
    with pytest.raises(SystemExit) as exited:
        main(["export", str(small_package), "--as-of", "31.10.2023"])
    assert exited.value.code == 2


def test_console_script_and_environment_variable(small_package):
    env_run = subprocess.run(
        [sys.executable, "-m", "console.main", "export", "--as-of", "2025-01-01", "--search", "kartal"],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, ENV_VAR: str(small_package)},
        check=False,
    )
    assert env_run.returncode == 0, env_run.stderr
    assert [r["partnership_id"] for r in csv.DictReader(io.StringIO(env_run.stdout))] == ["hagen-kartal"]


def test_validate_with_frictionless_passes_the_embedded_package(capsys):
    # CI runs frictionless' own row-by-row validation of the embedded package through this
    code, out, _ = run(capsys, "validate", "--frictionless")
    assert code == 0 and out.startswith("valid: ")


def test_problems_in_german(capsys, tmp_path):
    rows = [list(row) for row in BASE_ROWS["municipalities"]]
    rows[0][8] = " 5"
    code, out, _ = run(capsys, "--lang", "de", "validate", str(write_package(tmp_path / "p", {"municipalities": rows})))
    assert code == 1
    assert (
        out.strip()
        == "Kommunen (municipalities), Zeile 2, Feld Einwohner (population): ' 5' ist kein Wert vom Typ ganze Zahl"
    )
