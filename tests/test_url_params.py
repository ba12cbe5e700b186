"""A shared link with a value that cannot be used: the page works, names the value it dropped, and
shows what it would show without it (never a traceback, never silently everything)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from apptest_support import rows_shown
from conftest import write_package
from streamlit.config import ShowErrorDetailsConfigOptions
from streamlit.testing.v1 import AppTest

from analysis.package import ENV_VAR

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"


@pytest.fixture
def small(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(write_package(tmp_path / "small")))


def opened(page: str | None = None, **params) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def dropped(at: AppTest) -> list[str]:
    """The values the page says it did not use, as param=value."""
    return [t.value for t in at.text if "=" in t.value and t.value.split("=", 1)[0].isidentifier()]


@pytest.mark.parametrize(
    "param, value",
    [
        ("founded", "1950-²"),  # a superscript two is a digit to str.isdigit, not to int()
        ("founded", "nineteen-fifty"),
        ("asof", "2024-13-01"),  # not a date
        ("asof", "1899-12-31"),  # before the earliest as-of date
        ("asof", "2999-01-01"),  # in the future
        ("home", "de-nirgendwo"),
        ("status", "bogus"),
        ("continent", "Atlantis"),
        ("theme", "nope"),
        ("kind", "penpals"),
        ("country", "XX"),
        ("lang", "fr"),
    ],
)
def test_unusable_link_value_is_named_and_dropped(small, param, value):
    at = opened(**{param: value})
    assert not at.exception, [e.value for e in at.exception]
    assert f"{param}={value}" in dropped(at)
    assert any(param in w.value for w in at.warning)
    # the small package, unfiltered at today's date: all three partnerships are shown (3 tiles' worth)
    assert sum(int(m.value) for m in at.metric) == 3


def test_the_notice_follows_to_other_pages_and_is_in_english_too(small):
    at = opened("views/data.py", founded="1950-²", lang="en")
    assert not at.exception
    assert "founded=1950-²" in dropped(at)
    assert any("A value in the link cannot be used" in w.value for w in at.warning)
    assert rows_shown(at) == 3


def test_a_list_keeps_its_known_ids_and_names_the_unknown(small):
    at = opened(status="active,bogus", asof="2025-01-01")
    assert not at.exception
    assert dropped(at) == ["status=bogus"]
    assert at.multiselect(key="status").value == ["active"]
    assert [m.value for m in at.metric] == ["2", "0", "0", "0"]  # Amiens and Trabzon active, Kartal filtered


def test_the_notice_goes_when_the_user_chooses_anew(small):
    at = opened(status="bogus")
    assert dropped(at) == ["status=bogus"]
    at.multiselect(key="status").set_value(["active"]).run()
    assert dropped(at) == []


def test_page_parameters_are_named_too(small):
    at = opened("views/partnerships.py", p="gibt-es-nicht", asof="2025-01-01")
    assert not at.exception
    assert "p=gibt-es-nicht" in dropped(at)
    overview = opened(cmp="2030-01-01", asof="2025-01-01")
    assert "cmp=2030-01-01" in dropped(overview)  # after the as-of date


def test_a_link_value_is_text_not_markup(small):
    at = opened(home="[klick](javascript:alert(1))")
    assert "home=[klick](javascript:alert(1))" in dropped(at)
    assert all("javascript" not in element.value for element in [*at.markdown, *at.warning, *at.caption])


def test_an_early_as_of_date_keeps_the_comparison_within_its_bounds(small):
    at = opened(asof="1900-01-05")
    assert not at.exception, [e.value for e in at.exception]
    assert at.text_input(key="cmp").value == "05.01.1899"  # a year before, as always (the date field is text)
    assert dropped(at) == []


def test_tracebacks_never_reach_the_browser():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    value = config["client"]["showErrorDetails"]
    assert value == ShowErrorDetailsConfigOptions.NONE
