"""How often what is drawn: the weights of kinds, statuses, gaps, precisions and themes, the notes
and publishers, and a fast weighted pick."""

from __future__ import annotations

import random
from bisect import bisect_right
from datetime import date

SYNTH_CREATED = "2026-11-01T00:00:00Z"
CREATED_DATE = date(2026, 11, 1)
EARLIEST_EVENT = date(1947, 1, 1)

KIND_WEIGHTS = {
    "twinning": 56,
    "friendship": 18,
    "project": 10,
    "climate": 5,
    "solidarity": 5,
    "contact": 6,
}

# status -> ((next status or None to stop, weight), ...): the order status rows tend to follow
TRANSITIONS: dict[str, tuple[tuple[str | None, float], ...]] = {
    "proposed": (("in_preparation", 45), ("active", 22), ("declined", 15), (None, 18)),
    "in_preparation": (("active", 68), ("declined", 9), ("paused", 5), (None, 18)),
    "active": (("active", 28), ("paused", 12), ("ended", 8), (None, 52)),
    "paused": (("active", 35), ("ended", 25), (None, 40)),
    "declined": (("proposed", 8), (None, 92)),
    "ended": (("active", 6), (None, 94)),
}
FIRST_STATUS = (("proposed", 35), ("in_preparation", 30), ("active", 35))
# typical time to the next row, in days (from, to), by the status reached
GAP_DAYS = {
    "proposed": (200, 3000),
    "in_preparation": (60, 900),
    "active": (90, 1100),
    "paused": (700, 6000),
    "declined": (90, 1200),
    "ended": (700, 8000),
}
MILESTONE_DAYS = (1500, 9000)  # a repeated "active": an anniversary, a renewed charter
NOTES = {
    "proposed": ("Anfrage der Partnerstadt (synthetisch)", "Vorschlag aus dem Rat (synthetisch)"),
    "in_preparation": (
        "Ratsbeschluss: Gespräche aufnehmen (synthetisch)",
        "Delegationsreise (synthetisch)",
    ),
    "active": (
        "Unterzeichnung der Urkunde (synthetisch)",
        "Ratsbeschluss zur Partnerschaft (synthetisch)",
    ),
    "paused": ("Kontakte ruhen (synthetisch)", "Partnerschaft ausgesetzt (synthetisch)"),
    "declined": ("Rat lehnt ab (synthetisch)",),
    "ended": ("Partnerschaft beendet (synthetisch)",),
}
MILESTONE_NOTES = (
    "Meilenstein: Jubiläum (synthetisch)",
    "Meilenstein: Urkunde erneuert (synthetisch)",
)
PRECISION_WEIGHTS = (("day", 50), ("month", 30), ("year", 20))
THEME_COUNT_WEIGHTS = ((0, 20), (1, 30), (2, 25), (3, 15), (4, 10))
THEME_WEIGHTS = {"culture": 10, "youth": 9, "sport": 7, "education": 7, "economy": 6}  # others: 2
PUBLISHERS = (
    "Stadtverwaltung (synthetisch)",
    "Ratsinformationssystem (synthetisch)",
    "Synthetischer Stadtanzeiger",
    "Partnerschaftsverein (synthetisch)",
    "Synthetische Rundschau",
)
SOURCE_KINDS = (
    "Pressemitteilung",
    "Ratsvorlage",
    "Zeitungsartikel",
    "Webseite der Stadt",
    "Jahresbericht",
)


def picker(weighted: tuple[tuple[object, float], ...] | dict) -> tuple[list, list[float]]:
    pairs = list(weighted.items()) if isinstance(weighted, dict) else list(weighted)
    values = [value for value, _ in pairs]
    cumulative, total = [], 0.0
    for _, weight in pairs:
        total += weight
        cumulative.append(total)
    return values, cumulative


def pick(rng: random.Random, picker: tuple[list, list[float]]):
    """One value, drawn with the picker's weights (what rng.choices does, without its overhead)."""
    values, cumulative = picker
    return values[bisect_right(cumulative, rng.random() * cumulative[-1], 0, len(values) - 1)]
