"""The dashboard with bad and hostile data: uploads, sessions apart, packages changing on disk,
text from data that looks like markup."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from apptest_support import data_page, rows_shown
from conftest import BASE_ROWS, write_package, zipped
from streamlit.testing.v1 import AppTest

from analysis.package import ENV_VAR

APP = Path(__file__).resolve().parents[1] / "app.py"
EMBEDDED_ACTIVE = None  # read from the first run, compared across sessions


def sidebar_text(at: AppTest) -> str:
    return " ".join(t.value for t in at.sidebar.text) + " " + " ".join(c.value for c in at.sidebar.caption)


def test_upload_is_used_for_this_session_only_and_can_be_dropped(tmp_path):
    own = zipped(write_package(tmp_path / "own").parent)
    first, second = data_page(asof="2025-01-01"), data_page(asof="2025-01-01")
    embedded_rows = rows_shown(first)
    assert embedded_rows > 3

    first.file_uploader(key="upload").set_value(("mein-paket.zip", own, "application/zip")).run()
    assert not first.exception, [e.value for e in first.exception]
    assert rows_shown(first) == 3  # the small package: Amiens, Trabzon, Kartal
    assert "Eigene Daten" in sidebar_text(first)

    second.run()  # the other session goes on with the embedded data
    assert rows_shown(second) == embedded_rows
    assert "Eigene Daten" not in sidebar_text(second)

    first.button(key="back_to_embedded").click().run()
    assert rows_shown(first) == embedded_rows


@pytest.mark.parametrize(
    "payload, expected",
    [
        (b"not a zip at all", "kein ZIP-Archiv"),
        (None, "führt aus dem Paketordner hinaus"),
    ],
)
def test_refused_upload_says_why_and_shows_nothing_of_it(tmp_path, payload, expected):
    if payload is None:
        payload = zipped(write_package(tmp_path / "own").parent, {"../../evil.txt": b"x"})
    at = data_page(asof="2025-01-01")
    embedded_rows = rows_shown(at)
    at.file_uploader(key="upload").set_value(("paket.zip", payload, "application/zip")).run()
    assert not at.exception
    assert at.error[0].value == "Hochladen abgelehnt."
    assert any(expected in t.value for t in at.text)
    assert rows_shown(at) == embedded_rows


def test_invalid_upload_lists_resource_row_field_message(tmp_path):
    history = BASE_ROWS["status_history"] + [["hagen-kartal", "2030-01-01", "day", "active", "", "s2"]]
    bad = zipped(write_package(tmp_path / "bad", {"status_history": history}).parent)
    at = data_page(asof="2025-01-01", lang="en")
    embedded_rows = rows_shown(at)
    at.file_uploader(key="upload").set_value(("bad.zip", bad, "application/zip")).run()
    assert not at.exception
    assert at.error[0].value.startswith("The uploaded data package is invalid")
    problems = next(d.value for d in at.dataframe if "Message" in d.value.columns)
    assert problems.iloc[0].tolist()[:3] == ["Status history (status_history)", 6, "Date (date)"]
    assert "2030-01-01 lies after" in problems.iloc[0]["Message"]
    assert rows_shown(at) == embedded_rows


def test_package_changed_on_disk_shows_new_version_or_keeps_last_valid(tmp_path, monkeypatch):
    path = write_package(tmp_path / "live")
    monkeypatch.setenv(ENV_VAR, str(path))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["asof"] = "2025-01-01"
    at.run()
    assert at.metric[0].value == "2"

    partnerships = BASE_ROWS["partnerships"] + [["hagen-amiens", "de-hagen", "fr-amiens", "friendship", "", ""]]
    history = BASE_ROWS["status_history"] + [["hagen-amiens", "2024-05-01", "month", "active", "", "s1"]]
    write_package(tmp_path / "live", {"partnerships": partnerships, "status_history": history})
    at.run()
    assert at.metric[0].value == "3" and not at.warning

    broken = copy.deepcopy(history) + [["ghost", "2024-05-01", "month", "active", "", "s1"]]
    write_package(tmp_path / "live", {"partnerships": partnerships, "status_history": broken})
    at.run()
    assert not at.exception
    assert at.metric[0].value == "3"  # the last valid version
    assert "ungültig" in at.warning[0].value


def test_invalid_package_at_start_says_so_and_shows_no_data(tmp_path, monkeypatch):
    history = BASE_ROWS["status_history"] + [["ghost", "2024-05-01", "month", "active", "", "s1"]]
    monkeypatch.setenv(ENV_VAR, str(write_package(tmp_path / "bad", {"status_history": history})))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    assert "ungültig" in at.error[0].value
    assert len(at.metric) == 0 and not at.get("vega_lite_chart")


HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[klick](javascript:alert(1))",
    "![](http://127.0.0.1:9/pixel.png)",
]


def test_text_from_data_is_never_markup(tmp_path, monkeypatch):
    municipalities = copy.deepcopy(BASE_ROWS["municipalities"])
    for index, text in enumerate(HOSTILE[:3]):
        municipalities[2 + index][1] = text  # partner names
    partnerships = copy.deepcopy(BASE_ROWS["partnerships"])
    partnerships[0][5] = HOSTILE[3]  # notes
    history = copy.deepcopy(BASE_ROWS["status_history"])
    history[0][4] = HOSTILE[0]  # a note
    sources = copy.deepcopy(BASE_ROWS["sources"])
    sources[0][4] = "javascript:alert(1)"
    path = write_package(
        tmp_path / "hostile",
        {"municipalities": municipalities, "partnerships": partnerships, "status_history": history, "sources": sources},
    )
    monkeypatch.setenv(ENV_VAR, str(path))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["asof"] = "2025-01-01"
    at.query_params["p"] = "dortmund-amiens"
    at.run()
    pages = ["views/partnerships.py", "views/themes.py", "views/history.py", "views/data.py"]
    seen_in_tables = set()
    for page in [None, *pages]:
        if page:
            at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
        markup_elements = [*at.markdown, *at.caption, *at.title, *at.header, *at.subheader, *at.error, *at.info]
        for element in markup_elements:
            for text in HOSTILE:
                assert text not in element.value, (page, element.value)
        for frame in at.dataframe:
            flat = frame.value.astype(str).to_numpy().ravel().tolist()
            seen_in_tables |= {text for text in HOSTILE if text in flat}
            assert "javascript:alert(1)" not in flat  # links are only http(s)
    assert seen_in_tables == set(HOSTILE)  # shown literally, as table text
