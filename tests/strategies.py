"""What the fuzzing draws, and how much: hypothesis profiles and budget, strategies for broken
cells and rows, raw CSV bytes and descriptors. Used by the properties in tests/test_fuzz.py and
the comparison with frictionless in tests/test_differential.py.

Profiles: the default runs a modest number of examples; CI=1 derandomizes (repeatable runs);
HYPOTHESIS_PROFILE=hunt (5x the examples) or =soak (20x) hunt for crashes locally.
"""

from __future__ import annotations

import copy
import json
import os
import re
import tempfile
from pathlib import Path

from calm_answers import BASE_DESCRIPTOR, csv_text
from conftest import BASE_ROWS, HEADERS
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase

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


def broken_file(kinds: list[str] = CSV_KINDS):
    """{resource: the bytes of its broken CSV file}, for one resource of the small package."""
    return st.sampled_from(RESOURCES).flatmap(
        lambda resource: broken_csv(resource, kinds).map(lambda raw: {resource: raw})
    )


# Broken small packages as (rows, files) for conftest.temporary_package: bad rows in well-formed
# files, or one file broken as a CSV (about half of the examples each).
BROKEN_PACKAGES = st.one_of(
    broken_rows().map(lambda rows: (rows, None)),
    broken_file().map(lambda files: (None, files)),
)


# --- strategies: descriptors --------------------------------------------------------------

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
