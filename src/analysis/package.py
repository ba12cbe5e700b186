"""Find, validate and load a partnerships data package into typed Polars frames.

Validation is frictionless (schema, keys, foreign keys) plus the contract in
`analysis.contract` (required resources, fields and enums) and its business rules.
Every problem is reported as resource, row, field and message; nothing is raised
half-way, so one error carries the whole list.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import TypeVar
from urllib.parse import urlparse

import polars as pl

from analysis.contract import CONTRACT, contract_problems
from analysis.problems import NotADataPackage, PackageInvalid, Problem

ENV_VAR = "PARTNERSHIPS_DATAPACKAGE"
EMBEDDED_DESCRIPTOR = Path(__file__).resolve().parents[2] / "datapackage" / "datapackage.json"

# Table Schema type -> Polars dtype; the one place where CSV text becomes typed data.
POLARS_TYPES: dict[str, pl.DataType] = {
    "string": pl.String(),
    "integer": pl.Int64(),
    "number": pl.Float64(),
    "boolean": pl.Boolean(),
    "date": pl.Date(),
    "datetime": pl.Datetime(),
    "year": pl.Int64(),
}

Progress = Callable[[str], None]
T = TypeVar("T")
MEMO_SIZE = 32  # derived results kept per package (a few as-of dates' worth)
MAX_RESOURCE_BYTES = 300 * 1024 * 1024  # one CSV file; the README lists this limit


@dataclass(frozen=True, eq=False)
class Package:
    """A validated package: its descriptor, where it lies, and one typed frame per resource.

    Frames are never changed after loading, so what is derived from them (the status rows up to
    a date, the full enriched view of a date) is kept in a small memo: a filter change then only
    filters, it does not derive again.
    """

    descriptor: dict
    descriptor_path: Path
    frames: dict[str, pl.DataFrame]
    content_hash: str
    _memo: OrderedDict = field(default_factory=OrderedDict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def memo(self, key: tuple, compute: Callable[[], T]) -> T:
        """COMPUTE once per KEY; the MEMO_SIZE most recently used results are kept. Results are
        shared, so callers treat them as read-only (Polars frames are)."""
        with self._lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]
        value = compute()
        with self._lock:
            self._memo[key] = value
            while len(self._memo) > MEMO_SIZE:
                self._memo.popitem(last=False)
        return value

    @property
    def title(self) -> str:
        return str(self.descriptor.get("title") or self.descriptor.get("name") or "")

    @property
    def version(self) -> str:
        return str(self.descriptor.get("version") or "")

    @property
    def created(self) -> datetime | None:
        return parse_created(self.descriptor.get("created"))

    def __getitem__(self, resource: str) -> pl.DataFrame:
        return self.frames[resource]


def resolve_descriptor(path: str | os.PathLike | None = None) -> Path:
    """Answer the datapackage.json to use: PATH, else $PARTNERSHIPS_DATAPACKAGE, else the embedded one.

    PATH may be a package folder or its datapackage.json.
    """
    if path is None or str(path) == "":
        path = os.environ.get(ENV_VAR) or EMBEDDED_DESCRIPTOR
    candidate = Path(path).expanduser()
    if candidate.is_dir():
        candidate = candidate / "datapackage.json"
    if not candidate.is_file():
        raise NotADataPackage(f"{candidate}: no datapackage.json found")
    return candidate.resolve()


def read_descriptor(descriptor_path: Path) -> dict:
    """Parse datapackage.json; anything that is not a JSON object with resources is not a package."""
    try:
        text = descriptor_path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise NotADataPackage(f"{descriptor_path}: not UTF-8 text ({error.reason})") from error
    except OSError as error:
        raise NotADataPackage(f"{descriptor_path}: cannot be read ({error.strerror})") from error
    try:
        descriptor = json.loads(text)
    except json.JSONDecodeError as error:
        raise NotADataPackage(
            f"{descriptor_path}: broken JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from error
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise NotADataPackage(f"{descriptor_path}: a data package needs a 'resources' list")
    return descriptor


def parse_created(value: object) -> datetime | None:
    """The package's `created` as a datetime, or None when it is missing or not ISO."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _is_url(text: str) -> bool:
    try:
        return bool(urlparse(text).scheme)
    except ValueError:  # "http://[::1" is no well-formed URL, but meant as one
        return True


def _label(resource: object, index: int) -> str:
    """A resource's name for a Problem: its name, else its place in the list (#1 is the first)."""
    name = resource.get("name") if isinstance(resource, dict) else None
    return name if isinstance(name, str) and name else f"#{index}"


# resource keys besides `path` that frictionless would fetch when they hold a URL
REMOTE_KEYS = ("profile", "schema", "dialect", "extrapaths")


def _url_problem(where: str, key: str, url: str) -> Problem:
    return Problem(where, None, key, f"'{url}' is a URL; only files inside the package")


def resource_path_problems(descriptor: dict, root: Path) -> list[Problem]:
    """Refuse resource paths that are URLs, absolute, or lead outside the package folder, and
    every other URL that frictionless would fetch (profiles, schemas, dialects, extra paths)."""
    problems = []
    profile = descriptor.get("profile")
    if isinstance(profile, str) and _is_url(profile):
        problems.append(_url_problem("datapackage.json", "profile", profile))
    for index, resource in enumerate(descriptor["resources"], start=1):
        name = _label(resource, index)
        path = resource.get("path") if isinstance(resource, dict) else None
        for key in REMOTE_KEYS if isinstance(resource, dict) else ():
            value = resource.get(key)
            problems += [
                _url_problem(name, key, item)
                for item in (value if isinstance(value, list) else [value])
                if isinstance(item, str) and _is_url(item)
            ]
        if not isinstance(path, str) or not path:
            problems.append(Problem(name, None, "path", "resource has no local file path"))
            continue
        if _is_url(path):
            problems.append(_url_problem(name, "path", path))
            continue
        pure = PurePosixPath(path.replace("\\", "/"))
        try:
            inside = (root / pure).resolve().is_relative_to(root.resolve())
        except (OSError, ValueError):  # a NUL byte: no file name at all
            problems.append(Problem(name, None, "path", f"{path!r} is not a file name"))
            continue
        if pure.is_absolute() or ".." in pure.parts or not inside:
            problems.append(Problem(name, None, "path", f"'{path}' points outside the package folder"))
    return problems


# frictionless trips over some malformed descriptors before it checks them ("foreignKeys": 5),
# over patterns that are no regular expressions, and over key cells its list fields parse
FRICTIONLESS_TRIPS = (TypeError, AttributeError, KeyError, ValueError, re.error)


def frictionless_problems(descriptor_path: Path, progress: Progress | None = None) -> list[Problem]:
    """Schema, key and foreign-key problems as frictionless reports them.

    This is what `Package.validate()` does (metadata first, then each resource in turn, foreign
    keys included), one resource at a time, so that a long validation can say how far it is.
    """
    from frictionless import FrictionlessException
    from frictionless import Package as FrictionlessPackage

    progress = progress or _silent
    root = str(descriptor_path.parent) + "/"

    def message(error) -> str:
        # never show where on the server the package lies
        text = error.message.replace(root, "")
        if error.type == "encoding-error":
            text += " (save the file as UTF-8)"
        return text

    try:
        package = FrictionlessPackage(str(descriptor_path))
        package.to_descriptor(validate=True)
    except FrictionlessException as exception:
        return [Problem("datapackage.json", None, None, message(error)) for error in exception.to_errors()]
    except FRICTIONLESS_TRIPS as error:
        return [Problem("datapackage.json", None, None, f"malformed descriptor: {error}")]
    problems = []
    total = len(package.resources)
    for index, resource in enumerate(package.resources, start=1):
        progress(f"frictionless {index}/{total}: {resource.name}")
        try:
            report = resource.validate()
        except FRICTIONLESS_TRIPS as error:
            problems.append(Problem(resource.name, None, None, f"cannot be checked: {error}"))
            continue
        problems += [Problem("datapackage.json", None, None, message(error)) for error in report.errors]
        for task in report.tasks:
            for error in task.errors:
                field = getattr(error, "field_name", None)
                if field is None and getattr(error, "field_names", None):
                    field = ", ".join(error.field_names)
                row = getattr(error, "row_number", None)
                problems.append(Problem(task.name or resource.name, row, field, message(error)))
    return problems


def file_size_problems(descriptor: dict, root: Path) -> list[Problem]:
    """Resource files above MAX_RESOURCE_BYTES are refused before anything reads them."""
    problems = []
    for index, resource in enumerate(descriptor["resources"], start=1):
        path = root / resource["path"]
        try:
            size = path.stat().st_size if path.is_file() else 0
        except OSError:  # e.g. a name too long for the file system: frictionless says so
            size = 0
        if size > MAX_RESOURCE_BYTES:
            problems.append(
                Problem(_label(resource, index), None, None, f"file has {size:,} bytes; at most {MAX_RESOURCE_BYTES:,}")
            )
    return problems


# What the frame reader below follows besides delimiter and quote: the value it expects ("",
# [] and null count as unset). frictionless follows more, and would then check other cells than
# the dashboard reads, so a package asking for more is refused.
READER_DIALECT = {
    "header": True,
    "headerRows": [1],
    "doubleQuote": True,
    "skipInitialSpace": False,
    "commentChar": None,
    "commentRows": None,
    "escapeChar": None,
    "nullSequence": None,
}
READER_FIELD = {
    "bareNumber": True,
    "decimalChar": ".",
    "groupChar": None,
    "trueValues": None,
    "falseValues": None,
    "missingValues": [""],
}


def reader_problems(descriptor: dict) -> list[Problem]:
    """What a resource asks of its reader beyond UTF-8 CSV with a header row, one-byte delimiter
    and quote, ISO dates and plain numbers, empty cells as the only missing values."""
    problems = []
    for index, resource in enumerate(descriptor["resources"], start=1):
        if not isinstance(resource, dict):
            continue
        name = _label(resource, index)

        def refuse(field: str | None, message: str, name: str = name) -> None:
            problems.append(Problem(name, None, field, message))

        encoding = resource.get("encoding")
        if encoding is not None and str(encoding).lower() not in ("utf-8", "utf8", "utf-8-sig"):
            refuse("encoding", f"encoding is '{encoding}'; the files must be UTF-8")
        if resource.get("format") is not None and str(resource["format"]).lower() != "csv":
            refuse("format", f"format is '{resource['format']}'; the files must be CSV")
        for key in ("compression", "extrapaths"):
            if resource.get(key) not in (None, "", "no", []):
                refuse(key, f"'{key}' is not supported: one plain CSV file per resource")
        dialect = resource.get("dialect") or {}
        if not isinstance(dialect, dict):
            refuse("dialect", "the dialect must be written into datapackage.json")
            dialect = {}
        options = {**(dialect["csv"] if isinstance(dialect.get("csv"), dict) else {}), **dialect}
        for key in ("delimiter", "quoteChar"):
            value = options.get(key)
            if value is not None and not (
                isinstance(value, str)
                and len(value) == 1
                and (value == "\t" or (value.isascii() and value.isprintable()))
            ):
                refuse("dialect", f"{key} must be one printable ASCII character or a tab")
        for key, expected in READER_DIALECT.items():
            if options.get(key) not in (None, "", [], expected):
                refuse("dialect", f"{key} {json.dumps(options[key])} is not supported")
        schema = resource.get("schema")
        if schema is not None and not isinstance(schema, dict):
            refuse(None, "the Table Schema must be written into datapackage.json")
            continue
        if (schema or {}).get("missingValues") not in (None, [""]):
            refuse(None, "missingValues is not supported: an empty cell is the only missing value")
        fields = (schema or {}).get("fields")
        for declared in fields if isinstance(fields, list) else []:
            if not isinstance(declared, dict):
                continue
            field_name = declared.get("name") if isinstance(declared.get("name"), str) else None
            for key, expected in READER_FIELD.items():
                if declared.get(key) not in (None, expected):
                    refuse(field_name, f"{key} {json.dumps(declared[key])} is not supported")
            dated = declared.get("type") in ("date", "datetime", "time")
            if dated and declared.get("format") not in (None, "default"):
                refuse(field_name, f"format {json.dumps(declared['format'])} is not supported")
    return problems


def _dialect(resource: dict) -> tuple[str, str]:
    dialect = resource.get("dialect") or {}
    csv_dialect = dialect.get("csv", {}) if isinstance(dialect.get("csv"), dict) else {}
    delimiter = dialect.get("delimiter") or csv_dialect.get("delimiter") or ","
    quote = dialect.get("quoteChar") or csv_dialect.get("quoteChar") or '"'
    return delimiter, quote


def read_text_frames(descriptor: dict, root: Path) -> dict[str, pl.DataFrame]:
    """Every resource as it stands in its file: all columns as text, file order kept."""
    frames = {}
    for resource in descriptor["resources"]:
        delimiter, quote = _dialect(resource)
        frame = pl.read_csv(
            root / resource["path"],
            infer_schema=False,
            separator=delimiter,
            quote_char=quote,
            encoding="utf8",
        )
        # frictionless strips the header's labels before it matches them to the fields
        frames[resource["name"]] = frame.rename({name: name.strip() for name in frame.columns})
    return frames


def typed_frame(frame: pl.DataFrame, schema: dict) -> pl.DataFrame:
    """Cast a text frame to the dtypes its Table Schema declares."""
    casts = []
    for declared in schema.get("fields", []):
        name, kind = declared["name"], declared.get("type", "string")
        if name not in frame.columns:
            continue
        column = pl.col(name)
        if kind == "date":
            casts.append(column.str.to_date("%Y-%m-%d").alias(name))
        elif kind == "datetime":
            casts.append(column.str.to_datetime().alias(name))
        elif kind == "boolean":
            casts.append(column.str.to_lowercase().is_in(["true", "1", "yes"]).alias(name))
        else:
            casts.append(column.cast(POLARS_TYPES.get(kind, pl.String())).alias(name))
    return frame.with_columns(casts)


def business_rule_problems(frames: dict[str, pl.DataFrame], created: datetime | None) -> list[Problem]:
    """The contract's business rules, checked on the text frames; rows count the header as row 1."""
    partnerships = frames["partnerships"].with_row_index("row", offset=2)
    history = frames["status_history"].with_row_index("row", offset=2)
    problems = [
        Problem("partnerships", row["row"], "partner_id", "home_id and partner_id are the same")
        for row in partnerships.filter(pl.col("home_id") == pl.col("partner_id")).iter_rows(named=True)
    ]
    without_history = partnerships.join(history.select("partnership_id"), on="partnership_id", how="anti")
    problems += [
        Problem(
            "partnerships",
            row["row"],
            "partnership_id",
            f"partnership '{row['partnership_id']}' has no status_history row",
        )
        for row in without_history.iter_rows(named=True)
    ]
    repeated = partnerships.filter(pl.int_range(pl.len()).over(["home_id", "partner_id", "kind"]) > 0)
    problems += [
        Problem(
            "partnerships",
            row["row"],
            "kind",
            f"({row['home_id']}, {row['partner_id']}, {row['kind']}) is already listed above",
        )
        for row in repeated.iter_rows(named=True)
    ]
    if created is not None:
        limit = created.date().isoformat()
        late = history.filter(pl.col("date").str.contains(r"^\d{4}-\d{2}-\d{2}$") & (pl.col("date") > limit))
        problems += [
            Problem(
                "status_history",
                row["row"],
                "date",
                f"{row['date']} lies after the package's created date {limit}",
            )
            for row in late.iter_rows(named=True)
        ]
    return problems


def content_hash(descriptor_path: Path, descriptor: dict) -> str:
    """A digest of the descriptor and every resource file: same content, same hash."""
    digest = hashlib.sha256(descriptor_path.read_bytes())
    root = descriptor_path.parent
    for resource in descriptor["resources"]:
        path = resource.get("path") if isinstance(resource, dict) else None
        if isinstance(path, str) and (root / path).is_file():
            digest.update(path.encode())
            digest.update((root / path).read_bytes())
    return digest.hexdigest()


def _check(descriptor_path: Path, descriptor: dict, progress: Progress) -> tuple[list[Problem], dict]:
    root = descriptor_path.parent
    progress("contract")
    problems = resource_path_problems(descriptor, root)
    if problems:  # never hand a URL or an outside path to frictionless
        return problems, {}
    problems += file_size_problems(descriptor, root)
    if problems:
        return problems, {}
    problems += contract_problems(descriptor) + reader_problems(descriptor)
    problems += frictionless_problems(descriptor_path, progress)
    if problems:
        return problems, {}
    progress("business rules")
    frames = read_text_frames(descriptor, root)
    problems += business_rule_problems(frames, parse_created(descriptor.get("created")))
    return problems, frames


def validate_package(path: str | os.PathLike | None = None, progress: Progress | None = None) -> list[Problem]:
    """All problems of a package (empty when valid). Raises NotADataPackage when PATH is none."""
    descriptor_path = resolve_descriptor(path)
    problems, _ = _check(descriptor_path, read_descriptor(descriptor_path), progress or _silent)
    return problems


def load_package(path: str | os.PathLike | None = None, progress: Progress | None = None) -> Package:
    """Validate, then read every resource into Polars with its Table Schema's dtypes.

    Raises PackageInvalid with the full list of problems, or NotADataPackage.
    """
    descriptor_path = resolve_descriptor(path)
    descriptor = read_descriptor(descriptor_path)
    problems, frames = _check(descriptor_path, descriptor, progress or _silent)
    if problems:
        raise PackageInvalid(problems, str(descriptor_path))
    progress = progress or _silent
    progress("reading the tables")
    typed = {
        resource["name"]: typed_frame(frames[resource["name"]], resource.get("schema", {}))
        for resource in descriptor["resources"]
    }
    return Package(descriptor, descriptor_path, typed, content_hash(descriptor_path, descriptor))


def _silent(_: str) -> None:
    return None


__all__ = [
    "CONTRACT",
    "ENV_VAR",
    "EMBEDDED_DESCRIPTOR",
    "NotADataPackage",
    "Package",
    "PackageInvalid",
    "Problem",
    "load_package",
    "resolve_descriptor",
    "validate_package",
]
