"""Property-based fuzzing: whatever a user hands in, the validator and the upload answer calmly.

`validate_package` answers a list of `Problem`s (empty: valid) or raises `NotADataPackage`;
`unpack_package_zip` answers the path of a datapackage.json inside its target or raises
`UploadRefused`. Never another exception, never a hang, never a network request, never a file
outside the target. A package the validator calls valid also loads.

Profiles: the default runs a modest number of examples; CI=1 derandomizes (repeatable runs);
HYPOTHESIS_PROFILE=hunt (5x the examples) or =soak (20x) hunt for crashes locally.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import functools
import io
import json
import os
import re
import signal
import socket
import tempfile
import time
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import BASE_ROWS, HEADERS, write_package
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase

from analysis.package import EMBEDDED_DESCRIPTOR, load_package, validate_package
from analysis.problems import NotADataPackage, PackageInvalid, Problem
from analysis.upload import UploadRefused, unpack_package_zip

# --- profiles and budget ------------------------------------------------------------------

_HUNT_DB = DirectoryBasedExampleDatabase(Path(tempfile.gettempdir()) / "partnerschaftsatlas-hypothesis")
settings.register_profile("fuzz", database=None)
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
# hunting: many examples, no shrinking (one example can take a second; the failing one is printed)
_HUNT = {"database": _HUNT_DB, "phases": [Phase.explicit, Phase.reuse, Phase.generate]}
settings.register_profile("hunt", max_examples=500, **_HUNT)
settings.register_profile("soak", max_examples=2000, **_HUNT)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "fuzz"))

_SCALE = settings.default.max_examples / 100  # 1 unless a hunting profile asks for more


def examples(count: int) -> int:
    """COUNT examples by default, scaled up by the hunt/soak profiles."""
    return max(1, round(count * _SCALE))


def fuzz(count: int):
    return settings(
        max_examples=examples(count),
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )


# --- the guard: no network, no hang -------------------------------------------------------

HANG_SECONDS = 30


class Hang(Exception):
    """An example ran longer than HANG_SECONDS."""


@contextlib.contextmanager
def guarded(seconds: int = HANG_SECONDS):
    """Refuse and record every attempt to resolve a name or open a connection; end a hang."""
    attempts: list[tuple] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("the fuzz tests never use the network")

    patched = [
        (socket, "getaddrinfo"),
        (socket, "gethostbyname"),
        (socket, "create_connection"),
        (socket.socket, "connect"),
        (socket.socket, "connect_ex"),
    ]
    saved = [(owner, name, getattr(owner, name)) for owner, name in patched]

    def too_slow(signum, frame):
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, too_slow)
    for owner, name in patched:
        setattr(owner, name, refuse)
    start = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield attempts
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        for owner, name, original in saved:
            setattr(owner, name, original)
    # a Hang swallowed by some `except Exception` still shows here
    assert time.monotonic() - start < seconds, "hang"
    assert attempts == [], f"network reached: {attempts}"


def assert_answer(problems: object) -> None:
    """A list of well-formed Problems: str resource, int-or-None row, str-or-None field, a message."""
    assert isinstance(problems, list), problems
    for problem in problems:
        assert type(problem) is Problem, problem
        assert isinstance(problem.resource, str), problem
        assert problem.row is None or (type(problem.row) is int and problem.row >= 1), problem
        assert problem.field is None or isinstance(problem.field, str), problem
        assert isinstance(problem.message, str) and problem.message.strip(), problem
        assert str(problem)


def answer(path: Path, *, package: bool = True) -> list[Problem] | None:
    """Validate PATH under the guard; None when it is not a package at all (only if not PACKAGE).

    A package found valid must also load.
    """
    with guarded():
        try:
            problems = validate_package(path)
        except NotADataPackage as error:
            assert str(error)
            assert not package, f"a package was called no package: {error}"
            return None
        assert_answer(problems)
        if problems == []:
            try:
                load_package(path)
            except PackageInvalid as error:  # pragma: no cover - a failure to report
                raise AssertionError(f"valid, yet refused on loading: {error}") from error
    root = str(path.parent)
    leaks = [p for p in problems if root in p.message]
    assert not leaks, f"server paths leak: {leaks}"
    return problems


# --- strategies: cells and rows -----------------------------------------------------------

IDS = sorted(
    {row[0] for rows in BASE_ROWS.values() for row in rows}
    | {"de-nowhere", "xx-unknown", "unknown-partnership", "s9", "music", "ZZ", "Q42"}
)
ENUM_VALUES = [
    "twinning",
    "friendship",
    "project",
    "climate",
    "solidarity",
    "contact",
    "proposed",
    "in_preparation",
    "active",
    "paused",
    "declined",
    "ended",
    "day",
    "month",
    "year",
    "week",
    "Europe",
    "Asia",
    "North America",
    "Atlantis",
    "Active",
    "active ",
]
SPECIAL_CELLS = [
    "",
    " ",
    '"',
    '""',
    '"unbalanced',
    'a"b',
    "'",
    ",",
    ",,",
    ";",
    "a;b",
    "a,b",
    "\n",
    "\r\n",
    "\r",
    "line\nbreak",
    "\t",
    "\x00",
    "\ufeff",
    "\u202e",
    "=1+1",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "1e309",
    "-0",
    "0x10",
    "1_000",
    "١٢٣",
    "-91",
    "90.0000001",
    "180.5",
    "-180",
    "91",
    "-5",
    "2.5",
    "99999999999999999999999",
    "9223372036854775808",
    "+5",
    "INF",
    "-INF",
    "Infinity",
    "1E5",
    "1e-400",
    " 5",
    "5 ",
    "0005",
    "5.0",
    "1,5",
    "1.000",
    "٣",
    "５",
    "Q0",
    "Q-1",
    "de",
    "DE",
    "DEU",
    "de-",
    "-de",
    "de--x",
    "DE-DORTMUND",
    "null",
    "None",
    "true",
    "false",
]
DATES = st.one_of(
    st.dates().map(lambda day: day.isoformat()),
    st.builds(
        lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}",
        st.integers(0, 9999),
        st.integers(0, 13),
        st.integers(0, 32),
    ),
    st.sampled_from(
        [
            "2020-02-30",
            "2021-02-29",
            "2020-02-29",
            "1900-02-29",
            "2020-00-01",
            "0000-01-01",
            "20-01-01",
            "2020/01/01",
            "01.01.2020",
            "2020-1-1",
            "2020-01-01T00:00:00",
            "2020-01-01Z",
            "2020",
            "2020-01",
            "+2020-01-01",
            "-0001-01-01",
            "2099-01-01",
            "2026-11-22",
            "2026-11-21",
        ]
    ),
)
NUMBERS = st.one_of(
    st.integers().map(str),
    st.floats().map(repr),
    st.decimals(allow_nan=True).map(str),
    st.integers(-400, 400).map(str),
)
LONG = st.builds(lambda text, times: text * times, st.text(min_size=1, max_size=3), st.integers(500, 150_000))
CELLS = st.one_of(
    st.sampled_from(IDS),
    st.sampled_from(ENUM_VALUES),
    st.sampled_from(SPECIAL_CELLS),
    st.text(max_size=30),
    st.text(alphabet=st.sampled_from("\",;\n\r\t\x00\\'a "), max_size=12),
    NUMBERS,
    DATES,
    LONG,
)
RESOURCES = sorted(BASE_ROWS)


@st.composite
def broken_rows(draw) -> dict[str, list[list[str]]]:
    """BASE_ROWS with cells changed, rows shortened, lengthened, duplicated, dropped or added."""
    rows = copy.deepcopy(BASE_ROWS)
    for _ in range(draw(st.integers(1, 6))):
        table = rows[draw(st.sampled_from(RESOURCES))]
        action = draw(
            st.sampled_from(["set", "set", "set", "drop_cell", "add_cells", "duplicate", "delete", "new_row", "clear"])
        )
        if action == "clear":
            table.clear()
            continue
        if action == "new_row":
            table.append(draw(st.lists(CELLS, max_size=14)))
            continue
        if not table:
            continue
        row = table[draw(st.integers(0, len(table) - 1))]
        if action == "set" and row:
            row[draw(st.integers(0, len(row) - 1))] = draw(CELLS)
        elif action == "drop_cell" and row:
            del row[draw(st.integers(0, len(row) - 1))]
        elif action == "add_cells":
            row.extend(draw(st.lists(CELLS, min_size=1, max_size=3)))
        elif action == "duplicate":
            table.insert(draw(st.integers(0, len(table))), list(row))
        elif action == "delete":
            table.remove(row)
    return rows


# Cells that break their field's rule whatever else the row holds: (resource, field) -> values.
# "x-…" names no id, status, kind or continent of the small package.
NO_SUCH_NAME = st.text(alphabet="abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=12).map(lambda s: "x-" + s)
BROKEN_CELLS = {
    ("status_history", "status"): NO_SUCH_NAME | st.sampled_from(["", "Active", "active ", "gone"]),
    ("status_history", "date"): st.sampled_from(["", "2020-13-45", "2020-02-30", "31.12.2020", "yesterday"]),
    ("status_history", "date_precision"): NO_SUCH_NAME | st.sampled_from(["week", "Day"]),
    ("status_history", "source_id"): NO_SUCH_NAME,
    ("municipalities", "latitude"): st.sampled_from(["north", "91", "-91", "1e3"]),
    ("municipalities", "continent"): NO_SUCH_NAME | st.sampled_from(["Atlantis", "europe"]),
    ("municipalities", "country_code"): NO_SUCH_NAME,
    ("partnerships", "home_id"): NO_SUCH_NAME | st.just(""),
    ("partnerships", "partner_id"): NO_SUCH_NAME,
    ("partnerships", "kind"): NO_SUCH_NAME,
    ("partnership_themes", "theme_id"): NO_SUCH_NAME,
    ("themes", "label_de"): st.just(""),
}


@st.composite
def broken_cell(draw) -> tuple[dict[str, list[list[str]]], tuple[str, int, str]]:
    """BASE_ROWS with one cell broken by construction, and where: (resource, row as a person counts it, field)."""
    resource, field = draw(st.sampled_from(sorted(BROKEN_CELLS)))
    rows = copy.deepcopy(BASE_ROWS)
    index = draw(st.integers(0, len(rows[resource]) - 1))
    rows[resource][index][HEADERS[resource].index(field)] = draw(BROKEN_CELLS[resource, field])
    return rows, (resource, index + 2, field)  # the header is row 1


# --- strategies: raw CSV bytes ------------------------------------------------------------


def csv_text(header: list[str], rows: list[list[str]], newline: str = "\r\n") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


BOMS = [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"]
BYTE_SNIPPETS = [
    b"\x00",
    b'"',
    b'""',
    b",",
    b";",
    b"\n",
    b"\r",
    b"\r\n",
    b"\xff",
    b"\xc3",
    b"\xc3\x28",
    b"\xe4",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\\",
    b"\x1a",
    *BOMS,
]


CSV_KINDS = [
    "bytes",
    "valid",
    "header_only",
    "shuffled",
    "renamed",
    "missing_column",
    "extra_column",
    "duplicate_column",
    "no_header",
    "encoded",
    "text",
]
# The kinds no later change of a few bytes repairs: a column the schema names is missing or doubled.
CSV_KINDS_BROKEN = ["missing_column", "duplicate_column", "no_header"]


@st.composite
def broken_csv(draw, resource: str, kinds: list[str] = CSV_KINDS) -> bytes:
    header = list(HEADERS[resource])
    rows = BASE_ROWS[resource]
    kind = draw(st.sampled_from(kinds))
    if kind == "bytes":
        return draw(st.binary(max_size=3000))
    if kind == "text":
        return draw(st.text(max_size=500)).encode("utf-8")
    newline = draw(st.sampled_from(["\r\n", "\n", "\r"]))
    if kind == "header_only":
        data = csv_text(header, [], newline)
    elif kind == "shuffled":
        order = draw(st.permutations(range(len(header))))
        data = csv_text([header[i] for i in order], [[r[i] for i in order] for r in rows], newline)
    elif kind == "renamed":
        index = draw(st.integers(0, len(header) - 1))
        header[index] = draw(
            st.one_of(
                st.text(max_size=15),
                st.sampled_from(
                    [header[index].upper(), " " + header[index], header[index] + " ", "", "\ufeff" + header[index]]
                ),
            )
        )
        data = csv_text(header, rows, newline)
    elif kind == "missing_column":
        index = draw(st.integers(0, len(header) - 1))
        data = csv_text(header[:index] + header[index + 1 :], [r[:index] + r[index + 1 :] for r in rows], newline)
    elif kind == "extra_column":
        data = csv_text([*header, draw(st.text(max_size=10))], [[*r, draw(CELLS)] for r in rows], newline)
    elif kind == "duplicate_column":
        index = draw(st.integers(0, len(header) - 1))
        data = csv_text([*header, header[index]], [[*r, r[index]] for r in rows], newline)
    elif kind == "no_header":
        data = csv_text(rows[0], rows[1:], newline)
    else:
        data = csv_text(header, rows, newline)
    if kind == "encoded":
        encoding = draw(
            st.sampled_from(["latin-1", "cp1252", "utf-16", "utf-16-be", "utf-32", "utf-8-sig", "mac-roman", "cp437"])
        )
        raw = data.replace("ä", "ä").encode(encoding, errors="replace")
    else:
        raw = data.encode("utf-8")
    for _ in range(draw(st.integers(0 if kind != "valid" else 1, 4))):
        position = draw(st.integers(0, len(raw)))
        action = draw(st.sampled_from(["insert", "insert", "delete", "truncate", "prefix", "replace"]))
        snippet = draw(st.one_of(st.sampled_from(BYTE_SNIPPETS), st.binary(min_size=1, max_size=8)))
        if action == "insert":
            raw = raw[:position] + snippet + raw[position:]
        elif action == "delete":
            raw = raw[:position] + raw[position + draw(st.integers(1, 20)) :]
        elif action == "truncate":
            raw = raw[:position]
        elif action == "prefix":
            raw = snippet + raw
        else:
            raw = raw[:position] + snippet + raw[position + len(snippet) :]
    return raw


# --- strategies: descriptors --------------------------------------------------------------

BASE_DESCRIPTOR = json.loads(EMBEDDED_DESCRIPTOR.read_text(encoding="utf-8"))

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
SCHEMES = [
    "http",
    "https",
    "HTTP",
    "ftp",
    "ftps",
    "file",
    "s3",
    "gs",
    "gcs",
    "az",
    "sftp",
    "ssh",
    "smb",
    "data",
    "javascript",
    "mailto",
    "jar",
    "zip",
    "gopher",
    "ws",
    "wss",
    "ldap",
    "dict",
    "c",
    "C",
    "git+https",
    "hdfs",
    "multipart",
    "stream",
    "buffer",
    "inline",
    "local",
    "remote",
    "sqlite",
    "postgresql",
    "x-custom",
]
HOSTS = [
    "example.org",
    "127.0.0.1",
    "localhost:8501",
    "[::1]",
    "169.254.169.254",
    "user:pw@example.org",
    "",
    "/",
    "//",
    "example.org:99999",
    "xn--mnchen-3ya.de",
    "münchen.de",
]
URLS = st.builds(
    lambda scheme, slashes, host, rest: f"{scheme}:{slashes}{host}/{rest}",
    st.sampled_from(SCHEMES),
    st.sampled_from(["//", "", "/", "///", "\\\\"]),
    st.sampled_from(HOSTS),
    st.sampled_from(["countries.csv", "data/countries.csv", "etc/passwd", "", "latest/meta-data/", "x?y=1#z"]),
)
ODD_PATHS = [
    "",
    " ",
    "/etc/passwd",
    "/dev/zero",
    "/dev/urandom",
    "/proc/self/environ",
    "../x.csv",
    "../../x.csv",
    "data/../../x.csv",
    "data/../data/countries.csv",
    "./data/countries.csv",
    "data//countries.csv",
    "~/x.csv",
    "~",
    "$HOME/x.csv",
    "${HOME}",
    "%APPDATA%\\x.csv",
    "C:\\x.csv",
    "c:/x.csv",
    "C:x.csv",
    "\\\\server\\share\\x.csv",
    "data\\..\\..\\x.csv",
    "data\\countries.csv",
    "data/countries.csv\x00",
    "\x00",
    "data/",
    "data",
    ".",
    "..",
    "datapackage.json",
    "data/nothing.csv",
    "http://[::1",
    "https://[",
    "file:",
    "file:data/countries.csv",
    "http:countries.csv",
    "//example.org/x.csv",
    " http://example.org/x.csv",
    "\thttp://example.org/x.csv",
    "data/countries.csv?x=1",
    "data/countries.csv#frag",
    "data/" + "a" * 300 + ".csv",
    "/" * 5000,
    "data/\udcff.csv",
]
PATHS = st.one_of(
    URLS,
    st.sampled_from(ODD_PATHS),
    st.sampled_from([f"data/{name}.csv" for name in RESOURCES]),
    st.text(max_size=30),
    st.lists(st.one_of(URLS, st.sampled_from(ODD_PATHS)), max_size=3),
    JSON,
)
FIELD_TYPES = [
    "string",
    "integer",
    "number",
    "boolean",
    "date",
    "datetime",
    "time",
    "year",
    "yearmonth",
    "duration",
    "geopoint",
    "geojson",
    "object",
    "array",
    "list",
    "any",
    "",
    "String",
    "bogus",
]
DIALECT_KEYS = {
    "delimiter": [",", ";", "\t", "|", "", ",,", "§", "\x00", "\n", "\r", '"', "'", " ", "#", "a", "\\"],
    "quoteChar": ['"', "'", "", "''", "§", ",", ";", "\n", "\r", "\t", " ", "\x00", "|"],
    "doubleQuote": [True, False],
    "escapeChar": ["\\", "", '"', "\\\\"],
    "header": [True, False],
    "headerRows": [[1], [2], [1, 2], [], [0], [-1]],
    "headerJoin": [" ", ""],
    "lineTerminator": ["\r\n", "\n", "\r", ";", ""],
    "skipInitialSpace": [True, False],
    "commentChar": ["#", "", "d"],
    "commentRows": [[2], [1], []],
    "nullSequence": ["", "NA", "-"],
    "caseSensitiveHeader": [True, False],
    "csvddfVersion": ["1.2", 1.2],
}
FIELD_OPTIONS = {
    "format": ["default", "any", "%Y-%m-%d", "%d.%m.%Y", "uri", "email", "uuid", "binary", "", "%Q"],
    "decimalChar": [",", ".", ""],
    "groupChar": [".", ",", " ", ""],
    "bareNumber": [True, False],
    "trueValues": [["ja"], [], ["true"]],
    "falseValues": [["nein"], []],
    "missingValues": [[""], ["-"], [], ["NA", ""]],
    "rdfType": ["http://schema.org/Country"],
}
CONSTRAINTS = {
    "required": [True, False],
    "unique": [True, False],
    "pattern": ["^[A-Z]{2}$", "(", "[", "*", "", "^$", ".*", "(?P<x>", "\\"],
    "minimum": [0, -1, "0", "a", 1e309, None],
    "maximum": [0, 90, "9", None],
    "minLength": [0, 1, -1, "1", 10**20],
    "maxLength": [0, 2, -1, "x"],
    "enum": [[], ["Europe"], ["Europe", "Europe"], [1, 2], [None], [[]], [{}], "Europe"],
}


def _resources(descriptor) -> list:
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    return resources if isinstance(resources, list) else []


def _a_resource(draw, descriptor) -> dict | None:
    candidates = [r for r in _resources(descriptor) if isinstance(r, dict)]
    return draw(st.sampled_from(candidates)) if candidates else None


def _a_field(draw, descriptor) -> dict | None:
    resource = _a_resource(draw, descriptor)
    schema = resource.get("schema") if resource else None
    fields = schema.get("fields") if isinstance(schema, dict) else None
    candidates = [f for f in fields if isinstance(f, dict)] if isinstance(fields, list) else []
    return draw(st.sampled_from(candidates)) if candidates else None


def _field_names(resource: dict) -> list[str]:
    schema = resource.get("schema") if isinstance(resource, dict) else None
    fields = schema.get("fields") if isinstance(schema, dict) else None
    names = [f.get("name") for f in fields if isinstance(f, dict)] if isinstance(fields, list) else []
    return [name for name in names if isinstance(name, str)] or ["x"]


def op_anywhere(draw, descriptor):
    """Walk to a random node; delete it, replace it with JSON, or change its type."""
    parent, key, node = None, None, descriptor
    for _ in range(draw(st.integers(1, 6))):
        if not isinstance(node, (dict, list)) or not node:
            break
        keys = sorted(node, key=str) if isinstance(node, dict) else list(range(len(node)))
        parent, key = node, draw(st.sampled_from(keys))
        node = parent[key]
    if parent is None:
        return
    action = draw(st.sampled_from(["delete", "json", "list", "str", "number", "dict", "none", "empty"]))
    if action == "delete":
        del parent[key]
        return
    parent[key] = {
        "json": lambda: draw(JSON),
        "list": lambda: [node],
        "str": lambda: json.dumps(node)[:50],
        "number": lambda: draw(st.one_of(st.integers(), st.floats())),
        "dict": lambda: {"value": node},
        "none": lambda: None,
        "empty": lambda: type(node)() if isinstance(node, (dict, list, str)) else 0,
    }[action]()


def op_path(draw, descriptor):
    resource = _a_resource(draw, descriptor)
    if resource is not None:
        resource["path"] = draw(PATHS)


def op_name(draw, descriptor):
    resource = _a_resource(draw, descriptor)
    if resource is not None:
        others = [r.get("name") for r in _resources(descriptor) if isinstance(r, dict)]
        resource["name"] = draw(
            st.one_of(
                st.sampled_from([n for n in others if isinstance(n, str)] or ["x"]),
                st.sampled_from(["", "Countries", "countries ", "extra", "a/b", "..", "#1", "datapackage.json"]),
                st.text(max_size=12),
                JSON,
            )
        )


def op_drop_name(draw, descriptor):
    resource = _a_resource(draw, descriptor)
    if resource is not None:
        resource.pop("name", None)


def op_resource_list(draw, descriptor):
    resources = _resources(descriptor)
    if not resources:
        return
    index = draw(st.integers(0, len(resources) - 1))
    action = draw(st.sampled_from(["drop", "duplicate", "copy_renamed", "copy_unnamed", "junk", "reverse"]))
    if action == "drop":
        del resources[index]
    elif action == "duplicate":
        resources.append(copy.deepcopy(resources[index]))
    elif action == "copy_renamed" and isinstance(resources[index], dict):
        extra = copy.deepcopy(resources[index])
        extra["name"] = draw(st.sampled_from(["extra", "notes", "countries-copy"]))
        resources.append(extra)
    elif action == "copy_unnamed" and isinstance(resources[index], dict):
        extra = copy.deepcopy(resources[index])
        extra.pop("name", None)
        resources.append(extra)
    elif action == "junk":
        resources.insert(index, draw(JSON))
    elif action == "reverse":
        resources.reverse()


def op_schema(draw, descriptor):
    resource = _a_resource(draw, descriptor)
    if resource is not None:
        resource["schema"] = draw(
            st.one_of(
                JSON, URLS, st.sampled_from(["schema.json", "data/countries.csv"]), st.just({"fields": draw(JSON)})
            )
        )


def op_field_type(draw, descriptor):
    field = _a_field(draw, descriptor)
    if field is not None:
        field["type"] = draw(st.one_of(st.sampled_from(FIELD_TYPES), JSON))


def op_key_field_type(draw, descriptor):
    """A primary or foreign key field of another type: frictionless hashes key cells."""
    resource = _a_resource(draw, descriptor)
    schema = resource.get("schema") if resource else None
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        return
    keys = _names_in(schema.get("primaryKey")) + [
        name
        for key in (schema.get("foreignKeys") if isinstance(schema.get("foreignKeys"), list) else [])
        if isinstance(key, dict)
        for name in _names_in(key.get("fields"))
    ]
    fields = [f for f in schema["fields"] if isinstance(f, dict) and f.get("name") in keys]
    if fields:
        draw(st.sampled_from(fields))["type"] = draw(st.sampled_from(FIELD_TYPES))


def _names_in(value) -> list:
    return (
        [value]
        if isinstance(value, str)
        else [v for v in value if isinstance(v, str)]
        if isinstance(value, list)
        else []
    )


def op_field_name(draw, descriptor):
    field = _a_field(draw, descriptor)
    if field is not None:
        field["name"] = draw(st.one_of(st.text(max_size=12), JSON, st.sampled_from(["", "name", "home_id"])))


def op_field_option(draw, descriptor):
    field = _a_field(draw, descriptor)
    if field is not None:
        key = draw(st.sampled_from(sorted(FIELD_OPTIONS)))
        field[key] = draw(st.one_of(st.sampled_from(FIELD_OPTIONS[key]), JSON))


def op_constraint(draw, descriptor):
    field = _a_field(draw, descriptor)
    if field is None:
        return
    if draw(st.booleans()):
        key = draw(st.sampled_from(sorted(CONSTRAINTS)))
        constraints = field.setdefault("constraints", {})
        if isinstance(constraints, dict):
            constraints[key] = draw(st.one_of(st.sampled_from(CONSTRAINTS[key]), JSON))
    else:
        field["constraints"] = draw(st.one_of(JSON, st.just({"enum": draw(JSON)})))


def _key_part(draw, names):
    return draw(
        st.one_of(
            st.sampled_from(names), st.lists(st.sampled_from(names), max_size=3), JSON, st.just(", ".join(names[:2]))
        )
    )


def op_primary_key(draw, descriptor):
    resource = _a_resource(draw, descriptor)
    if resource is not None and isinstance(resource.get("schema"), dict):
        resource["schema"]["primaryKey"] = _key_part(draw, _field_names(resource))


def op_foreign_keys(draw, descriptor):
    resource = _a_resource(draw, descriptor)
    if resource is None or not isinstance(resource.get("schema"), dict):
        return
    names = _field_names(resource)
    resource_names = [r.get("name") for r in _resources(descriptor) if isinstance(r, dict)]
    resource_names = [n for n in resource_names if isinstance(n, str)] + ["", "unknown"]
    key = {
        "fields": _key_part(draw, names),
        "reference": draw(
            st.one_of(
                JSON,
                st.fixed_dictionaries(
                    {
                        "resource": st.one_of(st.sampled_from(resource_names), JSON),
                        "fields": st.one_of(st.sampled_from(names), st.lists(st.sampled_from(names), max_size=3), JSON),
                    }
                ),
                st.fixed_dictionaries(
                    {
                        "resource": st.sampled_from(resource_names),
                        "fields": st.sampled_from(names),
                        "package": st.one_of(URLS, st.sampled_from(ODD_PATHS)),
                    }
                ),
            )
        ),
    }
    schema = resource["schema"]
    action = draw(st.sampled_from(["append", "replace", "junk"]))
    if action == "junk":
        schema["foreignKeys"] = draw(st.one_of(JSON, st.just(key)))
    elif action == "replace" or not isinstance(schema.get("foreignKeys"), list):
        schema["foreignKeys"] = [key]
    else:
        schema["foreignKeys"].append(key)


def op_dialect(draw, descriptor):
    resource = _a_resource(draw, descriptor)
    if resource is None:
        return
    if draw(st.booleans()):
        dialect = resource.get("dialect") if isinstance(resource.get("dialect"), dict) else {}
        key = draw(st.sampled_from(sorted(DIALECT_KEYS)))
        value = draw(st.one_of(st.sampled_from(DIALECT_KEYS[key]), JSON))
        if draw(st.booleans()):
            dialect[key] = value
        else:
            dialect.setdefault("csv", {})
            if isinstance(dialect["csv"], dict):
                dialect["csv"][key] = value
        resource["dialect"] = dialect
    else:
        resource["dialect"] = draw(st.one_of(JSON, URLS, st.sampled_from(["dialect.json", "data/countries.csv"])))


RESOURCE_KEYS = {
    "format": [
        "csv",
        "CSV",
        "tsv",
        "json",
        "ndjson",
        "jsonl",
        "xlsx",
        "xls",
        "ods",
        "sql",
        "html",
        "parquet",
        "inline",
        "gsheets",
        "spss",
        "zip",
        "",
        "txt",
    ],
    "mediatype": ["text/csv", "application/json", "", "text/plain"],
    "encoding": ["utf-8", "UTF8", "utf-8-sig", "latin-1", "utf-16", "ascii", "cp1252", "bogus", ""],
    "compression": ["zip", "gz", "bz2", "xz", "no", "", "tar"],
    "innerpath": ["countries.csv", "", "../x"],
    "scheme": ["file", "http", "https", "s3", "multipart", "stream", "buffer", "remote", "", "bogus"],
    "profile": ["tabular-data-resource", "data-resource", "", "bogus"],
    "$schema": ["https://datapackage.org/profiles/2.0/dataresource.json", "bogus"],
    "type": ["table", "file", "json", "bogus"],
    "extrapaths": [[], ["data/countries.csv"], ["../x.csv"]],
    "bytes": [0, 1, -1],
    "hash": ["md5:0", "sha256:00", "bogus"],
    "data": [[], [["a"]], {}],
}


def op_resource_key(draw, descriptor):
    resource = _a_resource(draw, descriptor)
    if resource is not None:
        key = draw(st.sampled_from(sorted(RESOURCE_KEYS)))
        resource[key] = draw(st.one_of(st.sampled_from(RESOURCE_KEYS[key]), URLS, JSON))


PACKAGE_KEYS = {
    "created": [
        "2026-11-21T00:00:00Z",
        "2000-01-01",
        "2020-02-30T00:00:00Z",
        "gestern",
        "",
        "2014-06-11",
        "2014-06-12T23:59:59+14:00",
        "0001-01-01T00:00:00",
    ],
    "profile": ["tabular-data-package", "data-package", "", "bogus"],
    "$schema": ["https://datapackage.org/profiles/2.0/datapackage.json", "bogus"],
    "name": ["", "Mein Paket", "x"],
    "version": ["1.0.0", "", "eins"],
    "licenses": [[], [{}], [{"name": ""}]],
    "contributors": [[], [{"email": "kaputt"}]],
    "sources": [[], [{"title": "x", "email": "kaputt"}]],
}


def op_package_key(draw, descriptor):
    key = draw(st.sampled_from(sorted(PACKAGE_KEYS)))
    descriptor[key] = draw(st.one_of(st.sampled_from(PACKAGE_KEYS[key]), URLS, JSON))


DESCRIPTOR_OPS = [
    op_anywhere,
    op_anywhere,
    op_path,
    op_name,
    op_drop_name,
    op_resource_list,
    op_schema,
    op_field_type,
    op_key_field_type,
    op_field_name,
    op_field_option,
    op_constraint,
    op_primary_key,
    op_foreign_keys,
    op_dialect,
    op_resource_key,
    op_package_key,
]


@st.composite
def broken_descriptor(draw) -> dict:
    descriptor = copy.deepcopy(BASE_DESCRIPTOR)
    for _ in range(draw(st.integers(1, 4))):
        draw(st.sampled_from(DESCRIPTOR_OPS))(draw, descriptor)
    return descriptor


URL_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def url_references(descriptor: dict) -> list[str]:
    """The resource paths in DESCRIPTOR that are plainly URLs: each must be refused by name."""
    found = []
    for resource in _resources(descriptor):
        if not isinstance(resource, dict):
            continue
        path = resource.get("path")
        if isinstance(path, str) and URL_LIKE.match(path):
            found.append(path)
    return found


def write_descriptor_package(root: Path, descriptor: object) -> Path:
    path = write_package(root)
    path.write_text(json.dumps(descriptor), encoding="utf-8")
    return path


# --- properties: the validator ------------------------------------------------------------


@fuzz(80)
@given(rows=broken_rows())
def test_broken_rows_get_problems_never_a_crash(rows):
    with tempfile.TemporaryDirectory() as folder:
        answer(write_package(Path(folder) / "p", rows))


@fuzz(70)
@given(data=st.data())
def test_broken_csv_bytes_get_problems_never_a_crash(data):
    resource = data.draw(st.sampled_from(RESOURCES))
    raw = data.draw(broken_csv(resource))
    with tempfile.TemporaryDirectory() as folder:
        path = write_package(Path(folder) / "p")
        (path.parent / "data" / f"{resource}.csv").write_bytes(raw)
        answer(path)


@fuzz(40)
@given(data=st.data())
def test_a_csv_missing_or_doubling_a_column_always_gets_a_problem(data):
    resource = data.draw(st.sampled_from(RESOURCES))
    raw = data.draw(broken_csv(resource, CSV_KINDS_BROKEN))
    with tempfile.TemporaryDirectory() as folder:
        path = write_package(Path(folder) / "p")
        (path.parent / "data" / f"{resource}.csv").write_bytes(raw)
        problems = answer(path)
    assert problems, f"{resource}.csv is broken by construction, yet valid"
    assert any(p.resource == resource for p in problems), problems


@fuzz(60)
@given(case=broken_cell())
def test_a_cell_broken_by_construction_is_named_by_row_and_field(case):
    rows, where = case
    with tempfile.TemporaryDirectory() as folder:
        problems = answer(write_package(Path(folder) / "p", rows))
    assert where in [(p.resource, p.row, p.field) for p in problems], (where, problems)


@fuzz(250)
@given(descriptor=broken_descriptor())
def test_broken_descriptors_get_problems_never_a_crash(descriptor):
    with tempfile.TemporaryDirectory() as folder:
        problems = answer(write_descriptor_package(Path(folder) / "p", descriptor), package=False)
    if problems is None:
        assert not isinstance(descriptor.get("resources"), list)
        return
    for url in url_references(descriptor):
        assert any(p.field == "path" and url in p.message for p in problems), (url, problems)


@fuzz(60)
@given(keys=st.lists(st.sampled_from(sorted(DIALECT_KEYS)), max_size=4, unique=True), data=st.data())
def test_dialects_that_match_their_files(keys, data):
    """A dialect and CSV files written in it: frictionless and the frame reader must agree."""
    dialect = {key: data.draw(st.sampled_from(DIALECT_KEYS[key]), label=key) for key in keys}
    descriptor = copy.deepcopy(BASE_DESCRIPTOR)
    for resource in descriptor["resources"]:
        resource["dialect"] = dialect
    writer_options = {
        "delimiter": dialect.get("delimiter", ","),
        "quotechar": dialect.get("quoteChar", '"'),
        "doublequote": dialect.get("doubleQuote", True),
        "escapechar": dialect.get("escapeChar") or None,
        "lineterminator": dialect.get("lineTerminator", "\r\n"),
    }
    with tempfile.TemporaryDirectory() as folder:
        path = write_descriptor_package(Path(folder) / "p", descriptor)
        rows_by_name = copy.deepcopy(BASE_ROWS)
        tricky = st.text(alphabet=st.sampled_from(",;\"'|#\\ \t\n\ra"), max_size=8)
        rows_by_name["sources"][0][1] = data.draw(tricky, label="title")  # free text, quoted as needed
        rows_by_name["partnerships"][0][5] = data.draw(tricky, label="notes")
        for name, rows in rows_by_name.items():
            buffer = io.StringIO()
            try:
                writer = csv.writer(buffer, **writer_options)
                if dialect.get("commentChar"):
                    buffer.write(f"{dialect['commentChar']} a comment, with a comma\n")
                writer.writerow(HEADERS[name])
                writer.writerows(rows)
            except (csv.Error, TypeError):
                pass  # the csv module refuses this dialect: the file stays as it was
            else:
                (path.parent / "data" / f"{name}.csv").write_text(buffer.getvalue(), encoding="utf-8")
        answer(path)


@fuzz(100)
@given(value=JSON | st.fixed_dictionaries({"resources": st.lists(JSON, max_size=4)}))
def test_any_json_as_descriptor(value):
    with tempfile.TemporaryDirectory() as folder:
        answer(write_descriptor_package(Path(folder) / "p", value), package=False)


@fuzz(50)
@given(
    raw=st.one_of(
        st.binary(max_size=2000),
        st.sampled_from(
            [
                b"",
                b"\xef\xbb\xbf{}",
                b"\xff\xfe{\x00}\x00",
                b"\x00",
                b"[]",
                b"null",
                b"{",
                b'{"resources": {}}',
                b'{"resources": NaN}',
                b"\xef\xbb\xbf" + EMBEDDED_DESCRIPTOR.read_bytes(),
            ]
        ),
        st.builds(
            lambda text, enc: text.encode(enc, errors="replace"),
            st.text(max_size=200),
            st.sampled_from(["utf-8", "utf-16", "latin-1"]),
        ),
    )
)
def test_any_bytes_as_descriptor(raw):
    with tempfile.TemporaryDirectory() as folder:
        path = write_package(Path(folder) / "p")
        path.write_bytes(raw)
        answer(path, package=False)


# --- properties: the upload ---------------------------------------------------------------


@functools.cache
def valid_zip() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        root = write_package(Path(folder) / "p").parent
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for file in sorted(root.rglob("*")):
                archive.write(file, "paket/" + file.relative_to(root).as_posix())
        return buffer.getvalue()


def unpack(data: bytes | Callable[[Path], bytes]) -> Path | None:
    """Unpack DATA (or DATA(sandbox)) into sandbox/a/b/target: a path inside the target or a
    refusal, and nothing written outside the target."""
    with tempfile.TemporaryDirectory() as folder:
        sandbox = Path(folder).resolve()
        target = sandbox / "a" / "b" / "target"
        target.mkdir(parents=True)
        if callable(data):
            data = data(sandbox)
        with guarded():
            try:
                descriptor = unpack_package_zip(data, target)
            except UploadRefused as refused:
                assert refused.code and str(refused)
                descriptor = None
        above = {sandbox / "a", sandbox / "a" / "b", target}
        outside = [p for p in sandbox.rglob("*") if p not in above and not p.resolve().is_relative_to(target)]
        assert outside == [], f"written outside the target: {outside}"
        if descriptor is not None:
            assert isinstance(descriptor, Path)
            assert descriptor.resolve().is_relative_to(target), descriptor
            answer(descriptor, package=False)
        return descriptor


@fuzz(100)
@given(data=st.binary(max_size=4000) | st.builds(lambda tail: b"PK\x03\x04" + tail, st.binary(max_size=500)))
def test_upload_of_arbitrary_bytes(data):
    unpack(data)


ZIP_SIGNATURES = [b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"]


@fuzz(100)
@given(data=st.data())
def test_upload_of_a_damaged_zip(data):
    raw = bytearray(valid_zip())
    for _ in range(data.draw(st.integers(1, 4))):
        action = data.draw(st.sampled_from(["header", "header", "flip", "truncate", "insert", "delete"]))
        if action == "header":  # one byte in a local, central or end header: sizes, flags, method, names
            signature = data.draw(st.sampled_from(ZIP_SIGNATURES))
            starts = [m.start() for m in re.finditer(re.escape(signature), bytes(raw))]
            if starts:
                at = data.draw(st.sampled_from(starts)) + data.draw(st.integers(4, 45))
                if at < len(raw):
                    raw[at] = data.draw(st.integers(0, 255))
        elif action == "flip" and raw:
            at = data.draw(st.integers(0, len(raw) - 1))
            raw[at] ^= 1 << data.draw(st.integers(0, 7))
        elif action == "truncate":
            del raw[data.draw(st.integers(0, len(raw))) :]
        elif action == "insert":
            at = data.draw(st.integers(0, len(raw)))
            raw[at:at] = data.draw(st.binary(min_size=1, max_size=16))
        elif action == "delete" and raw:
            at = data.draw(st.integers(0, len(raw) - 1))
            del raw[at : at + data.draw(st.integers(1, 16))]
    unpack(bytes(raw))


MEMBER_NAMES = st.one_of(
    st.sampled_from(
        [
            "datapackage.json",
            "paket/datapackage.json",
            "data/countries.csv",
            "data",
            "data/",
            "data/x/",
            "",
            ".",
            "./",
            "./datapackage.json",
            "..",
            "../evil",
            "../../evil",
            "../../../evil",
            "a/../../evil",
            "a/./b",
            "/evil",
            "//evil",
            "\\evil",
            "..\\evil",
            "a\\..\\..\\evil",
            "C:evil",
            "C:\\evil",
            "C:/evil",
            "{SANDBOX}/evil",
            "{SANDBOX}/a/evil",
            "a" * 300,
            "x/" * 200 + "y",
            "datapackage.json/",
            "ä/ö.csv",
            "nul\x00byte",
            "line\nbreak",
            " ",
            "datapackage.json ",
            "DATAPACKAGE.JSON",
        ]
    ),
    st.text(max_size=20),
)


MEMBER = st.fixed_dictionaries(
    {
        "name": MEMBER_NAMES,
        "method": st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]),
        # file, link, folder, fifo, socket, block device; the low byte's 0x10 is the DOS folder flag
        "mode": st.sampled_from([0, 0o100644, 0o120777, 0o040755, 0o010644, 0o140777, 0o060644]),
        "dos": st.sampled_from([0, 0x10]),
        "flags": st.sampled_from([0, 0, 0x1, 0x40, 0x800]),  # encrypted, strong encryption, UTF-8
        "content": st.binary(max_size=300),
    }
)


def build_zip(members: list[dict], sandbox: Path) -> bytes:
    """A zip of MEMBERS; "{SANDBOX}" in a name stands for the folder around the target."""
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as archive:
        warnings.simplefilter("ignore", UserWarning)  # duplicate names are meant
        for member in members:
            info = zipfile.ZipInfo(member["name"].replace("{SANDBOX}", str(sandbox)))
            info.compress_type = member["method"]
            info.external_attr = (member["mode"] << 16) | member["dos"]
            info.flag_bits |= member["flags"]
            try:
                archive.writestr(info, member["content"])
            except (ValueError, OSError):
                pass  # zipfile refuses to write this name
    return buffer.getvalue()


@fuzz(100)
@given(members=st.lists(MEMBER, max_size=6), descriptor=st.booleans())
def test_upload_of_crafted_members(members, descriptor):
    if descriptor:
        members = [
            {
                "name": "datapackage.json",
                "method": zipfile.ZIP_DEFLATED,
                "mode": 0o100644,
                "dos": 0,
                "flags": 0,
                "content": EMBEDDED_DESCRIPTOR.read_bytes(),
            },
            *members,
        ]
    unpack(functools.partial(build_zip, members))


# --- regressions: crashes the fuzzing found -----------------------------------------------
# Each crash the fuzzing above found, pinned as a plain example.


def descriptor_with(change) -> dict:
    descriptor = copy.deepcopy(BASE_DESCRIPTOR)
    change(descriptor)
    return descriptor


def resource_named(descriptor: dict, name: str) -> dict:
    return next(r for r in descriptor["resources"] if r["name"] == name)


def field_named(descriptor: dict, resource: str, name: str) -> dict:
    return next(f for f in resource_named(descriptor, resource)["schema"]["fields"] if f["name"] == name)


def problems_of(tmp_path: Path, descriptor: dict, files: dict[str, bytes] | None = None) -> list[Problem]:
    path = write_descriptor_package(tmp_path / "p", descriptor)
    for name, raw in (files or {}).items():
        (path.parent / "data" / f"{name}.csv").write_bytes(raw)
    problems = answer(path)
    assert problems, "expected problems"
    return problems


def test_header_labels_with_spaces_are_read_as_frictionless_reads_them(tmp_path):
    # package.py read_text_frames: frictionless strips labels, polars did not (ColumnNotFoundError)
    path = write_package(tmp_path / "p")
    text = csv_text([" " + label + " " for label in HEADERS["partnerships"]], BASE_ROWS["partnerships"])
    (path.parent / "data" / "partnerships.csv").write_text(text, encoding="utf-8")
    assert answer(path) == []
    assert load_package(path)["partnerships"].columns[0] == "partnership_id"


def _set(keys: tuple, value):
    """A change that sets descriptor[keys...] = value; a str key after an int picks a resource by name."""

    def change(descriptor):
        node = descriptor
        for key in keys[:-1]:
            node = resource_named(descriptor, key) if node is descriptor["resources"] else node[key]
        node[keys[-1]] = value

    return change


def _set_field(resource: str, field: str, key: str, value):
    return lambda d: field_named(d, resource, field).__setitem__(key, value)


def _set_schema(resource: str, key: str, value):
    return lambda d: resource_named(d, resource)["schema"].__setitem__(key, value)


def _set_foreign_key(key: str, value, reference: bool = False):
    def change(descriptor):
        foreign_key = resource_named(descriptor, "municipalities")["schema"]["foreignKeys"][0]
        (foreign_key["reference"] if reference else foreign_key)[key] = value

    return change


@pytest.mark.parametrize(
    "change, expected",
    [
        # contract.py contract_problems: names and enums used as dict keys or set members
        (_set(("resources", "countries", "name"), ["countries"]), ("countries", None, None)),
        (_set_field("countries", "name_de", "name", ["name_de"]), ("countries", None, "name_de")),
        (_set_field("municipalities", "continent", "constraints", True), ("municipalities", None, "continent")),
        (
            lambda d: field_named(d, "municipalities", "continent")["constraints"].__setitem__("enum", 5),
            ("municipalities", None, "continent"),
        ),
        (
            lambda d: field_named(d, "municipalities", "continent")["constraints"].__setitem__("enum", [["Asia"]]),
            ("municipalities", None, "continent"),
        ),
        # contract.py _declared_foreign_keys: fields and references of any shape
        (_set_foreign_key("fields", 5), ("municipalities", None, "country_code")),
        (_set_foreign_key("fields", [["country_code"]], reference=True), ("municipalities", None, "country_code")),
        (_set_foreign_key("resource", ["countries"], reference=True), ("municipalities", None, "country_code")),
        # package.py frictionless_problems: frictionless itself raised TypeError on this one
        (_set_schema("municipalities", "foreignKeys", 5), ("municipalities", None, "country_code")),
    ],
)
def test_malformed_descriptor_parts_are_problems(tmp_path, change, expected):
    problems = problems_of(tmp_path, descriptor_with(change))
    assert expected in [(p.resource, p.row, p.field) for p in problems]


@pytest.mark.parametrize("pattern", ["[", "(", "*"])
def test_a_pattern_that_is_no_regular_expression_is_a_problem(tmp_path, pattern):
    # package.py frictionless_problems: resource.validate() raised re.error
    change = _set_field("status_history", "note", "constraints", {"pattern": pattern})
    problems = problems_of(tmp_path, descriptor_with(change))
    assert [(p.resource, p.field) for p in problems] == [("status_history", "note")]
    assert "is no regular expression" in problems[0].message


def test_key_cells_frictionless_parses_into_lists_are_problems(tmp_path):
    # package.py frictionless_problems: resource.validate() raised TypeError (unhashable type) on
    # a foreign key cell that a list field had parsed
    problems = problems_of(tmp_path, descriptor_with(_set_field("partnerships", "home_id", "type", "list")))
    assert ("partnerships", None, "home_id") in [(p.resource, p.row, p.field) for p in problems]
    assert any(p.resource == "partnerships" and 'type "list" is not supported' in p.message for p in problems)


@pytest.mark.parametrize(
    "name, path, message",
    [
        (None, "", "no local file path"),  # package.py resource_path_problems: Problem(resource=None)
        (["x"], 5, "no local file path"),
        ("countries", "http://[::1/countries.csv", "is a URL"),  # urlparse raised ValueError
        ("countries", "data/countries.csv\x00", "is not a file name"),  # resolve() raised ValueError
    ],
)
def test_odd_names_and_paths_are_problems(tmp_path, name, path, message):
    def change(descriptor):
        descriptor["resources"][0]["name"] = name
        descriptor["resources"][0]["path"] = path

    problems = problems_of(tmp_path, descriptor_with(change))
    assert problems[0].resource == (name if isinstance(name, str) else "#1")
    assert problems[0].field == "path" and message in problems[0].message


def test_a_path_too_long_for_the_file_system_is_a_problem(tmp_path):
    # package.py file_size_problems: stat() raised OSError (File name too long)
    problems = problems_of(tmp_path, descriptor_with(_set(("resources", "countries", "path"), "data/" + "a" * 300)))
    assert any(p.resource == "countries" and "too long" in p.message for p in problems)


@pytest.mark.parametrize(
    "change, where",
    [
        (_set(("resources", "countries", "schema"), "http://127.0.0.1:9/schema.json"), ("countries", "schema")),
        (_set(("resources", "countries", "dialect"), "https://example.org/dialect.json"), ("countries", "dialect")),
        (_set(("resources", "countries", "profile"), "https://example.org/profile.json"), ("countries", "profile")),
        (_set(("resources", "countries", "extrapaths"), ["http://example.org/x.csv"]), ("countries", "extrapaths")),
        (_set(("profile",), "https://example.org/profile.json"), ("datapackage.json", "profile")),
    ],
)
def test_urls_besides_the_path_are_refused_and_never_fetched(tmp_path, change, where):
    # package.py resource_path_problems: frictionless fetched these (guarded() fails on any attempt)
    descriptor = descriptor_with(change)
    problems = problems_of(tmp_path, descriptor)
    assert [(p.resource, p.field) for p in problems] == [where]
    assert "is a URL" in problems[0].message


def _csv_bytes(resource: str, encoding: str = "utf-8", delimiter: str = ",", prefix: str = "") -> bytes:
    buffer = io.StringIO()
    buffer.write(prefix)
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(HEADERS[resource])
    writer.writerows(BASE_ROWS[resource])
    return buffer.getvalue().encode(encoding)


def _zipped_csv(resource: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"{resource}.csv", _csv_bytes(resource))
    return buffer.getvalue()


def _xlsx_resource(descriptor: dict) -> None:
    """partnerships as a spreadsheet (frictionless reads it when openpyxl is installed)."""
    openpyxl = pytest.importorskip("openpyxl")
    resource = resource_named(descriptor, "partnerships")
    for key in ("dialect", "encoding", "mediatype"):
        resource.pop(key, None)
    resource.update(format="xlsx", path="data/partnerships.csv")
    workbook = openpyxl.Workbook()
    for row in [HEADERS["partnerships"], *BASE_ROWS["partnerships"]]:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    XLSX_FILE["partnerships"] = buffer.getvalue()


XLSX_FILE: dict[str, bytes] = {}


@pytest.mark.parametrize(
    "change, files, where",
    [
        # package.py read_text_frames: polars raised after frictionless had accepted the file
        (
            _set(("resources", "countries", "encoding"), "latin-1"),
            {"countries": _csv_bytes("countries", "latin-1")},
            ("countries", "encoding"),
        ),
        (
            _set(("resources", "partnerships", "dialect"), {"commentChar": "#"}),
            {"partnerships": _csv_bytes("partnerships", prefix="# note, with a comma\n")},
            ("partnerships", "dialect"),
        ),
        (
            _set(("resources", "partnerships", "dialect"), {"delimiter": "§"}),
            {"partnerships": _csv_bytes("partnerships", delimiter="§")},
            ("partnerships", "dialect"),
        ),
        (_set(("resources", "partnerships", "dialect"), {"quoteChar": "\n"}), {}, ("partnerships", "dialect")),
        (
            _set(("resources", "partnerships", "compression"), "zip"),
            {"partnerships": _zipped_csv("partnerships")},
            ("partnerships", "compression"),
        ),
        (_xlsx_resource, {}, ("partnerships", "format")),
    ],
)
def test_what_the_frame_reader_cannot_follow_is_a_problem(tmp_path, change, files, where):
    descriptor = descriptor_with(change)
    problems = problems_of(tmp_path, descriptor, files or XLSX_FILE)
    assert where in [(p.resource, p.field) for p in problems]


def _municipalities_with(column: str, value: str, every_row: bool = False) -> bytes:
    rows = copy.deepcopy(BASE_ROWS["municipalities"])
    for row in rows if every_row else rows[:1]:
        row[HEADERS["municipalities"].index(column)] = value
    return csv_text(HEADERS["municipalities"], rows).encode()


def _sources_published(value: str) -> bytes:
    rows = copy.deepcopy(BASE_ROWS["sources"])
    rows[1][HEADERS["sources"].index("published")] = value
    return csv_text(HEADERS["sources"], rows).encode()


def _dotted_dates(descriptor: dict) -> None:
    field = field_named(descriptor, "sources", "published")
    field.update(format="%d.%m.%Y")
    field.pop("example", None)


@pytest.mark.parametrize(
    "change, files, where",
    [
        # package.py typed_frame (load_package): frictionless accepted what polars could not cast
        (
            _set_schema("municipalities", "missingValues", ["", "NA"]),
            {"municipalities": _municipalities_with("population", "NA")},
            ("municipalities", None),
        ),
        (
            _set_field("municipalities", "latitude", "bareNumber", False),
            {"municipalities": _municipalities_with("latitude", "51.5N")},
            ("municipalities", "latitude"),
        ),
        (
            _set_field("municipalities", "latitude", "decimalChar", ","),
            {"municipalities": _municipalities_with("latitude", "51,5", every_row=True)},
            ("municipalities", "latitude"),
        ),
        (_dotted_dates, {"sources": _sources_published("19.11.2024")}, ("sources", "published")),
    ],
)
def test_reading_options_the_typed_reader_ignores_are_problems(tmp_path, change, files, where):
    problems = problems_of(tmp_path, descriptor_with(change), files)
    assert where in [(p.resource, p.field) for p in problems]


def small_zip(members: list[tuple[str, bytes, int]]) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as archive:
        warnings.simplefilter("ignore", UserWarning)
        for name, content, method in members:
            info = zipfile.ZipInfo(name)
            info.compress_type = method
            archive.writestr(info, content)
    return buffer.getvalue()


DESCRIPTOR_MEMBER = ("datapackage.json", b"{}", zipfile.ZIP_STORED)
CSV = b"a,b\n1,2\n" * 100


def _patched(data: bytes, signature: bytes, offset: int, value: bytes, occurrence: int = -1) -> bytes:
    starts = [m.start() for m in re.finditer(re.escape(signature), data)]
    at = starts[occurrence] + offset
    return data[:at] + value + data[at + len(value) :]


def _member_data_at(data: bytes) -> int:
    """Where the last member's data begins, after its local header."""
    start = data.rfind(b"PK\x03\x04")
    name_length, extra_length = (
        int.from_bytes(data[start + 26 : start + 28], "little"),
        int.from_bytes(data[start + 28 : start + 30], "little"),
    )
    return start + 30 + name_length + extra_length


def _damaged_deflate() -> bytes:
    data = small_zip([DESCRIPTOR_MEMBER, ("data/x.csv", CSV, zipfile.ZIP_DEFLATED)])
    at = _member_data_at(data)
    return data[:at] + b"\xff" + data[at + 1 :]  # block type 3 does not exist: zlib.error


def _bad_crc() -> bytes:
    data = small_zip([DESCRIPTOR_MEMBER, ("data/x.csv", CSV, zipfile.ZIP_STORED)])
    at = _member_data_at(data)
    return data[:at] + b"b" + data[at + 1 :]  # BadZipFile: Bad CRC-32


def _encrypted() -> bytes:
    return _patched(
        small_zip([DESCRIPTOR_MEMBER, ("data/x.csv", CSV, zipfile.ZIP_STORED)]), b"PK\x01\x02", 8, b"\x01"
    )  # RuntimeError: password required


def _central_directory_moved(by: int) -> bytes:
    """The end record claims the central directory starts BY bytes later: members' offsets go negative."""
    at = ZIP_OF_TWO.rfind(b"PK\x05\x06") + 16
    offset = int.from_bytes(ZIP_OF_TWO[at : at + 4], "little") + by
    return ZIP_OF_TWO[:at] + offset.to_bytes(4, "little") + ZIP_OF_TWO[at + 4 :]


ZIP_OF_TWO = small_zip([DESCRIPTOR_MEMBER, ("data/x.csv", CSV, zipfile.ZIP_STORED)])


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(_damaged_deflate(), id="damaged-deflate-stream"),
        pytest.param(_bad_crc(), id="bad-crc"),
        pytest.param(_encrypted(), id="encrypted-member"),
        pytest.param(_patched(ZIP_OF_TWO, b"PK\x01\x02", 6, b"\xe9"), id="version-23.3-needed"),
        pytest.param(_patched(ZIP_OF_TWO, b"PK\x01\x02", 10, b"\x63"), id="unknown-compression-method"),
        pytest.param(_central_directory_moved(1_000_000), id="negative-seek"),
        pytest.param(_patched(ZIP_OF_TWO, b"PK\x01\x02", 42, b"\x01\x00"), id="truncated-file-header"),
        pytest.param(small_zip([DESCRIPTOR_MEMBER, ("a" * 300, b"x", 0)]), id="name-too-long"),
        pytest.param(
            small_zip([DESCRIPTOR_MEMBER, ("data", b"x", 0), ("data/x.csv", b"x", 0)]), id="file-where-a-folder-goes"
        ),
        pytest.param(small_zip([DESCRIPTOR_MEMBER, ("", b"x", 0)]), id="empty-name"),
        pytest.param(small_zip([DESCRIPTOR_MEMBER, (".", b"x", 0)]), id="dot-name"),
        pytest.param(small_zip([DESCRIPTOR_MEMBER, ("datapackage.json/", b"", 0)]), id="folder-where-a-file-is"),
    ],
)
def test_damaged_zips_are_refused(data):
    # upload.py unpack_package_zip: zipfile, zlib and the file system raised past the refusal
    with tempfile.TemporaryDirectory() as folder, guarded(), pytest.raises(UploadRefused) as refused:
        unpack_package_zip(data, Path(folder) / "target")
    assert refused.value.code == "not_zip"
