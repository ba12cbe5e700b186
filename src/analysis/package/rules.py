"""The contract's business rules, checked on the typed frames of a package whose tables passed
their Table Schema. Rows count the header as row 1."""

from __future__ import annotations

from datetime import datetime

import polars as pl

from analysis.package.reader import row_problems
from analysis.problems import Problem

COORDINATE_RANGES = {"latitude": 90.0, "longitude": 180.0}
PRECISION_DE = {"month": "den Monat", "year": "das Jahr"}
FIRST_OF = {  # how a date of that precision is written, in English and German
    "month": ("write it as the first of its month", "als Ersten des Monats schreiben"),
    "year": ("write it as the first of January", "als 1. Januar schreiben"),
}


def business_rule_problems(frames: dict[str, pl.DataFrame], created: datetime | None) -> list[Problem]:
    """Every break of the contract's business rules."""
    partnerships = frames["partnerships"].with_row_index("row", offset=2)
    history = frames["status_history"].with_row_index("row", offset=2)
    municipalities = frames["municipalities"].with_row_index("row", offset=2)
    problems = row_problems(
        "partnerships",
        partnerships.filter(pl.col("home_id") == pl.col("partner_id")),
        "partner_id",
        lambda _: "home_id and partner_id are the same",
        lambda _: "home_id und partner_id sind gleich",
    )
    problems += row_problems(
        "partnerships",
        partnerships.join(history.select("partnership_id"), on="partnership_id", how="anti"),
        "partnership_id",
        lambda row: f"partnership '{row['partnership_id']}' has no status_history row",
        lambda row: f"die Partnerschaft '{row['partnership_id']}' hat keine Zeile in status_history",
    )
    problems += row_problems(
        "partnerships",
        partnerships.filter(~pl.struct("home_id", "partner_id", "kind").is_first_distinct()),
        "kind",
        lambda row: f"({row['home_id']}, {row['partner_id']}, {row['kind']}) is already listed above",
        lambda row: f"({row['home_id']}, {row['partner_id']}, {row['kind']}) steht schon weiter oben",
    )
    if created is not None:
        limit = created.date()
        problems += row_problems(
            "status_history",
            history.filter(pl.col("date") > limit),
            "date",
            lambda row: f"{row['date']} lies after the package's created date {limit}",
            lambda row: f"{row['date']} liegt nach dem Erstellungsdatum des Pakets ({limit})",
        )
    problems += row_problems(
        "status_history",
        history.filter(
            ((pl.col("date_precision") == "month") & (pl.col("date").dt.day() != 1))
            | (
                (pl.col("date_precision") == "year")
                & ((pl.col("date").dt.day() != 1) | (pl.col("date").dt.month() != 1))
            )
        ),
        "date",
        lambda row: f"{row['date']} is of {row['date_precision']} precision: {FIRST_OF[row['date_precision']][0]}",
        lambda row: (
            f"{row['date']} ist auf {PRECISION_DE[row['date_precision']]} genau: {FIRST_OF[row['date_precision']][1]}"
        ),
    )
    for field, bound in COORDINATE_RANGES.items():
        # the contract's range holds even where a package leaves out the constraints
        broken = municipalities.filter(~pl.col(field).is_between(-bound, bound) | pl.col(field).is_nan())
        problems += row_problems(
            "municipalities",
            broken,
            field,
            lambda row, f=field, b=bound: f"{row[f]} is no {f} (from -{b:g} to {b:g})",
            lambda row, f=field, b=bound: f"{row[f]} ist keine gültige Angabe für {f} (von -{b:g} bis {b:g})",
        )
    return problems
