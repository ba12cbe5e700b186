"""What the AppTest-based tests share: the app started with URL parameters, the data page, the rows a
table shows. (What a download button delivers is read where a browser saves it: test_e2e_downloads.)"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "app.py"


def app(timeout: float = 60, **params: str | list[str]) -> AppTest:
    """app.py in AppTest with PARAMS in its URL (set before the first run, as a link would)."""
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    for key, value in params.items():
        at.query_params[key] = value
    return at


def data_page(**params: str | list[str]) -> AppTest:
    """The page "Daten & Downloads" after a first run of app.py with PARAMS in its URL."""
    return app(**params).run().switch_page("views/data.py").run()


def rows_shown(at: AppTest) -> int:
    """How many rows the table of partnerships (the one with the partnership's id, headed "ID" as
    the pages head it, or partnership_id) shows."""
    return len(next(d.value for d in at.dataframe if {"ID", "partnership_id"} & set(d.value.columns)))
