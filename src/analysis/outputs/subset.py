"""The filtered data as a data package of its own: same descriptor, only the rows in view.

A data package is for machines and for the import: its CSVs keep every value exactly, a cell
starting with `=`, `+`, `-` or `@` included (neutralising would change the data a re-import reads).
Its README.md says so, and points people who want a spreadsheet to the neutralised exports (CSV
für Excel, Excel); docs/datenpflege.md states the one rule for every output.
"""

from __future__ import annotations

import copy
import io
import json
import zipfile
from datetime import date

import polars as pl

from analysis.package import Package
from analysis.questions.enriched import enriched_view
from analysis.questions.filters import Filters
from analysis.questions.status import history_until


def subset_frames(package: Package, as_of: date, filters: Filters | None = None) -> dict[str, pl.DataFrame]:
    """Every resource cut down to the partnerships in the filtered view as of `as_of`, and to
    what those rows refer to, so that every foreign key still holds."""
    ids = enriched_view(package.frames, as_of, filters)["partnership_id"].implode()
    in_view = pl.col("partnership_id").is_in(ids)
    partnerships = package["partnerships"].filter(in_view)
    history = history_until(package["status_history"], as_of).filter(in_view).sort("file_order").drop("file_order")
    themes_rows = package["partnership_themes"].filter(in_view)
    places = pl.concat([partnerships["home_id"], partnerships["partner_id"]]).unique()
    municipalities = package["municipalities"].filter(pl.col("municipality_id").is_in(places.implode()))
    cited = pl.concat([history["source_id"], themes_rows["source_id"]]).unique()
    return {
        "countries": package["countries"].filter(
            pl.col("country_code").is_in(municipalities["country_code"].unique().implode())
        ),
        "municipalities": municipalities,
        "partnerships": partnerships,
        "status_history": history,
        "themes": package["themes"],
        "partnership_themes": themes_rows,
        "sources": package["sources"].filter(pl.col("source_id").is_in(cited.implode())),
    }


def _readme(package: Package, as_of: date, filters: Filters | None, counts: dict[str, int]) -> str:
    described = (filters or Filters()).describe()
    lines = [
        f"# {package.title} (gefiltert / filtered)",
        "",
        f"Aus / from: {package.title}, Version {package.version}, Stand {package.descriptor.get('created', '')}",
        f"Stichtag / as of: {as_of.isoformat()}",
        "",
        "## Filter",
        "",
    ]
    lines += [f"- {name}: {value}" for name, value in described.items()] or ["- keine / none"]
    lines += ["", "## Zeilen / rows", ""]
    lines += [f"- {name}: {count}" for name, count in counts.items()]
    lines += [
        "",
        "Status rows after the as-of date are left out; every foreign key holds within this package.",
        "Validate with: frictionless validate datapackage.json",
        "",
        "## Exakte Werte / exact values",
        "",
        "Die CSV-Dateien enthalten jeden Wert genau, auch Zellen, die mit =, +, - oder @ beginnen:",
        "nicht direkt in einer Tabellenkalkulation öffnen, dafür „CSV für Excel“ oder „Excel“ laden.",
        "The CSV files keep every value exactly, cells starting with =, +, - or @ included: do not open",
        'them in a spreadsheet; download "CSV for Excel" or "Excel" for that (formulas neutralised).',
        "",
    ]
    return "\n".join(lines)


def subset_zip(package: Package, as_of: date, filters: Filters | None = None) -> bytes:
    """A zip holding datapackage.json, README.md and one CSV per resource: a valid package."""
    frames = subset_frames(package, as_of, filters)
    descriptor = copy.deepcopy(package.descriptor)
    descriptor["name"] = f"{descriptor.get('name', 'package')}-filtered"
    descriptor["description"] = (
        f"Filtered from {package.title} {package.version} as of {as_of.isoformat()}; see README.md."
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n")
        archive.writestr("README.md", _readme(package, as_of, filters, {k: v.height for k, v in frames.items()}))
        for resource in descriptor["resources"]:
            frame = frames.get(resource["name"], package.frames.get(resource["name"]))
            archive.writestr(resource["path"], frame.write_csv(date_format="%Y-%m-%d"))
    return buffer.getvalue()
