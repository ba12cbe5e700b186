"""What changed between two versions of a package: rows added, removed and changed (field by
field, matched by primary key), the version bump that follows, and the CHANGELOG.md entry."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

CHANGELOG = "CHANGELOG.md"
CHANGELOG_HEAD = "# Änderungen / Changelog\n\nNeueste zuerst / newest first.\n"
# adding these makes a minor version; any other change a patch
MINOR_RESOURCES = ("partnerships", "status_history")


@dataclass
class ResourceChanges:
    """One resource's changes: whole rows added and removed, single fields changed."""

    key: list[str]
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    changed: list[dict] = field(default_factory=list)  # {"key": {...}, "field", "old", "new"}

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass
class PackageChanges:
    """Two packages' version and created, and the changes of every resource (in NEW's order)."""

    version: tuple[str, str]
    created: tuple[str, str]
    resources: dict[str, ResourceChanges]

    def __bool__(self) -> bool:
        return any(self.resources.values())

    def as_json(self) -> dict:
        """One entry per resource {"added", "removed", "changed"}, plus "version" and "created"."""
        out: dict = {
            "version": {"old": self.version[0], "new": self.version[1]},
            "created": {"old": self.created[0], "new": self.created[1]},
        }
        for name, changes in self.resources.items():
            out[name] = {"added": changes.added, "removed": changes.removed, "changed": changes.changed}
        return out


def _key_of(resource: dict, columns: list[str]) -> list[str]:
    key = (resource.get("schema") or {}).get("primaryKey") or columns
    return [key] if isinstance(key, str) else list(key)


def resource_changes(old: pl.DataFrame, new: pl.DataFrame, key: list[str]) -> ResourceChanges:
    """Rows of NEW not in OLD (added), of OLD not in NEW (removed), and for rows in both every
    field whose text differs (changed). Frames hold text; a missing value is None."""
    changes = ResourceChanges(key)
    old = old.with_row_index("_old_order")
    new = new.with_row_index("_new_order")
    changes.added = new.join(old.select(key), on=key, how="anti", nulls_equal=True).drop("_new_order").to_dicts()
    changes.removed = old.join(new.select(key), on=key, how="anti", nulls_equal=True).drop("_old_order").to_dicts()
    fields = [c for c in new.columns if c not in key and c != "_new_order"]
    both = new.join(old, on=key, how="inner", suffix="_old", nulls_equal=True).sort("_new_order")
    for name in fields:
        previous = f"{name}_old" if f"{name}_old" in both.columns else None
        old_values = pl.col(previous) if previous else pl.lit(None, dtype=pl.String)
        differing = (
            both.filter(pl.col(name).ne_missing(old_values)) if previous else both.filter(pl.col(name).is_not_null())
        )
        for row in differing.select(*key, "_new_order", pl.col(name), old_values.alias("_old")).iter_rows(named=True):
            changes.changed.append(
                {
                    "key": {k: row[k] for k in key},
                    "field": name,
                    "old": row["_old"],
                    "new": row[name],
                    "_o": row["_new_order"],
                }
            )
    # removed fields (in OLD only) count as changed to None
    for name in [c for c in old.columns if c not in new.columns and c not in key and c != "_old_order"]:
        for row in both.filter(pl.col(name).is_not_null()).iter_rows(named=True):
            changes.changed.append(
                {"key": {k: row[k] for k in key}, "field": name, "old": row[name], "new": None, "_o": row["_new_order"]}
            )
    changes.changed.sort(key=lambda change: change["_o"])  # row order of NEW, fields in schema order
    for change in changes.changed:
        del change["_o"]
    return changes


def package_changes(
    old_descriptor: dict,
    old_frames: dict[str, pl.DataFrame],
    new_descriptor: dict,
    new_frames: dict[str, pl.DataFrame],
) -> PackageChanges:
    """The changes from OLD to NEW, resource by resource (NEW's resources, then any only in OLD)."""
    resources = {}
    names = [r["name"] for r in new_descriptor["resources"]]
    names += [r["name"] for r in old_descriptor["resources"] if r["name"] not in names]
    descriptors = {r["name"]: r for r in old_descriptor["resources"]} | {
        r["name"]: r for r in new_descriptor["resources"]
    }
    for name in names:
        new = new_frames.get(name)
        old = old_frames.get(name)
        if new is None:
            new = old.clear()
        if old is None:
            old = new.clear()
        for column in new.columns:
            if column not in old.columns:
                old = old.with_columns(pl.lit(None, dtype=pl.String).alias(column))
        key = _key_of(descriptors[name], new.columns)
        resources[name] = resource_changes(old.cast(pl.String), new.cast(pl.String), key)
    return PackageChanges(
        (str(old_descriptor.get("version", "")), str(new_descriptor.get("version", ""))),
        (str(old_descriptor.get("created", "")), str(new_descriptor.get("created", ""))),
        resources,
    )


def bumped_version(version: str, changes: PackageChanges) -> str:
    """VERSION raised: minor when partnerships or status events were added, patch for any other
    change, unchanged when nothing changed. A version that is not x.y.z starts again at 0.1.0."""
    if not changes:
        return version
    match = re.match(r"^(\d+)\.(\d+)\.(\d+)", version or "")
    if not match:
        return "0.1.0"
    major, minor, patch = (int(part) for part in match.groups())
    if any(changes.resources[name].added for name in MINOR_RESOURCES if name in changes.resources):
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def _value(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _key_text(key: list[str], row: dict) -> str:
    return ", ".join(str(row.get(k)) for k in key)


def _summary(changes: ResourceChanges) -> str:
    return f"{len(changes.added)} added, {len(changes.removed)} removed, {len(changes.changed)} changed"


def _listed(changes: PackageChanges):
    """Per resource with changes: its name, its summary and its rows, each as (kind, key text, the
    field's change or None); added rows first, then removed rows, then changed fields."""
    for name, resource in changes.resources.items():
        if not resource:
            continue
        rows = [("added", _key_text(resource.key, row), None) for row in resource.added]
        rows += [("removed", _key_text(resource.key, row), None) for row in resource.removed]
        rows += [("changed", _key_text(resource.key, change["key"]), change) for change in resource.changed]
        yield name, _summary(resource), rows


TEXT_SIGNS = {"added": "+", "removed": "-", "changed": "~"}
MARKDOWN_WORDS = {"added": "hinzugefügt / added", "removed": "entfernt / removed", "changed": "geändert / changed"}


def as_text(changes: PackageChanges) -> str:
    """Plain text: version and created, then per changed resource its rows (+ added, - removed,
    ~ changed field)."""
    lines = [
        f"version: {changes.version[0]} -> {changes.version[1]}",
        f"created: {changes.created[0]} -> {changes.created[1]}",
    ]
    if not changes:
        lines.append("no changes")
    for name, summary, rows in _listed(changes):
        lines.append(f"{name}: {summary}")
        for kind, key, change in rows:
            detail = f": {change['field']}: {_value(change['old'])} -> {_value(change['new'])}" if change else ""
            lines.append(f"  {TEXT_SIGNS[kind]} {key}{detail}")
    return "\n".join(lines) + "\n"


def _code(text: str) -> str:
    """TEXT as a Markdown code span that its own backticks cannot end."""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def as_markdown(changes: PackageChanges, heading_level: int = 2) -> str:
    """Markdown: a heading with the new version, then per changed resource a list of its rows."""
    hashes = "#" * heading_level
    lines = [
        f"{hashes} {changes.version[1]} ({changes.created[1]})",
        "",
        f"Vorher / before: {changes.version[0]} ({changes.created[0]})",
        "",
    ]
    if not changes:
        lines += ["Keine Änderungen / no changes.", ""]
    for name, summary, rows in _listed(changes):
        lines += [f"{hashes}# {name}: {summary}", ""]
        for kind, key, change in rows:
            detail = (
                f", {change['field']}: {_code(_value(change['old']))} → {_code(_value(change['new']))}"
                if change
                else ""
            )
            lines.append(f"- {MARKDOWN_WORDS[kind]}: {_code(key)}{detail}")
        lines.append("")
    return "\n".join(lines)


def as_json(changes: PackageChanges) -> str:
    return json.dumps(changes.as_json(), ensure_ascii=False, indent=2) + "\n"


def first_version_entry(descriptor: dict, frames: dict[str, pl.DataFrame]) -> str:
    """The changelog entry of a package's first version in a folder: what it holds."""
    lines = [
        f"## {descriptor.get('version', '')} ({descriptor.get('created', '')})",
        "",
        "Erste Fassung in diesem Ordner / first version in this folder:",
        "",
    ]
    lines += [f"- {name}: {frame.height} rows" for name, frame in frames.items()]
    return "\n".join(lines) + "\n"


def prepend_changelog(existing: str | None, entry: str) -> str:
    """CHANGELOG.md with ENTRY on top of the earlier entries (newest first)."""
    body = (existing or "").removeprefix(CHANGELOG_HEAD).lstrip("\n")
    return CHANGELOG_HEAD + "\n" + entry.rstrip("\n") + "\n" + ("\n" + body if body else "")


def now_created() -> str:
    """`created` for a package written now: UTC, to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def changelog_path(descriptor_path: Path) -> Path:
    return descriptor_path.parent / CHANGELOG
