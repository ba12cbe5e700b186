"""The synthetic package generator (`partnerships synth`) and the benchmark's smoke run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from analysis.contract import CONTINENTS
from analysis.package import validate_package
from analysis.synth import synth_countries, write_synthetic_package
from console.main import main

REPO = Path(__file__).resolve().parents[1]
INHABITED = set(CONTINENTS) - {"Antarctica"}


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def read(root: Path, name: str) -> pl.DataFrame:
    return pl.read_csv(root / "data" / f"{name}.csv", infer_schema=False)


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    """2,000 partnerships, seed 7, written through the command line."""
    root = tmp_path_factory.mktemp("synth") / "n2000"
    assert main(["synth", "--partnerships", "2000", "--seed", "7", "--out", str(root)]) == 0
    return root


def test_same_seed_gives_the_same_bytes(tmp_path):
    write_synthetic_package(tmp_path / "a", 300, seed=5)
    write_synthetic_package(tmp_path / "b", 300, seed=5)
    first, second = files(tmp_path / "a"), files(tmp_path / "b")
    assert len(first) == 8  # datapackage.json and seven CSV files
    assert first == second


def test_another_seed_gives_other_rows(tmp_path):
    write_synthetic_package(tmp_path / "a", 300, seed=5)
    write_synthetic_package(tmp_path / "b", 300, seed=6)
    first, second = files(tmp_path / "a"), files(tmp_path / "b")
    assert first["data/status_history.csv"] != second["data/status_history.csv"]
    assert first["data/municipalities.csv"] != second["data/municipalities.csv"]


def test_2000_partnerships_validate(package):
    problems = validate_package(package)
    assert problems == [], "\n".join(str(p) for p in problems[:20])


def test_descriptor_says_synthetic_and_keeps_the_schema(package, embedded_descriptor):
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["resources"] == embedded_descriptor["resources"]
    assert "synthetisch" in descriptor["name"] and "Synthetische" in descriptor["title"]
    assert descriptor["version"] != embedded_descriptor["version"]
    assert descriptor["created"] != embedded_descriptor["created"]
    assert "Synthetic" in descriptor["description"]


def test_counts_and_shape(package):
    partnerships = read(package, "partnerships")
    places = read(package, "municipalities")
    history = read(package, "status_history")
    themes = read(package, "partnership_themes")
    assert partnerships.height == 2000
    assert partnerships["partnership_id"].n_unique() == 2000
    homes = places.filter(pl.col("municipality_id").is_in(partnerships["home_id"].unique().implode()))
    assert 150 <= homes.height <= 250  # about one home per ten partnerships
    assert set(homes["country_code"]) == {"DE"} and set(homes["continent"]) == {"Europe"}
    partners = places.join(partnerships.select(pl.col("partner_id").alias("municipality_id")), on="municipality_id")
    assert set(partners["continent"]) == INHABITED
    assert (partnerships["home_id"] != partnerships["partner_id"]).all()
    assert partnerships.select("home_id", "partner_id", "kind").is_unique().all()
    assert places["name"].str.contains(r"^(Heimatstadt|Partnerstadt) \d+$").all()

    rows_per = history.group_by("partnership_id").len()["len"]
    assert rows_per.min() >= 1 and rows_per.max() <= 5
    assert set(rows_per) == {1, 2, 3, 4, 5}
    themes_per = (
        partnerships.join(themes, on="partnership_id", how="left")
        .group_by("partnership_id")
        .agg(pl.col("theme_id").drop_nulls().len())["theme_id"]
    )
    assert themes_per.min() == 0 and themes_per.max() == 4
    embedded_themes = pl.read_csv(REPO / "datapackage" / "data" / "themes.csv")["theme_id"]
    assert set(themes["theme_id"]) <= set(embedded_themes)


def test_every_row_has_a_source(package):
    sources = read(package, "sources")
    assert 100 <= sources.height <= 400
    assert sources["url"].str.starts_with("https://example.org/").all()
    assert sources["publisher"].is_not_null().all()
    for name in ("status_history", "partnership_themes"):
        cited = read(package, name)["source_id"]
        assert cited.is_not_null().all()
        assert set(cited) <= set(sources["source_id"])


def test_dates_are_written_at_their_precision_and_in_order(package):
    history = read(package, "status_history")
    created = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))["created"][:10]
    assert (history["date"] <= created).all()
    assert history.filter(pl.col("date_precision") == "year")["date"].str.ends_with("-01-01").all()
    assert history.filter(pl.col("date_precision") == "month")["date"].str.ends_with("-01").all()
    assert set(history["date_precision"]) == {"day", "month", "year"}
    in_order = history.group_by("partnership_id", maintain_order=True).agg(
        (pl.col("date").str.to_date().diff().dt.total_days().drop_nulls() > 0).all().alias("ok")
    )
    assert in_order["ok"].all()
    first = history.group_by("partnership_id", maintain_order=True).agg(pl.col("status").first())
    assert set(first["status"]) == {"proposed", "in_preparation", "active"}
    assert {"paused", "ended", "declined"} <= set(history["status"])


def test_benchmark_smoke_run_writes_its_table(tmp_path):
    out = tmp_path / "results"
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--sizes", "1000", "--smoke",
         "--out", str(out), "--cache-dir", str(tmp_path / "cache")],
        capture_output=True, text=True, cwd=REPO, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    table = (out / "bench.md").read_text(encoding="utf-8")
    assert "| 1,000 |" in table and "## Targets" in table
    report = json.loads((out / "bench.json").read_text(encoding="utf-8"))
    assert set(report["sizes"]["1000"]["pages"]) == {
        "overview",
        "partnerships",
        "themes",
        "history",
        "data",
    }


def test_country_table_reads_into_countries_with_land_boxes():
    countries = {country.code: country for country in synth_countries()}
    assert list(countries)[-1] == "DE"  # drawn last: the order is part of "same seed, same bytes"
    laender = [region.admin_area for region in countries["DE"].regions]
    assert len(laender) == 16 and len(set(laender)) == 16
    assert {"Bayern", "Bremen", "Saarland", "Thüringen"} <= set(laender)
    assert all(region.home_weight > 0 for region in countries["DE"].regions)
    assert len(countries["NZ"].regions) == 2  # North and South Island
    others = [region for code, country in countries.items() if code != "DE" for region in country.regions]
    assert all(region.admin_area is None and region.home_weight is None for region in others)
    assert {region.continent for region in others} == INHABITED
    for country in countries.values():
        for lat_from, lat_to, lon_from, lon_to in (region.box for region in country.regions):
            assert -90 < lat_from < lat_to < 90 and -180 < lon_from < lon_to < 180, country.code
