"""A synthetic package written out: its frames, its descriptor (marked as synthetic), its files."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path

import polars as pl

from analysis.package import EMBEDDED_DESCRIPTOR, read_descriptor
from analysis.synth.countries import INHABITED, synth_countries
from analysis.synth.draws import SYNTH_CREATED
from analysis.synth.places import PLACE_COLUMNS, home_towns, partner_towns
from analysis.synth.rows import partnership_pairs, partnership_rows, source_rows


def synthetic_frames(partnerships: int, seed: int = 1, themes: pl.DataFrame | None = None) -> dict[str, pl.DataFrame]:
    """Every resource of a synthetic package with PARTNERSHIPS partnerships, as text frames."""
    if partnerships < 1:
        raise ValueError("a synthetic package needs at least one partnership")
    rng = random.Random(seed)
    if themes is None:
        themes = embedded_themes()
    countries = synth_countries()
    germany = next(country for country in countries if country.code == "DE")
    # about one home per ten partnerships; a pool of about 0.7 partner towns per partnership
    homes = home_towns(rng, max(1, round(partnerships / 10)), germany)
    partners = partner_towns(rng, max(len(INHABITED), round(partnerships * 0.7)), countries)
    pairs = partnership_pairs(rng, partnerships, len(homes), len(partners))
    source_count = min(400, max(20, partnerships // 10))
    rows = partnership_rows(
        rng, pairs, [home[0] for home in homes], [partner[0] for partner in partners], themes["theme_id"].to_list(),
        source_count,
    )  # fmt: skip
    return {
        "countries": _text_frame(
            [(c.code, c.name_de, c.name_en) for c in sorted(countries, key=lambda country: country.code)],
            ("country_code", "name_de", "name_en"),
        ),
        "municipalities": _text_frame(homes + partners, PLACE_COLUMNS),
        "partnerships": _text_frame(
            rows["partnerships"],
            ("partnership_id", "home_id", "partner_id", "kind", "association", "notes"),
        ),
        "status_history": _text_frame(
            rows["status_history"],
            ("partnership_id", "date", "date_precision", "status", "note", "source_id", "date_basis"),
        ),
        "themes": themes,
        "partnership_themes": _text_frame(rows["partnership_themes"], ("partnership_id", "theme_id", "source_id")),
        "sources": _text_frame(
            source_rows(rng, source_count), ("source_id", "title", "publisher", "published", "url", "document_ref")
        ),
    }


def _text_frame(rows: list[tuple], columns: tuple[str, ...]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={column: pl.String for column in columns}, orient="row")


def embedded_themes() -> pl.DataFrame:
    """The embedded package's themes, as text (the synthetic package uses the same theme ids)."""
    descriptor = read_descriptor(EMBEDDED_DESCRIPTOR)
    resource = next(r for r in descriptor["resources"] if r["name"] == "themes")
    return pl.read_csv(EMBEDDED_DESCRIPTOR.parent / resource["path"], infer_schema=False)


def synthetic_descriptor(partnerships: int, seed: int) -> dict:
    """The embedded descriptor, marked as synthetic: name, title, version, created, description,
    and package-level sources (the real documents do not describe made-up rows)."""
    descriptor = copy.deepcopy(read_descriptor(EMBEDDED_DESCRIPTOR))
    count = f"{partnerships:,}".replace(",", ".")  # German thousands separator
    descriptor.update(
        name=f"partnerschaftsatlas-synthetisch-n{partnerships}-s{seed}",
        title=f"Synthetische Städtepartnerschaften ({count} Partnerschaften, Seed {seed})",
        version="0.0.0-synthetic",
        created=SYNTH_CREATED,
        description=(
            "Synthetic data for load tests, written by `partnerships synth "
            f"--partnerships {partnerships} --seed {seed}`: real countries, made-up places, "
            "partnerships and sources. Not a statement about any real town. / Synthetische "
            "Testdaten: Orte, Partnerschaften und Quellen sind erfunden."
        ),
        sources=[
            {
                "title": "Synthetisch erzeugt (analysis.synth); keine realen Quellen",
                "path": "https://example.org/",
            }
        ],
    )
    descriptor["keywords"] = [*descriptor.get("keywords", []), "synthetic"]
    return descriptor


def write_synthetic_package(out: str | Path, partnerships: int, seed: int = 1) -> Path:
    """Write a synthetic package to OUT (created if missing); answer its datapackage.json."""
    out = Path(out)
    descriptor = synthetic_descriptor(partnerships, seed)
    frames = synthetic_frames(partnerships, seed)
    for resource in descriptor["resources"]:
        frame = frames[resource["name"]]
        fields = [field["name"] for field in resource["schema"]["fields"]]
        unknown = set(frame.columns) - set(fields)
        if unknown:
            raise ValueError(f"{resource['name']}: the descriptor has no field {sorted(unknown)}")
        # fields the descriptor declares beyond ours stay empty; the column order is the schema's
        frame = frame.select(
            [pl.col(f) if f in frame.columns else pl.lit(None, dtype=pl.String).alias(f) for f in fields]
        )
        path = out / resource["path"]
        path.parent.mkdir(parents=True, exist_ok=True)
        frame.write_csv(path, line_terminator="\n")
    descriptor_path = out / "datapackage.json"
    descriptor_path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return descriptor_path
