"""The partnerships, their status history, themes and sources: rows drawn partnership by
partnership, in the order a real history tends to follow."""

from __future__ import annotations

import random
from datetime import date

from analysis.synth.countries import INHABITED
from analysis.synth.draws import (
    CREATED_DATE,
    EARLIEST_EVENT,
    FIRST_STATUS,
    GAP_DAYS,
    KIND_WEIGHTS,
    MILESTONE_DAYS,
    MILESTONE_NOTES,
    NOTES,
    PRECISION_WEIGHTS,
    PUBLISHERS,
    SOURCE_KINDS,
    THEME_COUNT_WEIGHTS,
    THEME_WEIGHTS,
    TRANSITIONS,
    pick,
    picker,
)

_FIRST = picker(FIRST_STATUS)
_PRECISIONS = picker(PRECISION_WEIGHTS)
_TRANSITIONS = {status: picker(following) for status, following in TRANSITIONS.items()}
_KINDS = picker(KIND_WEIGHTS)
_THEME_COUNTS = picker(THEME_COUNT_WEIGHTS)
_FIRST_DAY, _LAST_DAY = EARLIEST_EVENT.toordinal(), CREATED_DATE.toordinal()


def _written(day: int, precision: str) -> int:
    """The ordinal of DAY as written at PRECISION: months as YYYY-MM-01, years as YYYY-01-01."""
    if precision == "day":
        return day
    value = date.fromordinal(day)
    return date(value.year, value.month if precision == "month" else 1, 1).toordinal()


def _status_sequence(rng: random.Random, start: int, limit: int) -> list[tuple[int, str, str]]:
    """One partnership's status rows as (date ordinal as written, precision, status), date order."""
    rows: list[tuple[int, str, str]] = []
    status = pick(rng, _FIRST)
    day = start
    while True:
        precision = pick(rng, _PRECISIONS)
        written = _written(day, precision)
        if rows and written <= rows[-1][0]:
            precision, written = "day", day  # coarser would fall on or before the previous row
        rows.append((written, precision, status))
        if len(rows) == 5:
            return rows
        following = pick(rng, _TRANSITIONS[status])
        if following is None:
            return rows
        low, high = MILESTONE_DAYS if following == status else GAP_DAYS[status]
        day += rng.randint(low, high)
        if day > limit:
            return rows
        status = following


def partnership_pairs(
    rng: random.Random, partnerships: int, home_count: int, partner_count: int
) -> list[tuple[int, int, str]]:
    """Which home has which partner, and of what kind, as (home index, partner index, kind), by home.

    Every home has at least one partner, a few big cities many (log-normal weights); popular
    partners (low numbers) are shared by several homes. A negative partner index -1 - i names
    home i: a few partnerships within Germany link two homes.
    """
    home_picker = picker(tuple(enumerate(rng.lognormvariate(0.0, 0.8) for _ in range(home_count))))
    seen: set[tuple[int, int, str]] = set()
    pairs: list[tuple[int, int, str]] = []
    while len(pairs) < partnerships:
        index = len(pairs)
        home = index if index < home_count else pick(rng, home_picker)
        if index < len(INHABITED):
            partner = index
        else:
            partner = min(partner_count - 1, int(partner_count * rng.random() ** 1.2))
        kind = pick(rng, _KINDS)
        if (home, partner, kind) not in seen:
            seen.add((home, partner, kind))
            pairs.append((home, partner, kind))
    if home_count > 1:
        for index in range(len(INHABITED), partnerships, 97):
            home, _, kind = pairs[index]
            other = (home + 1 + rng.randrange(home_count - 1)) % home_count
            key = (home, -1 - other, kind)
            if key not in seen:
                seen.add(key)
                pairs[index] = key
    pairs.sort(key=lambda pair: pair[0])  # files list a home's partnerships together
    return pairs


def _source_id(rng: random.Random, source_count: int) -> str:
    return f"quelle-{rng.randrange(source_count) + 1:04d}"


def _status_rows(rng: random.Random, partnership_id: str, source_count: int) -> list[tuple]:
    """A partnership's status_history rows; the first mostly between the 1960s and the 1990s, some recent."""
    start = _FIRST_DAY + int((_LAST_DAY - _FIRST_DAY) * rng.triangular(0.0, 1.0, 0.45))
    rows = []
    previous = None
    for written, precision, status in _status_sequence(rng, min(start, _LAST_DAY - 30), _LAST_DAY):
        note = rng.choice(MILESTONE_NOTES if status == previous else NOTES[status])
        iso_date = date.fromordinal(written).isoformat()
        rows.append((partnership_id, iso_date, precision, status, note, _source_id(rng, source_count), None))
        previous = status
    return rows


def _theme_rows(rng: random.Random, partnership_id: str, theme_picker: tuple, source_count: int) -> list[tuple]:
    """A partnership's partnership_themes rows: zero to four distinct themes, each with a source."""
    wanted = min(pick(rng, _THEME_COUNTS), len(theme_picker[0]))
    chosen: list[str] = []
    while len(chosen) < wanted:
        theme = pick(rng, theme_picker)
        if theme not in chosen:
            chosen.append(theme)
    return [(partnership_id, theme, _source_id(rng, source_count)) for theme in chosen]


def partnership_rows(
    rng: random.Random, pairs: list[tuple[int, int, str]], home_ids: list[str], partner_ids: list[str],
    theme_ids: list[str], source_count: int,
) -> dict[str, list[tuple]]:  # fmt: skip
    """The rows of partnerships, status_history and partnership_themes, partnership by partnership."""
    width = max(6, len(str(len(pairs))))
    theme_picker = picker(tuple((theme, THEME_WEIGHTS.get(theme, 2)) for theme in theme_ids))
    rows: dict[str, list[tuple]] = {"partnerships": [], "status_history": [], "partnership_themes": []}
    for number, (home, partner, kind) in enumerate(pairs, start=1):
        partnership_id = f"partnerschaft-{number:0{width}d}"
        partner_id = home_ids[-1 - partner] if partner < 0 else partner_ids[partner]
        association = f"Partnerschaftsverein {number} (synthetisch)" if rng.random() < 0.25 else None
        rows["partnerships"].append((partnership_id, home_ids[home], partner_id, kind, association, None))
        rows["status_history"] += _status_rows(rng, partnership_id, source_count)
        rows["partnership_themes"] += _theme_rows(rng, partnership_id, theme_picker, source_count)
    return rows


def source_rows(rng: random.Random, count: int) -> list[tuple]:
    """COUNT made-up sources, named so, with example.org addresses."""
    sources = []
    for number in range(1, count + 1):
        published = date.fromordinal(_LAST_DAY - rng.randrange(_LAST_DAY - _FIRST_DAY)) if rng.random() < 0.7 else None
        reference = f"Vorlage {rng.randint(100, 2999)}/{rng.randint(1990, 2025)}" if rng.random() < 0.3 else None
        sources.append(
            (
                f"quelle-{number:04d}",
                f"Synthetische Quelle {number}: {rng.choice(SOURCE_KINDS)}",
                rng.choice(PUBLISHERS),
                published.isoformat() if published else None,
                f"https://example.org/quellen/{number:04d}",
                reference,
            )
        )
    return sources
