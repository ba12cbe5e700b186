"""German first, English as well: every text from phrasebook.toml, numbers as each language writes
them (Babel), and dates as much as they are known.

The language is the one set with `language(code)` for a piece of work (the report), else the one
the reader registered with `read_language_with` answers (the dashboard: the session's choice),
else German."""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from pathlib import Path

import polars as pl
from babel.numbers import format_decimal

LANGUAGES = {"de": "Deutsch", "en": "English"}
LOCALES = {"de": "de_DE", "en": "en_GB"}
PHRASEBOOK = Path(__file__).with_name("phrasebook.toml")

Phrases = dict[str, tuple[str, str]]  # key -> (German, English)


def read_phrasebook(path: Path = PHRASEBOOK) -> dict[str, Phrases]:
    """Each table of the phrasebook (status, kind, …, text, edit, report) as key -> (German, English)."""
    with path.open("rb") as file:
        book = tomllib.load(file)
    for name, table in book.items():
        for key, entry in table.items():
            if not isinstance(entry, dict) or set(entry) != {"de", "en"}:
                raise ValueError(f"{path.name}: [{name}] {key} needs a German (de) and an English (en) text")
    return {name: {key: (entry["de"], entry["en"]) for key, entry in table.items()} for name, table in book.items()}


BOOK = read_phrasebook()
STATUS, KIND, CONTINENT, GROUP, COLUMN = (BOOK[name] for name in ("status", "kind", "continent", "group", "column"))
REFUSALS, REPORT = BOOK["refusal"], BOOK["report"]
if BOOK["text"].keys() & BOOK["edit"].keys():
    raise ValueError(f"{PHRASEBOOK.name}: keys in both [text] and [edit]: {sorted(BOOK['text'].keys() & BOOK['edit'])}")
TEXT = BOOK["text"] | BOOK["edit"]  # what t() reads: the pages' texts and the edit mode's

# A language set for a piece of work outside a page (the report on the command line).
_FORCED_LANG: ContextVar[str | None] = ContextVar("forced_lang", default=None)
_reader: Callable[[], str | None] = lambda: None  # noqa: E731


@contextmanager
def language(code: str) -> Iterator[None]:
    """Labels, dates and numbers in CODE while the block runs, whatever the sidebar says."""
    token = _FORCED_LANG.set(code)
    try:
        yield
    finally:
        _FORCED_LANG.reset(token)


def read_language_with(reader: Callable[[], str | None]) -> None:
    """Ask READER for the language when no block has set one (the dashboard: the session's choice)."""
    global _reader
    _reader = reader


def lang() -> str:
    """The language set for this piece of work, else the reader's choice, else German."""
    forced = _FORCED_LANG.get()
    if forced in LANGUAGES:
        return forced
    chosen = _reader()
    return chosen if chosen in LANGUAGES else "de"


def _in_language(table: Phrases, key: str) -> str:
    """KEY's text of TABLE in the current language; an unknown key stands for itself."""
    pair = table.get(key)
    if pair is None:
        return key
    return pair[0] if lang() == "de" else pair[1]


def t(key: str, **values: object) -> str:
    """A UI text in the current language, with {placeholders} filled."""
    text = _in_language(TEXT, key)
    return text.format(**values) if values else text


def report_text(key: str, **values: object) -> str:
    """A text only the report uses, in the current language, with {placeholders} filled."""
    text = _in_language(REPORT, key)
    return text.format(**values) if values else text


def plural(key: str, n: int, **values: object) -> str:
    """KEY_one or KEY_other with {n} (and VALUES) filled (1 Kontinent, 4 Kontinente; 1 continent,
    4 continents)."""
    return t(f"{key}_one" if n == 1 else f"{key}_other", n=number(n), **values)


def refusal(code: str, **params: object) -> str:
    """Why an upload was refused, in the current language."""
    return _in_language(REFUSALS, code).format(**{k: number(v) if isinstance(v, int) else v for k, v in params.items()})


def status_label(value: str) -> str:
    return _in_language(STATUS, value)


def kind_label(value: str) -> str:
    return _in_language(KIND, value)


def continent_label(value: str) -> str:
    return _in_language(CONTINENT, value)


def group_label(value: str) -> str:
    return _in_language(GROUP, value)


def column_label(value: str) -> str:
    return _in_language(COLUMN, value)


def number(value: float | int) -> str:
    """12.345 in German, 12,345 in English."""
    return format_decimal(value, locale=LOCALES[lang()])


def signed(value: int) -> str:
    """A change as +3, −2 (a minus sign Streamlit reads as negative) or ±0."""
    if value == 0:
        return "±0"
    return ("+" if value > 0 else "") + number(value)


def precision_text(value: pl.Expr, precision: pl.Expr) -> pl.Expr:
    """A date as much as it is known, as the current language writes it: 1950, 05/2024, 25.11.2019
    (English: 1950, May 2024, 25 Nov 2019); PRECISION "year", "month", else the day."""
    german = lang() == "de"
    return (
        pl.when(precision == "year")
        .then(value.dt.strftime("%Y"))
        .when(precision == "month")
        .then(value.dt.strftime("%m/%Y" if german else "%b %Y"))
        .otherwise(value.dt.strftime("%d.%m.%Y" if german else "%-d %b %Y"))
    )


def date_at_precision(value: date | None, precision: str | None) -> str:
    """One date as precision_text writes it (the same rule for a caption as for a table's cells)."""
    if value is None:
        return ""
    return _date_text(value, precision, lang())


@functools.lru_cache(maxsize=1024)  # a page writes its few dates at every rerun (a Polars query each)
def _date_text(value: date, precision: str | None, code: str) -> str:
    with language(code):
        return pl.select(precision_text(pl.lit(value, dtype=pl.Date), pl.lit(precision, dtype=pl.String))).item()
