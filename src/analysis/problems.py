"""The errors a package can raise: each problem names resource, row, field, and a code with the
values its text needs.

Code decides, the phrasebook speaks: a problem's German and English texts are the entry of its
code in the `[problem]` table of `src/present/phrasebook.toml`, filled with its params. The file is
read here as data (analysis imports nothing of present), so the command line, the pages and the
workbook import show the same words, and a wording changes in one place.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import polars as pl

PHRASEBOOK = Path(__file__).resolve().parent.parent / "present" / "phrasebook.toml"


@cache
def phrasebook_table(table: str) -> dict[str, dict[str, str]]:
    """One table of the phrasebook, `problem` or `refusal`: code -> {"de": …, "en": …}."""
    with PHRASEBOOK.open("rb") as file:
        return tomllib.load(file)[table]


def phrase(code: str, lang: str, params: Mapping[str, object], table: str = "problem") -> str:
    """The text of CODE in LANG ("de" or "en") with PARAMS put in."""
    return phrasebook_table(table)[code][lang].format(**params)


def _label(table: str, key: str, lang: str) -> str | None:
    entry = phrasebook_table(table).get(key)
    return entry[lang] if isinstance(entry, dict) and lang in entry else None


# values with labels of their own, by the field that holds them (the phrasebook's tables)
VALUE_TABLES = {"status": "status", "kind": "kind", "continent": "continent", "date_basis": "date_basis"}


@dataclass(frozen=True)
class Named:
    """A resource and/or fields of it, named in a problem's text in the reader's language where the
    phrasebook has a label ("Themen je Partnerschaft, Thema (partnership_themes.theme_id)"), else as
    the package names them; the codes stay beside the label to find the column by."""

    resource: str | None = None
    fields: tuple[str, ...] = ()

    def said(self, lang: str) -> str:
        parts = []
        if self.resource:
            parts.append(_label("sheet", self.resource, lang) or self.resource)
        if self.fields:
            parts.append(", ".join(_label("edit", f"field_{f}", lang) or f for f in self.fields))
        codes = ".".join(filter(None, [self.resource, ", ".join(self.fields)]))
        text = ": ".join(parts)
        return text if text == codes else f"{text} ({codes})"

    def __str__(self) -> str:
        return ".".join(filter(None, [self.resource, ", ".join(self.fields)]))


@dataclass(frozen=True)
class Listed:
    """The values a FIELD allows, said with their labels where the field's values have them
    ("aktiv (active), ruhend (paused)"), else as codes."""

    field: str
    values: tuple[str, ...]

    def said(self, lang: str) -> str:
        table = VALUE_TABLES.get(self.field)
        labels = [(_label(table, value, lang) if table else None) for value in self.values]
        return ", ".join(
            v if not label or label == v else f"{label} ({v})" for v, label in zip(self.values, labels, strict=True)
        )

    def __str__(self) -> str:
        return ", ".join(self.values)


def _in_language(params: Mapping[str, object], lang: str) -> dict[str, object]:
    return {key: value.said(lang) if isinstance(value, Named | Listed) else value for key, value in params.items()}


def plain_params(params: Mapping[str, object]) -> dict[str, object]:
    """PARAMS as codes (for JSON): a named resource or field as `resource.field`, listed values as
    their codes."""
    out: dict[str, object] = {}
    for key, value in params.items():
        if isinstance(value, Named):
            out[key] = {"resource": value.resource, "fields": list(value.fields)}
        elif isinstance(value, Listed):
            out[key] = list(value.values)
        elif isinstance(value, str | int | float | bool) or value is None:
            out[key] = value
        else:
            out[key] = str(value)
    return out


def where_said(resource: str | None, field: str | None, lang: str) -> tuple[str, str | None]:
    """A problem's resource and field in LANG: the labels with the codes beside them."""
    said = Named(resource).said(lang) if resource else ""
    return said, Named(None, tuple(field.split(", "))).said(lang) if field else None


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a package. `row` counts the header as row 1, as frictionless does;
    `code` names the phrasebook's text, `params` the values it needs. Two problems are equal when
    they say the same of the same place."""

    resource: str
    row: int | None
    field: str | None
    code: str = field(compare=False)
    params: Mapping[str, object] = field(default_factory=dict, hash=False, compare=False, repr=False)
    message: str = field(init=False)  # English
    message_de: str = field(init=False)  # German

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", phrase(self.code, "en", _in_language(self.params, "en")))
        object.__setattr__(self, "message_de", phrase(self.code, "de", _in_language(self.params, "de")))

    def text(self, lang: str = "en") -> str:
        """The message in LANG ("de" or "en")."""
        return self.message_de if lang == "de" else self.message

    def __str__(self) -> str:
        return self.describe("en")

    def describe(self, lang: str = "en") -> str:
        """One line: resource, row, field (their labels in LANG, the codes beside them) and message,
        in LANG ("de" or "en")."""
        resource, field_said = where_said(self.resource, self.field, lang)
        where = [resource]
        if self.row is not None:
            where.append(phrase("at_row", lang, {"row": self.row}))
        if field_said:
            where.append(phrase("at_field", lang, {"field": field_said}))
        return f"{', '.join(where)}: {self.text(lang)}"


class NotADataPackage(Exception):
    """PATH holds no readable datapackage.json at all; `code` names the reason's text, PARAMS the
    values it needs (str() is the English text)."""

    def __init__(self, code: str, **params: object) -> None:
        self.code, self.params = code, params
        self.message_de = phrase(code, "de", params)
        super().__init__(phrase(code, "en", params))

    def text(self, lang: str = "en") -> str:
        return self.message_de if lang == "de" else str(self)


class PackageInvalid(Exception):
    """The package breaks its schema, the contract or a business rule; `problems` lists them all."""

    def __init__(self, problems: list[Problem], where: str = "") -> None:
        self.problems = list(problems)
        self.where = where
        count = len(self.problems)
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        super().__init__(f"{where}: {count} problem{'s' if count != 1 else ''}\n{lines}")


MAX_PROBLEMS_PER_RULE = 50  # rows named per resource, field and rule; the rest are counted


def shorten(text: str, limit: int = 60) -> str:
    """TEXT cut to LIMIT characters with an ellipsis, to quote a cell in a message."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def too_many(resource: str, field: str | None, more: int) -> Problem:
    """The count of rows with the same problem beyond those named."""
    return Problem(resource, None, field, code="more_rows", params={"more": more})


def row_problems(
    resource: str, rows: pl.DataFrame, field: str | None, code: str, params: Callable[[dict], dict] = lambda row: {}
) -> list[Problem]:
    """One Problem of CODE per row of ROWS (a frame with `row` and the cells PARAMS takes from a
    row, as a dict, for the text), at most MAX_PROBLEMS_PER_RULE of them and a count of the rest."""
    named = rows.head(MAX_PROBLEMS_PER_RULE).iter_rows(named=True)
    problems = [Problem(resource, row["row"], field, code=code, params=params(row)) for row in named]
    if rows.height > MAX_PROBLEMS_PER_RULE:
        problems.append(too_many(resource, field, rows.height - MAX_PROBLEMS_PER_RULE))
    return problems


def quoted_problems(resource: str, rows: pl.DataFrame, field: str | None, code: str, **params: object) -> list[Problem]:
    """row_problems whose texts quote the row's `value` (shortened) as `{value}`, with PARAMS."""
    return row_problems(resource, rows, field, code, lambda row: {"value": shorten(str(row["value"])), **params})
