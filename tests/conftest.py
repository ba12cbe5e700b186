"""Shared fixtures: Streamlit's caches emptied for every test, small packages written from rows on
the embedded descriptor."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import streamlit as st

from analysis.package import EMBEDDED_DESCRIPTOR
from devtools.browser import CHROMIUM, StreamlitServer, chromium_options

# A tiny world: Dortmund with two partners, Hagen with one; distances counted by hand below.
BASE_ROWS = {
    "countries": [["DE", "Deutschland", "Germany"], ["FR", "Frankreich", "France"], ["TR", "Türkei", "Turkey"]],
    "municipalities": [
        ["de-dortmund", "Dortmund", "Dortmund", "DE", "Nordrhein-Westfalen", "Europe", "51.5", "7.5", "", "", "", ""],
        ["de-hagen", "Hagen", "Hagen", "DE", "Nordrhein-Westfalen", "Europe", "51.4", "7.5", "", "", "", ""],
        ["fr-amiens", "Amiens", "Amiens", "FR", "", "Europe", "49.9", "2.3", "", "", "", ""],
        ["tr-trabzon", "Trabzon", "Trabzon", "TR", "", "Asia", "41.0", "39.7", "", "", "", ""],
        ["tr-kartal", "Kartal", "Kartal", "TR", "Istanbul", "Asia", "40.9", "29.2", "", "", "", ""],
    ],
    "partnerships": [
        ["dortmund-amiens", "de-dortmund", "fr-amiens", "twinning", "", ""],
        ["dortmund-trabzon", "de-dortmund", "tr-trabzon", "twinning", "", ""],
        ["hagen-kartal", "de-hagen", "tr-kartal", "twinning", "", ""],
    ],
    "status_history": [
        ["dortmund-amiens", "1960-01-01", "year", "active", "signed", "s1", ""],
        ["dortmund-trabzon", "2013-05-01", "month", "in_preparation", "council", "s1", ""],
        ["dortmund-trabzon", "2014-06-12", "day", "active", "signed", "s2", ""],
        ["hagen-kartal", "2021-05-31", "day", "proposed", "letter", "s2", ""],
    ],
    "themes": [["culture", "Kultur", "Culture"], ["economy", "Wirtschaft", "Economy"]],
    "partnership_themes": [["dortmund-amiens", "culture", "s1"], ["hagen-kartal", "economy", "s2"]],
    "sources": [
        ["s1", "Stadt Dortmund: Städtepartnerschaften", "Stadt Dortmund", "", "https://example.org/a", ""],
        ["s2", "Vorlage", "Stadt Hagen", "2024-11-19", "", "Vorlage 1062/2023-1"],
    ],
}


# The test packages' own metadata: a release of the embedded data (a new version, a new
# `created`) changes none of the figures the tests count by hand.
TEST_METADATA = {
    "name": "testpaket",
    "title": "Testpaket",
    "version": "0.0.1-test",
    "created": "2026-11-21T00:00:00Z",
}


def small_package_descriptor() -> dict:
    """The embedded descriptor's resources (the contract's schema) with the tests' own metadata."""
    embedded = json.loads(EMBEDDED_DESCRIPTOR.read_text(encoding="utf-8"))
    return {"profile": embedded["profile"], **TEST_METADATA, "resources": embedded["resources"]}


# Each resource's CSV header: its fields in the contract's order (the rows below are written in it).
HEADERS = {
    resource["name"]: [field["name"] for field in resource["schema"]["fields"]]
    for resource in small_package_descriptor()["resources"]
}


def _with_date_basis(name: str, table: list[list[str]]) -> list[list[str]]:
    """Status rows written without the optional last field, date_basis, get it empty ("event");
    every other row, short or not, is written as given."""
    width = len(HEADERS[name])
    if name != "status_history":
        return table
    return [row + [""] if len(row) == width - 1 else row for row in table]


def write_package(root: Path, rows: dict[str, list[list[str]]] | None = None, descriptor=None) -> Path:
    """Write a package to ROOT: small_package_descriptor() (or DESCRIPTOR) and ROWS (default BASE_ROWS)."""
    rows = {**BASE_ROWS, **(rows or {})}
    (root / "data").mkdir(parents=True, exist_ok=True)
    descriptor = small_package_descriptor() if descriptor is None else descriptor
    (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    for name, table in rows.items():
        with open(root / "data" / f"{name}.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADERS[name])
            writer.writerows(_with_date_basis(name, table))
    return root / "datapackage.json"


def zipped(root: Path, extra: dict[str, bytes] | None = None, prefix: str = "") -> bytes:
    """The package folder ROOT as the bytes of a zip (its files under PREFIX), with EXTRA members
    (name -> bytes) added: what a user uploads."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(root.rglob("*")):
            if file.is_file():
                archive.write(file, prefix + file.relative_to(root).as_posix())
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


@contextmanager
def temporary_package(
    rows: dict[str, list[list[str]]] | None = None, files: dict[str, bytes] | None = None
) -> Iterator[Path]:
    """write_package(ROWS) in a folder of its own, with FILES (resource -> the bytes of its CSV) in
    place of those resources' files; removed afterwards (hypothesis runs a test many times in one
    tmp_path)."""
    with tempfile.TemporaryDirectory() as folder:
        path = write_package(Path(folder) / "p", rows)
        for resource, raw in (files or {}).items():
            (path.parent / "data" / f"{resource}.csv").write_bytes(raw)
        yield path


@pytest.fixture
def small_package(tmp_path: Path) -> Path:
    return write_package(tmp_path / "small")


@pytest.fixture
def embedded_descriptor() -> dict:
    return json.loads(EMBEDDED_DESCRIPTOR.read_text(encoding="utf-8"))


@pytest.fixture
def small_descriptor() -> dict:
    """The descriptor of the small test packages, to break on purpose."""
    return small_package_descriptor()


@pytest.fixture(autouse=True)
def english_locale(monkeypatch):
    """The command line speaks the locale's language: every test reads English unless it asks
    (--lang or its own LANG), whatever the machine's locale."""
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture(autouse=True)
def fresh_caches():
    """Every test starts with Streamlit's caches empty: they outlive an AppTest otherwise."""
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium through Playwright; without one the test skips, in CI it fails."""
    playwright = None
    try:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        browser = playwright.chromium.launch(**chromium_options())
    except Exception as error:  # noqa: BLE001 - any failure to start a browser is reported below
        if playwright is not None:
            playwright.stop()
        message = f"no browser could be started ({CHROMIUM}): {error}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture(scope="module")
def server(browser):
    """`streamlit run` of this app on a free localhost port, for the browser tests of one module."""
    running = StreamlitServer()
    yield running
    running.stop()
