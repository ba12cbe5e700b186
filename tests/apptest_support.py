"""What the AppTest-based tests share: the app started with URL parameters. (What a download button
delivers is read where a browser saves it: test_e2e_downloads.)"""

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
