"""Frames as a reader sees them, in the current language: the partnerships table, one
partnership's facts, the comparison's facts per city, partnership names, tables of status changes."""

from __future__ import annotations

import polars as pl

from analysis.contract import STATUSES
from analysis.package import Package
from analysis.questions.enriched import ENRICHED_COLUMNS
from present import i18n
from present.labels import at_precision, theme_names, themes_text, with_labels

SAFE_LINK = r"^https?://"
HIDDEN_COLUMNS = {"partnership_id", "home_id", "partner_id", "partner_name_en", "partner_country_code", "sources"}


def readable_view(view: pl.DataFrame, package: Package) -> pl.DataFrame:
    """The enriched view (with precision) as the partnerships table shows it: labelled, German or
    English column names, dates at their precision, theme labels."""
    names = theme_names(package)
    shown = with_labels(view)
    shown = at_precision(shown, "status_since", "status_since_precision")
    shown = at_precision(shown, "founded", "founded_precision")
    shown = shown.with_columns(
        themes_text("themes", names),
        pl.col("status_label").alias("status"),
        pl.col("kind_label").alias("kind"),
        pl.col("continent_label").alias("partner_continent"),
    )
    # the view's columns a reader needs, the ids last
    columns = [c for c in ENRICHED_COLUMNS if c not in HIDDEN_COLUMNS] + ["partnership_id", "sources"]
    return shown.select(columns).rename({c: i18n.column_label(c) for c in columns})


def change_columns(change: bool = False) -> dict[str, str]:
    """The columns of a table of status events (date_text from at_precision), labelled for show_table;
    with CHANGE, the change (change_text from with_change_text) instead of the status. The link comes
    before the long note and source title, so that it shows without scrolling sideways."""
    status = {"change_text": i18n.t("change_status")} if change else {"status_label": i18n.t("status")}
    return {
        "date_text": i18n.column_label("date"),
        "home_name": i18n.column_label("home_name"),
        "partner_name": i18n.column_label("partner_name"),
        **status,
        "url": i18n.column_label("link"),
        "note": i18n.column_label("note"),
        "source_title": i18n.column_label("source"),
    }


def with_change_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Add change_text to status events (status_label from with_labels, previous_status): "aktiv →
    beendet", or "neu: vorgeschlagen" for a partnership's first entry."""
    previous = pl.col("previous_status").replace_strict(
        {s: i18n.status_label(s) for s in STATUSES}, default=pl.col("previous_status")
    )
    return frame.with_columns(
        pl.when(pl.col("previous_status").is_null())
        .then(pl.lit(i18n.t("changes_new") + ": ") + pl.col("status_label"))
        .otherwise(previous + " → " + pl.col("status_label"))
        .alias("change_text")
    )


def link_or_none(frame: pl.DataFrame, column: str = "url") -> pl.DataFrame:
    """Keep only http(s) links clickable; anything else (javascript:, file:) is dropped."""
    return frame.with_columns(
        pl.when(pl.col(column).str.contains(SAFE_LINK)).then(pl.col(column)).otherwise(None).alias(column)
    )


def partnership_facts(row: dict, details: dict) -> pl.DataFrame:
    """field, value: one partnership's facts as two columns of text, from its ROW of the view
    (with precision) and its row of the partnerships resource (DETAILS)."""
    return pl.DataFrame(
        {
            "field": [
                i18n.column_label("status"),
                i18n.column_label("status_since"),
                i18n.column_label("founded"),
                i18n.column_label("kind"),
                i18n.column_label("partner_country"),
                i18n.t("distance"),
                i18n.t("association"),
                i18n.t("notes"),
            ],
            "value": [
                i18n.status_label(row["status"]),
                i18n.date_at_precision(row["status_since"], row["status_since_precision"]),
                i18n.date_at_precision(row["founded"], row["founded_precision"]),
                i18n.kind_label(row["kind"]),
                row["partner_country"] or "",
                f"{i18n.number(row['distance_km'])} km" if row["distance_km"] is not None else "",
                details.get("association") or "",
                details.get("notes") or "",
            ],
        }
    )


def city_facts(per_city: pl.DataFrame) -> pl.DataFrame:
    """Per home city (analysis.questions.comparison.city_figures): the median distance and the oldest and
    newest partnership with its founding date at its precision, as labelled columns."""

    def founded_text(name: str | None, day, precision: str | None) -> str:
        return "" if name is None else f"{name} ({i18n.date_at_precision(day, precision)})"

    return pl.DataFrame(
        {
            i18n.column_label("home_name"): per_city["home_name"],
            # as the detail writes a distance: "2.896 km", a thousands separator and the unit
            i18n.t("median_distance"): [
                "" if km is None else f"{i18n.number(round(km))} km" for km in per_city["median_distance_km"]
            ],
            i18n.t("oldest"): [
                founded_text(*row)
                for row in per_city.select("oldest", "oldest_founded", "oldest_precision").iter_rows()
            ],
            i18n.t("newest"): [
                founded_text(*row)
                for row in per_city.select("newest", "newest_founded", "newest_precision").iter_rows()
            ],
        }
    )


def _paired(view: pl.DataFrame) -> pl.Expr:
    """Whether a row's home city has more than one partnership with its partner (of different kinds)."""
    return pl.len().over("home_name", "partner_name") > 1


def partnership_labels(view: pl.DataFrame) -> dict[str, str]:
    """partnership_id -> "Home – Partner", with the kind added where a pair has several kinds."""
    pairs = view.select("partnership_id", "home_name", "partner_name", "kind").with_columns(
        _paired(view).alias("ambiguous")
    )
    return {
        pid: f"{home} – {partner}" + (f" ({i18n.kind_label(kind)})" if ambiguous else "")
        for pid, home, partner, kind, ambiguous in pairs.iter_rows()
    }


def partner_with_kind(view: pl.DataFrame) -> pl.DataFrame:
    """VIEW with the kind after the partner's name where its home city has several partnerships with
    that partner ("Schytomyr (Solidaritätspartnerschaft)"): a table of events by home and partner
    would otherwise show "aktiv" and "beendet" for one pair on the same day."""
    kinds = {kind: i18n.kind_label(kind) for kind in view["kind"].unique().drop_nulls().to_list()}
    kind_text = pl.col("kind").replace_strict(kinds, default=pl.col("kind"))
    return view.with_columns(
        pl.when(_paired(view))
        .then(pl.format("{} ({})", "partner_name", kind_text))
        .otherwise(pl.col("partner_name"))
        .alias("partner_name")
    )
