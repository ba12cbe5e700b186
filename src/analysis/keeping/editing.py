"""Changes to a package before they are saved: a change set is a list of changes, each a few row
operations (add a row, remove a row, correct fields of a row) on the package's text frames.

Nothing here checks data by rules of its own: a change set is applied to the text frames and the
result goes through the one validator (`analysis.package.check_text_frames`); its problems
(resource, row, field) are given back to the fields of the form that made the change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import polars as pl

from analysis.keeping.changes import as_text, now_created, package_changes
from analysis.package import check_text_frames
from analysis.problems import Problem


@dataclass(frozen=True)
class Operation:
    """One row operation: "add" ROW to RESOURCE, "remove" the row with KEY, or "update" FIELDS of it."""

    action: str  # "add" | "remove" | "update"
    resource: str
    row: dict = field(default_factory=dict)  # add: the whole row; update: the fields set
    key: dict = field(default_factory=dict)  # remove/update: the primary key of the row


@dataclass(frozen=True)
class Change:
    """What one accepted form submission does, in the words of its form (KIND, a label key)."""

    kind: str
    operations: tuple[Operation, ...]

    def touched(self, keys: dict[str, list[str]]) -> set[tuple[str, tuple]]:
        """The rows this change adds, removes or corrects: (resource, primary key values)."""
        rows = set()
        for op in self.operations:
            source = op.row if op.action == "add" else op.key
            rows.add((op.resource, tuple(str(source.get(k)) for k in keys[op.resource])))
        return rows


def primary_keys(descriptor: dict) -> dict[str, list[str]]:
    """Each resource's primary key fields."""
    keys = {}
    for resource in descriptor["resources"]:
        key = (resource.get("schema") or {}).get("primaryKey") or []
        keys[resource["name"]] = [key] if isinstance(key, str) else list(key)
    return keys


def _matches(key: dict) -> pl.Expr:
    expr = pl.lit(True)
    for name, value in key.items():
        expr = expr & (pl.col(name).is_null() if value is None else pl.col(name).eq(str(value)))
    return expr


def _text_row(frame: pl.DataFrame, row: dict) -> pl.DataFrame:
    """ROW as a one-row text frame with FRAME's columns; empty text is a missing value."""
    values = {c: (None if row.get(c) in (None, "") else str(row[c])) for c in frame.columns}
    return pl.DataFrame([values], schema=dict.fromkeys(frame.columns, pl.String))


def apply_operation(frames: dict[str, pl.DataFrame], op: Operation) -> dict[str, pl.DataFrame]:
    """FRAMES with OP done (a new dict; the frames themselves are never changed in place)."""
    frame = frames[op.resource]
    if op.action == "add":
        changed = pl.concat([frame, _text_row(frame, op.row)], how="vertical")
    elif op.action == "remove":
        changed = frame.filter(~_matches(op.key))
    elif op.action == "update":
        hit = _matches(op.key)
        changed = frame.with_columns(
            pl.when(hit)
            .then(pl.lit(None if value in (None, "") else str(value), dtype=pl.String))
            .otherwise(pl.col(name))
            .alias(name)
            for name, value in op.row.items()
        )
    else:
        raise ValueError(f"unknown operation {op.action}")
    return {**frames, op.resource: changed}


def apply(frames: dict[str, pl.DataFrame], changes: list[Change]) -> dict[str, pl.DataFrame]:
    """FRAMES with every change of the change set applied, in order."""
    for change in changes:
        for op in change.operations:
            frames = apply_operation(frames, op)
    return frames


def dependents(descriptor: dict, frames: dict[str, pl.DataFrame], resource: str, key: dict) -> list[Operation]:
    """The rows that refer to the row KEY of RESOURCE by a foreign key (and, in turn, theirs), as
    the removals that deleting it needs; said to the user before a delete is confirmed."""
    keys = primary_keys(descriptor)
    found: list[Operation] = []
    pending = [(resource, key)]
    seen = set()
    while pending:
        name, row_key = pending.pop()
        for other in descriptor["resources"]:
            for fk in (other.get("schema") or {}).get("foreignKeys") or []:
                ref = fk.get("reference") or {}
                if ref.get("resource") != name:
                    continue
                fields = [fk["fields"]] if isinstance(fk["fields"], str) else fk["fields"]
                ref_fields = [ref["fields"]] if isinstance(ref["fields"], str) else ref["fields"]
                if set(ref_fields) != set(row_key):
                    continue
                match = {f: row_key[r] for f, r in zip(fields, ref_fields, strict=True)}
                rows = frames[other["name"]].filter(_matches(match))
                for row in rows.iter_rows(named=True):
                    dep_key = {k: row[k] for k in keys[other["name"]]}
                    marker = (other["name"], tuple(dep_key.values()))
                    if marker not in seen:
                        seen.add(marker)
                        found.append(Operation("remove", other["name"], key=dep_key))
                        pending.append((other["name"], dep_key))
    return found


def deletion(descriptor: dict, frames: dict[str, pl.DataFrame], resource: str, key: dict) -> Change:
    """Deleting the row KEY of RESOURCE together with every row that depends on it."""
    ops = (*dependents(descriptor, frames, resource, key), Operation("remove", resource, key=key))
    return Change("change_delete", ops)


@dataclass(frozen=True)
class Checked:
    """A change set applied and checked: the text frames, every problem, per operation of the
    last change the problems that fall on its row (for the form's fields), and the typed frames
    the validator made of the text frames (complete only when there is no problem)."""

    frames: dict[str, pl.DataFrame]
    problems: list[Problem]
    at_fields: dict[str, list[Problem]]  # "resource.field" -> problems on the last change's rows
    elsewhere: list[Problem]
    typed: dict[str, pl.DataFrame] = field(default_factory=dict)
    created: str = ""  # the `created` the frames were checked with


def as_saved_now(descriptor: dict) -> dict:
    """DESCRIPTOR as a save now would write it (`created` set to now, see analysis.keeping.saving): a change
    is checked against that, so an event dated after the saved version's `created` but not after
    today is taken, as the save will take it."""
    return {**descriptor, "created": now_created()}


def check_frames(descriptor: dict, frames: dict[str, pl.DataFrame]) -> Checked:
    """Text FRAMES (a change set already applied) checked by the one validator as a save now would."""
    saved_as = as_saved_now(descriptor)
    problems, typed = check_text_frames(saved_as, frames)
    return Checked(frames, problems, {}, list(problems), typed, saved_as["created"])


def _row_numbers(frame: pl.DataFrame, key: dict) -> list[int]:
    """The file row numbers (header = row 1) of the rows with KEY."""
    indexed = frame.with_row_index("_i").filter(_matches(key))
    return [i + 2 for i in indexed["_i"].to_list()]


def check_change(descriptor: dict, frames: dict[str, pl.DataFrame], pending: list[Change], change: Change) -> Checked:
    """PENDING and then CHANGE applied to FRAMES, checked by the one validator; the problems on
    the rows CHANGE adds or corrects are sorted to "resource.field" for the form to show."""
    result = apply(frames, [*pending, change])
    saved_as = as_saved_now(descriptor)
    problems, typed = check_text_frames(saved_as, result)
    keys = primary_keys(descriptor)
    rows: set[tuple[str, int]] = set()
    for op in change.operations:
        if op.action in ("add", "update"):
            key = op.row if op.action == "add" else op.key
            key = {k: key.get(k) for k in keys[op.resource]}
            rows.update((op.resource, n) for n in _row_numbers(result[op.resource], key))
    at_fields: dict[str, list[Problem]] = {}
    elsewhere = []
    for problem in problems:
        if (problem.resource, problem.row) in rows and problem.field:
            at_fields.setdefault(f"{problem.resource}.{problem.field}", []).append(problem)
        else:
            elsewhere.append(problem)
    return Checked(result, problems, at_fields, elsewhere, typed, saved_as["created"])


def described(descriptor: dict, before: dict[str, pl.DataFrame], change: Change, lang: str = "en") -> str:
    """What CHANGE does to BEFORE, in the words of analysis.keeping.changes (rows added, removed, changed),
    its counts in LANG (see in_language)."""
    after = apply(before, [change])
    text = as_text(package_changes(descriptor, before, descriptor, after))
    return in_language("\n".join(line for line in text.splitlines()[2:]), lang)


_SUMMARY = re.compile(r"^(\S+): (\d+) added, (\d+) removed, (\d+) changed$", re.MULTILINE)


def in_language(words: str, lang: str) -> str:
    """A diff in words (analysis.keeping.changes.as_text) with its counts per resource in LANG ("de" or
    "en"); resource names and the rows' keys and values are the data's own."""
    if lang != "de":
        return words
    return _SUMMARY.sub(r"\1: \2 hinzugefügt, \3 entfernt, \4 geändert", words)


@dataclass(frozen=True)
class Rebased:
    """Pending changes moved onto a newer version: those re-applied, and those in conflict."""

    kept: list[Change]
    conflicts: list[Change]


def rebase(
    descriptor: dict, base: dict[str, pl.DataFrame], current: dict[str, pl.DataFrame], pending: list[Change]
) -> Rebased:
    """PENDING (made on BASE) split by whether they touch a row that changed from BASE to CURRENT
    (same resource and primary key): those that do are conflicts, the others are kept."""
    meanwhile = package_changes(descriptor, base, descriptor, current)
    touched: set[tuple[str, tuple]] = set()
    for name, changes in meanwhile.resources.items():
        key = changes.key
        for row in [*changes.added, *changes.removed]:
            touched.add((name, tuple(str(row.get(k)) for k in key)))
        for change in changes.changed:
            touched.add((name, tuple(str(change["key"].get(k)) for k in key)))
    keys = primary_keys(descriptor)
    kept, conflicts = [], []
    for change in pending:
        (conflicts if change.touched(keys) & touched else kept).append(change)
    return Rebased(kept, conflicts)


def typed_row(descriptor: dict, resource_name: str, values: dict) -> tuple[dict, list[Problem]]:
    """What a form typed for one row of RESOURCE_NAME as the CSV text the package holds, read by
    the same rules as a workbook's cells (dates as 25.11.2019, 11/2019 or 2019 with their
    precision; ids and numbers trimmed), and the problems of that reading (field = field name)."""
    from analysis.keeping.typed_cells import Sheet, normalise_cells  # the workbook's reading of typed cells

    resource = next(r for r in descriptor["resources"] if r["name"] == resource_name)
    fields = [f["name"] for f in resource["schema"]["fields"]]
    row = {f: (None if values.get(f) in (None, "") else str(values[f])) for f in fields}
    frame = pl.DataFrame([row], schema=dict.fromkeys(fields, pl.String))
    normal, problems = normalise_cells(resource_name, Sheet(frame, [2]), resource, {f: f for f in fields})
    return normal.drop("_row").row(0, named=True), problems


def place_rows(place, frames: dict[str, pl.DataFrame], typed: str | None = None) -> tuple[str, list[tuple[str, dict]]]:
    """A GeoNames place (analysis.keeping.places.Place) as a new municipality under its German name
    (TYPED when GeoNames knows it so), with its country when the package lacks it (names from
    pycountry and CLDR): its id and the rows to add. Known municipalities (same GeoNames id) are
    reused."""
    from analysis.keeping.places import english_name, german_name
    from analysis.keeping.starter import countries_frame, municipality_row

    municipalities = frames["municipalities"]
    known = municipalities.filter(pl.col("geonames_id").cast(pl.String) == str(place.geonames_id))
    if known.height:
        return known["municipality_id"][0], []
    rows: list[tuple[str, dict]] = []
    if frames["countries"].filter(pl.col("country_code") == place.country_code).is_empty():
        country = countries_frame().filter(pl.col("country_code") == place.country_code)
        if country.height:
            rows.append(("countries", country.row(0, named=True)))
    row = municipality_row(place, german_name(place, typed), english_name(place, typed))
    rows.append(("municipalities", row))
    return row["municipality_id"], rows


def partnership_id_for(home_name: str, partner_name: str) -> str:
    """The id of the partnership of HOME_NAME with PARTNER_NAME: "herne-besiktas"."""
    from analysis.keeping.places import id_words

    return f"{id_words(home_name)}-{id_words(partner_name)}"


def existing_source(sources: pl.DataFrame, row: dict) -> str | None:
    """The id of a source that ROW (a new source, as text) repeats: the same address, or the same
    publisher with the same document reference (else the same title); None when it is new."""

    def same(name: str) -> pl.Expr:
        value = " ".join(str(row.get(name) or "").split()).casefold()
        return pl.col(name).fill_null("").str.strip_chars().str.to_lowercase() == value

    if row.get("url"):
        hit = sources.filter(same("url"))
    elif row.get("publisher") and (row.get("document_ref") or row.get("title")):
        hit = sources.filter(same("publisher") & same("document_ref" if row.get("document_ref") else "title"))
    else:
        return None
    return hit["source_id"][0] if hit.height else None


MAX_ID_WORDS = 8  # words of a source id made from its publisher and reference


def new_source_id(publisher: str, reference: str, title: str, taken: set[str]) -> str:
    """An id for a new source whose form left it empty: its publisher and its document reference
    (else its title) as lower-case ASCII words ("Stadt Dortmund", "Drucksache 12345-26" →
    "stadt-dortmund-drucksache-12345-26"), made unique against TAKEN with -2, -3 …; "" when
    neither publisher nor title was typed (the form then says that they are required)."""
    from analysis.keeping.starter import slug

    if not publisher.strip() and not title.strip():
        return ""
    words = " ".join(part for part in (publisher, reference or title) if part.strip())
    base = "-".join(slug(words).split("-")[:MAX_ID_WORDS])
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate
