"""Cached access to the package in use and to what the pages derive from it (the UI edge of
src/analysis). Cache keys are plain values: the package's content hash, the date, the filters."""

from __future__ import annotations

from dataclasses import astuple
from datetime import date

import polars as pl
import streamlit as st

from analysis.enriched import enriched_view
from analysis.filters import Filters
from analysis.package import Package, load_package, resolve_descriptor


@st.cache_resource(show_spinner="Datenpaket wird geprüft … / Validating the data package …", max_entries=4)
def _load(descriptor: str, stamp: tuple[int, int]) -> Package:
    return load_package(descriptor)


def current_package() -> Package:
    """The package named by $PARTNERSHIPS_DATAPACKAGE, else the embedded one; validated once per
    version of the file on disk."""
    descriptor = resolve_descriptor()
    stat = descriptor.stat()
    return _load(str(descriptor), (stat.st_mtime_ns, stat.st_size))


@st.cache_data(max_entries=256, show_spinner=False)
def _view(_package: Package, content_hash: str, as_of: date, filters: tuple, with_precision: bool) -> pl.DataFrame:
    return enriched_view(_package, as_of, Filters(*filters), with_precision=with_precision)


def view(package: Package, as_of: date, filters: Filters | None = None, with_precision: bool = False) -> pl.DataFrame:
    """The enriched view for these filters, computed once per package version, date and filters."""
    return _view(package, package.content_hash, as_of, astuple(filters or Filters()), with_precision)
