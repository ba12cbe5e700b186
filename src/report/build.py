"""Build the Partnerschaftsbericht: Python prepares the data (a JSON file and the charts as SVG),
the typst template `template.typ` sets the type. Offline: vl-convert renders the charts without a
browser and fetches nothing; typst uses the fonts compiled into the package and no system font.

Used by `partnerships report` and by the overview's download button alike.
"""

from __future__ import annotations

import io
import json
import tempfile
from datetime import date
from pathlib import Path

import altair as alt
import polars as pl
import typst
from pypdf import PdfReader

from analysis.package import Package
from analysis.questions.enriched import enriched_theme_rows, enriched_view
from analysis.questions.filters import Filters
from analysis.questions.geo import fits_line_map, partnership_lines
from analysis.questions.history import status_events
from analysis.questions.network import network_of
from analysis.questions.overview import (
    STALE_YEARS,
    home_cities,
    home_city_gaps,
    home_view,
    one_year_before,
    stale_partnerships,
    status_tiles,
)
from analysis.questions.status import current_runs, history_until
from analysis.uploaded import UploadedPackage
from present import chart_files, figures, i18n, maps
from present.filter_text import about_lines, download_stem, filter_lines
from present.i18n import report_text, t
from present.labels import at_precision, theme_names, themes_text, with_labels
from present.readable import with_change_text
from present.summary import gap_line, summary_sentence
from sandbox import Limits, WorkerDied, run_untrusted

TEMPLATE = Path(__file__).with_name("template.typ")
MAX_EVENTS = 300  # status events listed; the status_history.csv download holds all
MAX_ROWS = 500  # partnerships listed; the partnerships CSV download holds all
MAX_GAP_ROWS = 100

# The column headings the template reads (as `C.<column>`).
HEADINGS = (
    "home_name partner_name partner_country kind status status_since founded themes "
    "date note source continent last_event years_quiet"
).split()
# The report's labels that the pages use too (the template reads them with the report's own).
SHARED_LABELS = ("as_of", "package", "version", "stand", "filters", "gaps", "sources")


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


def _events(package: Package, now: pl.DataFrame, before: pl.DataFrame, as_of: date, compare: date, numbers) -> dict:
    """What changed between the two dates: changes of status and new partnerships (not the entries
    that confirm a status) of the partnerships in either view, each with its source."""
    english = i18n.lang() == "en"
    ids = pl.concat([now.select("partnership_id"), before.select("partnership_id")]).unique()
    pair_names = (
        enriched_view(package.frames, as_of)
        .select("partnership_id", "home_name", "partner_name", "partner_name_en", "kind")
        .with_columns((pl.len().over("home_name", "partner_name") > 1).alias("ambiguous"))
        .join(ids, on="partnership_id", how="semi")
    )
    events = status_events(package.frames, pair_names, as_of, compare, changes_only=True)
    shown = at_precision(with_change_text(with_labels(events.head(MAX_EVENTS))), "date", "date_precision", "date_text")
    rows = [
        {
            "date": row["date_text"],
            "partnership": f"{row['home_name']} – "
            f"{(row['partner_name_en'] or row['partner_name']) if english else row['partner_name']}"
            + (f" ({i18n.kind_label(row['kind'])})" if row["ambiguous"] else ""),
            "status": row["change_text"],
            "note": row["note"] or "",
            "source": numbers(row["source_id"]),
        }
        for row in shown.iter_rows(named=True)
    ]
    return {"events": rows, "events_capped": _capped(events.height, MAX_EVENTS, "status_history.csv")}


def _partnerships(package: Package, now: pl.DataFrame, as_of: date, filters: Filters, numbers) -> dict:
    """The partnerships, each with the source of the event that began its status."""
    listed = _labelled_view(package, now.head(MAX_ROWS))
    table = listed.join(_status_sources(package, listed, as_of), on="partnership_id", how="left", maintain_order="left")
    rows = [
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
    return {
        "partnerships": rows,
        "partnerships_intro": report_text("partnerships_intro", n=i18n.number(now.height)),
        "partnerships_capped": _capped(now.height, MAX_ROWS, download_stem(package, filters, as_of) + ".csv"),
    }


def _gaps(package: Package, tiles: pl.DataFrame, as_of: date, filters: Filters) -> dict:
    """The summary sentence and the strategic gaps, under the gaps' one rule (of the filters only the
    home city applies: analysis.questions.overview.home_view), as on the overview."""
    english = i18n.lang() == "en"
    unfiltered = enriched_view(package.frames, as_of)
    homes_view = home_view(unfiltered, filters)
    per_home = home_city_gaps(package.frames, unfiltered, filters)
    stale = stale_partnerships(package.frames, homes_view, as_of, STALE_YEARS)
    homes = home_cities(package.frames, filters).height
    shown = at_precision(stale.head(MAX_GAP_ROWS), "last_event", "last_event_precision", "last_text").join(
        homes_view.select("partnership_id", "partner_name_en"), on="partnership_id", how="left", maintain_order="left"
    )
    return {
        "summary": summary_sentence(tiles, per_home, homes, stale.height).replace("**", ""),
        "gaps": [
            {"home": row["home_name"], "continents": gap_line(row).split(": ", 1)[1]}
            for row in per_home.head(MAX_GAP_ROWS).iter_rows(named=True)
        ],
        "gaps_capped": _capped(per_home.height, MAX_GAP_ROWS, download_stem(package, filters, as_of) + ".csv"),
        "stale": [
            {
                "home": row["home_name"],
                "partner": (row["partner_name_en"] or row["partner_name"]) if english else row["partner_name"],
                "status": i18n.status_label(row["status"]),
                "last": row["last_text"],
                "years": row["years_quiet"],
            }
            for row in shown.iter_rows(named=True)
        ],
        "stale_capped": _capped(stale.height, MAX_GAP_ROWS, "status_history.csv"),
    }


NATURAL_SIZE = {"themes"}  # grids the report shows at their own size: sized by their rows and columns
GRID_COLUMN = 40  # pt a grid's column takes in the report


def _charts(package: Package, now: pl.DataFrame, as_of: date, filters: Filters, charts_dir: Path) -> list[dict]:
    """The dashboard's own figures as PDF files in CHARTS_DIR, each with the as-of date, the filters
    and the source below its title."""
    if not now.height:
        return []
    lines = about_lines(package, filters, as_of)
    theme_rows = enriched_theme_rows(package.frames, as_of, filters)
    map_lines = partnership_lines(now)
    chart_list = [
        ("continent", figures.continent_figure(now)[0], ""),
        ("kind", figures.kind_figure(now)[0], ""),
        ("network", figures.network_figure(network_of(package.frames, now, as_of), as_of)[0], t("network_caption")),
        ("themes", figures.themes_figure(theme_rows, theme_names(package))[0], "") if theme_rows.height else None,
        ("map", *maps.map_figure(map_lines)),
        ("europe", *maps.map_figure(map_lines, europe=True)) if fits_line_map(map_lines) else None,
    ]
    rows = []
    for name, chart, caption in [c for c in chart_list if c is not None]:
        if name in NATURAL_SIZE:
            chart = chart.properties(width=alt.Step(GRID_COLUMN))
        pdf = chart_files.to_pdf(chart_files.standalone_spec(chart, lines), i18n.lang())
        (charts_dir / f"{name}.pdf").write_bytes(pdf)
        page_width = float(PdfReader(io.BytesIO(pdf)).pages[0].mediabox.width)
        rows.append(
            {"file": f"{name}.pdf", "title": chart_files.chart_title(chart), "caption": caption, "pt": page_width}
        )
    # The charts fill the page's width; a grid keeps their scale, so that its rows and columns set its
    # size (stretched to the page, one home city's column filled the width and its rows half a page).
    full = max((row["pt"] for row in rows if row["file"][:-4] not in NATURAL_SIZE), default=1.0)
    for row in rows:
        pt = row.pop("pt")
        row["width"] = min(1.0, pt / full) if row["file"][:-4] in NATURAL_SIZE else 1.0
    return rows


def _sources(package: Package, numbers: _SourceNumbers) -> list[dict]:
    """The sources cited, in the order of their numbers."""
    sources = (
        pl.DataFrame(
            {"source_id": list(numbers.numbers), "number": list(numbers.numbers.values())},
            schema={"source_id": pl.String, "number": pl.Int64},
        )
        .join(package["sources"], on="source_id", how="left")
        .sort("number")
    )
    return [
        {
            "number": row["number"],
            "title": row["title"] or row["source_id"],
            "publisher": row["publisher"] or "",
            "ref": row["document_ref"] or "",
            "url": row["url"] if (row["url"] or "").startswith(("http://", "https://")) else "",
        }
        for row in sources.iter_rows(named=True)
    ]


def _labels(as_of: date, compare: date) -> dict:
    """The texts the template reads as L (and its column headings as L.columns)."""
    day = lambda d: i18n.date_at_precision(d, "day")  # noqa: E731
    return (
        {key: t(key) for key in SHARED_LABELS}
        | {key: report_text(key) for key, (german, _) in i18n.REPORT.items() if "{" not in german}
        | {"events_intro": report_text("events_intro", compare=day(compare), as_of=day(as_of))}
        | {
            "columns": {key: i18n.column_label(key) for key in HEADINGS},
            "gaps_continents": t("gaps_continents"),
            "gaps_rule": t("gaps_filters_note"),
            "stale": t("stale", years=STALE_YEARS),
            "gaps_none": t("gaps_none"),
            "stale_none": t("stale_none"),
            "change_status": t("change_status"),
        }
    )


def report_data(package: Package, as_of: date, filters: Filters, compare: date, charts_dir: Path) -> dict[str, object]:
    """Everything the template shows, as plain JSON values, section by section; the charts are
    written to CHARTS_DIR as PDF files named in the answer."""
    now = enriched_view(package.frames, as_of, filters, with_precision=True, with_coordinates=True)
    before = enriched_view(package.frames, compare, filters)
    tiles = status_tiles(now, before)
    numbers = _SourceNumbers()
    stand = i18n.date_at_precision(package.created.date(), "day") if package.created else "?"
    day = lambda d: i18n.date_at_precision(d, "day")  # noqa: E731
    events = _events(package, now, before, as_of, compare, numbers)  # numbers sources in reading order
    partnerships = _partnerships(package, now, as_of, filters, numbers)
    return {
        "lang": i18n.lang(),
        "title": t("report_title"),
        "labels": _labels(as_of, compare),
        "package": {"title": package.title, "version": package.version, "stand": stand},
        "as_of": day(as_of),
        "compare": day(compare),
        "filters": filter_lines(package, filters) or [{"name": "", "value": report_text("no_filters")}],
        "tiles": [
            {
                "label": i18n.group_label(row["group"]),
                "now": i18n.number(row["now"]),
                "before": i18n.number(row["before"]),
                "change": i18n.signed(row["change"]),
            }
            for row in tiles.iter_rows(named=True)
        ],
        **events,
        "charts": _charts(package, now, as_of, filters, charts_dir),
        **partnerships,
        **_gaps(package, tiles, as_of, filters),
        "sources": _sources(package, numbers),
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
    if isinstance(package, UploadedPackage):  # a visitor's own data: the report is made in a worker
        try:
            plain = package.as_plain()
            return run_untrusted(_report_in_worker, plain, as_of, filters, compare, lang, output_format, limits=REPORT)
        except WorkerDied as died:
            raise chart_files.render_failed(lang, died) from None
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


# a report of a visitor's package: its charts and typst in one worker, bounded (see sandbox)
REPORT = Limits(address_space=None, data_bytes=3072 * 2**20, cpu_seconds=120, wall_seconds=150.0)


def _report_in_worker(scratch: Path, package: Package, *args: object) -> bytes | list[bytes]:
    return build_report(package, *args)
