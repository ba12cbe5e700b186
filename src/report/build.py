"""Build the Partnerschaftsbericht: Python prepares the data (a JSON file and the charts as SVG),
the typst template `template.typ` sets the type. Offline: vl-convert renders the charts without a
browser and fetches nothing; typst uses the fonts compiled into the package and no system font.

Used by `partnerships report` and by the overview's download button alike.
"""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path

import polars as pl
import typst

from analysis.contract import CONTINENTS, KINDS, STATUSES
from analysis.package import Package
from analysis.questions.enriched import enriched_theme_rows, enriched_view
from analysis.questions.filters import Filters
from analysis.questions.geo import partnership_lines
from analysis.questions.history import status_events
from analysis.questions.network import network_of
from analysis.questions.overview import (
    STALE_YEARS,
    home_city_gaps,
    one_year_before,
    stale_partnerships,
    status_tiles,
)
from analysis.questions.status import current_runs, history_until
from present import chart_files, figures, i18n
from present.i18n import plural, report_text, t
from present.labels import at_precision, theme_names, themes_text, with_labels

TEMPLATE = Path(__file__).with_name("template.typ")
MAX_EVENTS = 300  # status events listed; the status_history.csv download holds all
MAX_ROWS = 500  # partnerships listed; the partnerships CSV download holds all
MAX_GAP_ROWS = 100

# Each filter of analysis.questions.filters.Filters, named by its text in the phrasebook.
FILTER_TEXTS = {
    "homes": "home",
    "statuses": "status",
    "continents": "continent",
    "countries": "country",
    "kinds": "kind",
    "themes": "theme",
    "founded_from": "founded_from",
    "founded_to": "founded_to",
    "search": "search",
}
# The column headings the template reads (as `C.<column>`).
HEADINGS = (
    "home_name partner_name partner_country kind status status_since founded themes "
    "date note source continent last_event years_quiet"
).split()
# The report's labels that the pages use too (the template reads them with the report's own).
SHARED_LABELS = ("as_of", "package", "version", "stand", "filters", "gaps", "sources")


def _filter_lines(package: Package, filters: Filters) -> list[dict[str, str]]:
    """The filters that are set, with names instead of ids, in the current language."""
    english = i18n.lang() == "en"
    homes = dict(zip(package["municipalities"]["municipality_id"], package["municipalities"]["name"], strict=True))
    countries = dict(
        zip(
            package["countries"]["country_code"],
            package["countries"]["name_en" if english else "name_de"],
            strict=True,
        )
    )
    themes = theme_names(package)
    label_of = {
        "homes": lambda v: homes.get(v, v),
        "statuses": lambda v: i18n.status_label(v) if v in STATUSES else v,
        "continents": lambda v: i18n.continent_label(v) if v in CONTINENTS else v,
        "countries": lambda v: countries.get(v, v),
        "kinds": lambda v: i18n.kind_label(v) if v in KINDS else v,
        "themes": lambda v: themes.get(v, v),
    }
    lines = []
    for name, text in FILTER_TEXTS.items():
        value = getattr(filters, name)
        if value in ((), None, ""):
            continue
        shown = ", ".join(label_of[name](v) for v in value) if isinstance(value, tuple) else str(value)
        lines.append({"name": t(text), "value": shown})
    return lines


class _SourceNumbers:
    """Numbers sources in the order they are first cited."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}

    def __call__(self, source_id: str | None) -> int | None:
        if source_id is None:
            return None
        return self.numbers.setdefault(source_id, len(self.numbers) + 1)


def _labelled_view(package: Package, view: pl.DataFrame) -> pl.DataFrame:
    """The view with the place and country names of the current language (English place names in
    English), status, kind and theme labels, and dates at their precision."""
    english = i18n.lang() == "en"
    countries = package["countries"].select("country_code", pl.col("name_en").alias("country_en"))
    names = theme_names(package)
    frame = view.join(
        countries, left_on="partner_country_code", right_on="country_code", how="left", maintain_order="left"
    )
    frame = frame.with_columns(
        (pl.col("partner_name_en").fill_null(pl.col("partner_name")) if english else pl.col("partner_name")).alias(
            "partner"
        ),
        (pl.col("country_en").fill_null(pl.col("partner_country")) if english else pl.col("partner_country")).alias(
            "country"
        ),
        themes_text("themes", names).alias("theme_labels"),
    )
    frame = with_labels(frame)
    frame = at_precision(frame, "status_since", "status_since_precision", "since_text")
    return at_precision(frame, "founded", "founded_precision", "founded_text")


def _status_sources(package: Package, listed: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """partnership_id, source_id: the source of the row that began each listed partnership's
    current status (derived for the listed rows only)."""
    rows = history_until(package["status_history"], as_of).join(
        listed.select("partnership_id"), on="partnership_id", how="semi"
    )
    return current_runs(rows).group_by("partnership_id").agg(pl.col("source_id").first())


def report_data(package: Package, as_of: date, filters: Filters, compare: date, charts_dir: Path) -> dict[str, object]:
    """Everything the template shows, as plain JSON values; the charts are written to CHARTS_DIR
    as SVG files named in the answer."""
    now = enriched_view(package.frames, as_of, filters, with_precision=True, with_coordinates=True)
    before = enriched_view(package.frames, compare, filters)
    tiles = status_tiles(now, before)
    numbers = _SourceNumbers()
    stand = i18n.date_at_precision(package.created.date(), "day") if package.created else "?"
    day = lambda d: i18n.date_at_precision(d, "day")  # noqa: E731

    # the events between the two dates, of the partnerships in either view
    ids = pl.concat([now.select("partnership_id"), before.select("partnership_id")]).unique()
    english = i18n.lang() == "en"
    unfiltered = enriched_view(package.frames, as_of)
    pair_names = (
        unfiltered.select("partnership_id", "home_name", "partner_name", "partner_name_en", "kind")
        .with_columns((pl.len().over("home_name", "partner_name") > 1).alias("ambiguous"))
        .join(ids, on="partnership_id", how="semi")
    )
    events = status_events(package.frames, pair_names, as_of, compare, changes_only=True)
    event_count = events.height
    events = at_precision(events.head(MAX_EVENTS), "date", "date_precision", "date_text")
    event_rows = [
        {
            "date": row["date_text"],
            "partnership": f"{row['home_name']} – "
            f"{(row['partner_name_en'] or row['partner_name']) if english else row['partner_name']}"
            + (f" ({i18n.kind_label(row['kind'])})" if row["ambiguous"] else ""),
            "status": i18n.status_label(row["status"]),
            "note": row["note"] or "",
            "source": numbers(row["source_id"]),
        }
        for row in events.iter_rows(named=True)
    ]

    # the partnerships, each with the source of the event that began its status
    listed = _labelled_view(package, now.head(MAX_ROWS))
    table = listed.join(_status_sources(package, listed, as_of), on="partnership_id", how="left", maintain_order="left")
    partnership_rows = [
        {
            "home": row["home_name"],
            "partner": row["partner"],
            "country": row["country"] or "",
            "kind": row["kind_label"],
            "status": row["status_label"],
            "since": row["since_text"],
            "founded": row["founded_text"],
            "themes": row["theme_labels"] or "",
            "source": numbers(row["source_id"]),
        }
        for row in table.iter_rows(named=True)
    ]

    # strategic gaps
    per_home = home_city_gaps(package.frames, unfiltered, filters)
    gap_rows = [
        {
            "home": f"{row['home_name']}: {plural('continents_without', row['missing'])}",
            "continents": ", ".join(i18n.continent_label(c) for c in row["continents"]),
        }
        for row in per_home.head(MAX_GAP_ROWS).iter_rows(named=True)
    ]
    stale = stale_partnerships(package.frames, now, as_of, STALE_YEARS)
    stale_count = stale.height
    stale = at_precision(stale.head(MAX_GAP_ROWS), "last_event", "last_event_precision", "last_text").join(
        now.select("partnership_id", "partner_name_en"), on="partnership_id", how="left", maintain_order="left"
    )
    stale_rows = [
        {
            "home": row["home_name"],
            "partner": (row["partner_name_en"] or row["partner_name"]) if english else row["partner_name"],
            "status": i18n.status_label(row["status"]),
            "last": row["last_text"],
            "years": row["years_quiet"],
        }
        for row in stale.iter_rows(named=True)
    ]

    # charts, from the dashboard's own figures
    lines = [
        t("chart_as_of", date=day(as_of)),
        t("chart_source", title=package.title, version=package.version, stand=stand),
    ]
    network = network_of(package.frames, now, as_of)
    theme_labels = theme_names(package)
    map_chart, map_caption = figures.map_figure(partnership_lines(now))
    theme_rows = enriched_theme_rows(package.frames, as_of, filters)
    chart_list = [
        ("continent", figures.continent_figure(now)[0], ""),
        ("kind", figures.kind_figure(now)[0], ""),
        ("network", figures.network_figure(network, as_of)[0], t("network_caption")),
        ("themes", figures.themes_figure(theme_rows, theme_labels)[0], "") if theme_rows.height else None,
        ("map", map_chart, map_caption),
    ]
    chart_rows = []
    for name, chart, caption in [c for c in chart_list if c is not None] if now.height else []:
        pdf = chart_files.to_pdf(chart_files.standalone_spec(chart, lines), i18n.lang())
        (charts_dir / f"{name}.pdf").write_bytes(pdf)
        chart_rows.append({"file": f"{name}.pdf", "title": chart_files.chart_title(chart), "caption": caption})

    sources = (
        pl.DataFrame(
            {"source_id": list(numbers.numbers), "number": list(numbers.numbers.values())},
            schema={"source_id": pl.String, "number": pl.Int64},
        )
        .join(package["sources"], on="source_id", how="left")
        .sort("number")
    )
    stamp = as_of.isoformat()
    return {
        "lang": i18n.lang(),
        "title": t("report_title"),
        "labels": {key: t(key) for key in SHARED_LABELS}
        | {key: report_text(key) for key, (german, _) in i18n.REPORT.items() if "{" not in german}
        | {"events_intro": report_text("events_intro", compare=day(compare), as_of=day(as_of))}
        | {
            "columns": {key: i18n.column_label(key) for key in HEADINGS},
            "gaps_continents": t("gaps_continents"),
            "stale": t("stale", years=STALE_YEARS),
            "gaps_none": t("gaps_none"),
            "stale_none": t("stale_none"),
        },
        "package": {"title": package.title, "version": package.version, "stand": stand},
        "as_of": day(as_of),
        "compare": day(compare),
        "filters": _filter_lines(package, filters) or [{"name": "", "value": report_text("no_filters")}],
        "summary": t(
            "summary_v2",
            **{g: i18n.number(n) for g, n in zip(tiles["group"], tiles["now"], strict=True)},
            gap_homes=plural("home_cities", per_home.height),
            stale=plural("open_partnerships", stale_count),
            years=STALE_YEARS,
        ).replace("**", ""),
        "tiles": [
            {
                "label": i18n.group_label(row["group"]),
                "now": i18n.number(row["now"]),
                "before": i18n.number(row["before"]),
                "change": i18n.signed(row["change"]),
            }
            for row in tiles.iter_rows(named=True)
        ],
        "events": event_rows,
        "events_capped": _capped(event_count, MAX_EVENTS, "status_history.csv"),
        "charts": chart_rows,
        "partnerships": partnership_rows,
        "partnerships_intro": report_text("partnerships_intro", n=i18n.number(now.height)),
        "partnerships_capped": _capped(now.height, MAX_ROWS, f"partnerschaften-{stamp}.csv"),
        "gaps": gap_rows,
        "gaps_capped": _capped(per_home.height, MAX_GAP_ROWS, f"partnerschaften-{stamp}.csv"),
        "stale": stale_rows,
        "stale_capped": _capped(stale_count, MAX_GAP_ROWS, "status_history.csv"),
        "sources": [
            {
                "number": row["number"],
                "title": row["title"] or row["source_id"],
                "publisher": row["publisher"] or "",
                "ref": row["document_ref"] or "",
                "url": row["url"] if (row["url"] or "").startswith(("http://", "https://")) else "",
            }
            for row in sources.iter_rows(named=True)
        ],
    }


def _capped(total: int, limit: int, file: str) -> str:
    if total <= limit:
        return ""
    return report_text("capped", shown=i18n.number(limit), total=i18n.number(total), file=file)


def build_report(
    package: Package,
    as_of: date,
    filters: Filters | None = None,
    compare: date | None = None,
    lang: str = "de",
    output_format: str = "pdf",
) -> bytes | list[bytes]:
    """The report as PDF bytes, in LANG ("de" or "en"); COMPARE defaults to a year before AS_OF.
    With OUTPUT_FORMAT "png", one PNG per page instead (for the README's picture)."""
    filters = filters or Filters()
    compare = compare or one_year_before(as_of)
    with i18n.language(lang), tempfile.TemporaryDirectory(prefix="partnerschaftsbericht-") as folder:
        root = Path(folder)
        data = report_data(package, as_of, filters, compare, root)
        (root / "data.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        (root / "report.typ").write_text(TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
        return typst.compile(
            root / "report.typ",
            root=root,
            ignore_system_fonts=True,
            sys_inputs={"data": "data.json"},
            format=output_format,
            ppi=110 if output_format == "png" else None,
        )
