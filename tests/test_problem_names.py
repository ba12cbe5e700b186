"""Problems name resources and fields in the reader's language, the codes beside them (a foreign
key that points nowhere, a value outside its list): on the command line under a German locale and
in the dashboard's problem table; `validate --json` keeps them as codes."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from conftest import BASE_ROWS, write_package
from streamlit.testing.v1 import AppTest

from analysis.package import ENV_VAR
from console.main import main

APP = Path(__file__).resolve().parents[1] / "app.py"


def _broken(tmp_path: Path) -> Path:
    """The small package with a theme row naming a theme that is not there (sport: row 4 of
    partnership_themes) and a status typed in German (aktiv: row 2 of status_history)."""
    rows = copy.deepcopy(BASE_ROWS)
    rows["partnership_themes"].append(["hagen-kartal", "sport", "s2"])
    rows["status_history"][0][3] = "aktiv"
    return write_package(tmp_path / "p", rows)


def test_validate_under_a_german_locale_names_tables_and_fields_in_german(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert main(["validate", str(_broken(tmp_path))]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "Statusverlauf (status_history), Zeile 2, Feld Status (status): 'aktiv' ist keiner der Werte "
        "vorgeschlagen (proposed), in Vorbereitung (in_preparation), aktiv (active), ruhend (paused), "
        "Laufzeit abgelaufen (lapsed), abgelehnt (declined), beendet (ended)",
        "Themen je Partnerschaft (partnership_themes), Zeile 4, Feld Thema (theme_id): "
        "'sport' fehlt in Themen: Thema (themes.theme_id)",
    ]
    assert "2 Probleme" in err


def test_validate_json_keeps_codes(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert main(["validate", "--json", str(_broken(tmp_path))]) == 1
    answer = json.loads(capsys.readouterr().out)
    assert answer["valid"] is False
    first, second = answer["problems"]
    assert (first["resource"], first["row"], first["field"], first["code"]) == (
        "status_history",
        2,
        "status",
        "check_enum",
    )
    assert first["params"]["listed"] == [
        "proposed",
        "in_preparation",
        "active",
        "paused",
        "lapsed",
        "declined",
        "ended",
    ]
    assert {k: second[k] for k in ("resource", "row", "field", "code")} == {
        "resource": "partnership_themes",
        "row": 4,
        "field": "theme_id",
        "code": "check_key_missing",
    }
    assert second["params"] == {"value": "sport", "target": {"resource": "themes", "fields": ["theme_id"]}}
    assert second["message"] == "'sport' fehlt in Themen: Thema (themes.theme_id)"  # the message in the locale's


def test_validate_json_of_a_valid_package(tmp_path, capsys):
    assert main(["validate", "--json", str(write_package(tmp_path / "p"))]) == 0
    assert json.loads(capsys.readouterr().out) == {"valid": True, "problems": []}


def test_the_dashboard_names_the_problems_tables_and_fields_in_german(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(_broken(tmp_path)))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params["lang"] = "de"
    at.run()
    assert not at.exception, at.exception
    [shown] = at.dataframe
    table = shown.value
    assert table["Ressource"].to_list() == [
        "Statusverlauf (status_history)",
        "Themen je Partnerschaft (partnership_themes)",
    ]
    assert table["Feld"].to_list() == ["Status (status)", "Thema (theme_id)"]
    assert table.iloc[1, 3] == "'sport' fehlt in Themen: Thema (themes.theme_id)"
