"""Shared fixtures: Streamlit's caches emptied for every test, small packages written from rows on
the embedded descriptor."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import streamlit as st

from analysis.package import EMBEDDED_DESCRIPTOR

HEADERS = {
    "countries": ["country_code", "name_de", "name_en"],
    "municipalities": [
        "municipality_id",
        "name",
        "name_en",
        "country_code",
        "admin_area",
        "continent",
        "latitude",
        "longitude",
        "population",
        "wikidata_id",
        "geonames_id",
        "coordinates_source",
    ],
    "partnerships": ["partnership_id", "home_id", "partner_id", "kind", "association", "notes"],
    "status_history": ["partnership_id", "date", "date_precision", "status", "note", "source_id"],
    "themes": ["theme_id", "label_de", "label_en"],
    "partnership_themes": ["partnership_id", "theme_id", "source_id"],
    "sources": ["source_id", "title", "publisher", "published", "url", "document_ref"],
}

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
        ["dortmund-amiens", "1960-01-01", "year", "active", "signed", "s1"],
        ["dortmund-trabzon", "2013-05-01", "month", "in_preparation", "council", "s1"],
        ["dortmund-trabzon", "2014-06-12", "day", "active", "signed", "s2"],
        ["hagen-kartal", "2021-05-31", "day", "proposed", "letter", "s2"],
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
            writer.writerows(table)
    return root / "datapackage.json"


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
def fresh_caches():
    """Every test starts with Streamlit's caches empty: they outlive an AppTest otherwise."""
    st.cache_data.clear()
    st.cache_resource.clear()
