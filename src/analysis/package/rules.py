"""The contract's business rules, checked on the typed frames of a package whose tables passed
their Table Schema. Rows count the header as row 1."""

from __future__ import annotations

from datetime import datetime

import polars as pl

from analysis.problems import Problem, row_problems

COORDINATE_RANGES = {"latitude": 90.0, "longitude": 180.0}


def business_rule_problems(frames: dict[str, pl.DataFrame], created: datetime | None) -> list[Problem]:
    """Every break of the contract's business rules."""
    partnerships = frames["partnerships"].with_row_index("row", offset=2)
    history = frames["status_history"].with_row_index("row", offset=2)
    municipalities = frames["municipalities"].with_row_index("row", offset=2)
    problems = row_problems(
        "partnerships",
        partnerships.filter(pl.col("home_id") == pl.col("partner_id")),
        "partner_id",
        "rule_home_is_partner",
    )
    problems += row_problems(
        "partnerships",
        partnerships.join(history.select("partnership_id"), on="partnership_id", how="anti"),
        "partnership_id",
        "rule_no_status",
        lambda row: row,
    )
    problems += row_problems(
        "partnerships",
        partnerships.filter(~pl.struct("home_id", "partner_id", "kind").is_first_distinct()),
        "kind",
        "rule_repeated_partnership",
        lambda row: row,
    )
    if created is not None:
        limit = created.date()
        problems += row_problems(
            "status_history",
            history.filter(pl.col("date") > limit),
            "date",
            "rule_after_created",
            lambda row: {"date": row["date"], "created": limit},
        )
    not_first = {  # a date of month or year precision is written as the first day of its span
        "month": pl.col("date").dt.day() != 1,
        "year": (pl.col("date").dt.day() != 1) | (pl.col("date").dt.month() != 1),
    }
    for precision, broken in not_first.items():
        problems += row_problems(
            "status_history",
            history.filter((pl.col("date_precision") == precision) & broken),
            "date",
            f"rule_{precision}_not_first",
            lambda row: row,
        )
    for field, bound in COORDINATE_RANGES.items():
        # the contract's range holds even where a package leaves out the constraints
        broken = municipalities.filter(~pl.col(field).is_between(-bound, bound) | pl.col(field).is_nan())
        problems += row_problems(
            "municipalities",
            broken,
            field,
            f"rule_{field}_range",
            lambda row, f=field: {"value": row[f]},
        )
    return problems
