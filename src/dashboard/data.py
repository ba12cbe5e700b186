"""Cached access to the package in use (the UI edge of src/analysis)."""

from __future__ import annotations

import streamlit as st

from analysis.package import Package, load_package, resolve_descriptor


@st.cache_resource(show_spinner="Datenpaket wird geprüft …")
def _load(descriptor: str, content_key: tuple[int, int]) -> Package:
    return load_package(descriptor)


def current_package() -> Package:
    """The package named by $PARTNERSHIPS_DATAPACKAGE, else the embedded one, validated once."""
    descriptor = resolve_descriptor()
    stat = descriptor.stat()
    return _load(str(descriptor), (stat.st_mtime_ns, stat.st_size))
