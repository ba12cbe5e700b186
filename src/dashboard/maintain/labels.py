"""The office's words for the package's rows, fields and values: what the Pflege page's pickers,
forms and change list show instead of ids and codes ("Herne – Beşiktaş: 04.08.2016, aktiv").

Works on the text frames the edit mode keeps (every cell text, dates as ISO text with their
precision beside them), in the current language of present.i18n."""

from __future__ import annotations

from datetime import date

import polars as pl

from present import i18n
from present.i18n import t

Frames = dict[str, pl.DataFrame]


def table_label(resource: str) -> str:
    """A table as the office names it ("Partnerschaften")."""
    return t(f"table_{resource}")


def field_label(field: str) -> str:
    """A field as the office names it ("Internetadresse" for url)."""
    return t(f"field_{field}")


def date_text(value: str | None, precision: str | None) -> str:
    """An ISO date of the text frames at its precision (2016, 11/2024, 04.08.2016)."""
    if not value:
        return ""
    try:
        return i18n.date_at_precision(date.fromisoformat(value), precision or "day")
    except ValueError:
        return value


def value_label(field: str, value: str | None) -> str:
    """A coded value as its label (status, kind, continent, precision); anything else as it is."""
    if value in (None, ""):
        return ""
    if field == "status":
        return i18n.status_label(value)
    if field == "kind":
        return i18n.kind_label(value)
    if field == "continent":
        return i18n.continent_label(value)
    if field == "date_precision":
        return t(f"precision_{value}")
    if field == "date_basis":
        return t(f"date_basis_{value}")
    return value


def _names(frames: Frames) -> dict[str, str]:
    towns = frames["municipalities"]
    return dict(zip(towns["municipality_id"].to_list(), towns["name"].to_list(), strict=True))


_MEMO: dict[tuple, tuple] = {}  # (what, frame ids, language) -> (the frames, the labels)
MEMO_SIZE = 16


def _memo(what: str, frames: list[pl.DataFrame], make):
    """MAKE()'s labels for these very FRAMES (the edit mode replaces a frame, never changes it):
    worked out once, not on every rerun of every tab (at 100,000 partnerships that is seconds)."""
    key = (what, *map(id, frames), i18n.lang())
    found = _MEMO.get(key)
    if found is not None and all(a is b for a, b in zip(found[0], frames, strict=True)):
        return found[1]
    if len(_MEMO) >= MEMO_SIZE:
        _MEMO.pop(next(iter(_MEMO)))
    labels = make()
    _MEMO[key] = (frames, labels)
    return labels


def partnership_labels(frames: Frames) -> dict[str, str]:
    """Each partnership as "Home – Partner", sorted by that; the kind added where two read alike."""
    used = [frames["partnerships"], frames["municipalities"]]
    return _memo("partnerships", used, lambda: _partnership_labels(frames))


def _partnership_labels(frames: Frames) -> dict[str, str]:
    names = _names(frames)
    rows = list(frames["partnerships"].iter_rows(named=True))
    plain = {r["partnership_id"]: f"{names.get(r['home_id'], '?')} – {names.get(r['partner_id'], '?')}" for r in rows}
    seen: dict[str, int] = {}
    for label in plain.values():
        seen[label] = seen.get(label, 0) + 1
    labels = {
        r["partnership_id"]: plain[r["partnership_id"]]
        + (f" ({i18n.kind_label(r['kind'])})" if seen[plain[r["partnership_id"]]] > 1 else "")
        for r in rows
    }
    return dict(sorted(labels.items(), key=lambda item: item[1].casefold()))


def source_label(row: dict) -> str:
    """A source as its title, with publisher and reference: "Vorlage (Stadt Hagen, Vorlage 1062/2023-1)"."""
    more = ", ".join(part for part in (row.get("publisher"), row.get("document_ref")) if part)
    return f"{row.get('title') or '?'} ({more})" if more else str(row.get("title") or "?")


def source_labels(frames: Frames) -> dict[str, str]:
    rows = frames["sources"].iter_rows(named=True)
    return dict(sorted(((r["source_id"], source_label(r)) for r in rows), key=lambda item: item[1].casefold()))


def theme_labels(frames: Frames) -> dict[str, str]:
    column = "label_de" if i18n.lang() == "de" else "label_en"
    themes = frames["themes"]
    return dict(zip(themes["theme_id"].to_list(), themes[column].to_list(), strict=True))


def country_labels(frames: Frames) -> dict[str, str]:
    column = "name_de" if i18n.lang() == "de" else "name_en"
    countries = frames["countries"]
    return dict(zip(countries["country_code"].to_list(), countries[column].to_list(), strict=True))


def row_label(resource: str, row: dict, frames: Frames, pairs: dict[str, str] | None = None) -> str:
    """One row in the office's words, as the row picker lists it and the change list names it
    (PAIRS: partnership_labels(frames), when already at hand)."""
    if resource in ("partnerships", "status_history", "partnership_themes"):
        pair = (pairs if pairs is not None else partnership_labels(frames)).get(row.get("partnership_id"), "?")
    if resource == "partnerships":
        return pair
    if resource == "status_history":
        when = date_text(row.get("date"), row.get("date_precision"))
        return f"{pair}: {when}, {value_label('status', row.get('status'))}"
    if resource == "partnership_themes":
        return f"{pair}: {theme_labels(frames).get(row.get('theme_id'), '?')}"
    if resource == "municipalities":
        country = country_labels(frames).get(row.get("country_code"), row.get("country_code") or "?")
        return f"{row.get('name') or '?'}, {country}"
    if resource == "countries":
        return f"{row.get('name_de' if i18n.lang() == 'de' else 'name_en')} ({row.get('country_code')})"
    if resource == "themes":
        return str(row.get("label_de" if i18n.lang() == "de" else "label_en") or "?")
    if resource == "sources":
        return source_label(row)
    return ", ".join(str(v) for v in row.values() if v)


# the rows a field refers to, by the resource it names: their labels stand for the ids
REFERENCES = {
    "home_id": "municipalities",
    "partner_id": "municipalities",
    "partnership_id": "partnerships",
    "source_id": "sources",
    "theme_id": "themes",
    "country_code": "countries",
}


def reference_labels(field: str, frames: Frames) -> dict[str, str] | None:
    """The rows FIELD refers to, id -> label, or None when it refers to none."""
    resource = REFERENCES.get(field)
    if resource is None:
        return None
    if resource == "partnerships":
        return partnership_labels(frames)
    if resource == "sources":
        return source_labels(frames)
    key = {"municipalities": "municipality_id", "themes": "theme_id", "countries": "country_code"}[resource]
    rows = frames[resource].iter_rows(named=True)
    return dict(sorted(((r[key], row_label(resource, r, frames)) for r in rows), key=lambda item: item[1].casefold()))


def row_labels(resource: str, frames: Frames, key_fields: list[str]) -> dict[tuple, str]:
    """Every row of RESOURCE, its primary key -> its label, sorted by label (the row picker)."""
    used = [frames[name] for name in sorted(frames)]
    return _memo(f"rows-{resource}", used, lambda: _row_labels(resource, frames, key_fields))


def _row_labels(resource: str, frames: Frames, key_fields: list[str]) -> dict[tuple, str]:
    pairs = partnership_labels(frames)
    if resource == "status_history":  # the largest table: its dates written by one expression, not row by row
        events = frames[resource].with_columns(
            i18n.precision_text(pl.col("date").str.to_date(strict=False), pl.col("date_precision"))
            .fill_null(pl.col("date"))
            .alias("_shown")
        )
        labels = {
            tuple(row[k] for k in key_fields): f"{pairs.get(row['partnership_id'], '?')}: {row['_shown'] or ''}, "
            + value_label("status", row["status"])
            for row in events.iter_rows(named=True)
        }
    else:
        labels = {
            tuple(row[k] for k in key_fields): row_label(resource, row, frames, pairs)
            for row in frames[resource].iter_rows(named=True)
        }
    return dict(sorted(labels.items(), key=lambda item: item[1].casefold()))
