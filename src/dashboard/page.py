"""What every page does first: load the package (or say clearly why not) and draw the sidebar."""

from __future__ import annotations

import polars as pl
import streamlit as st

from analysis.package import Package
from analysis.problems import NotADataPackage, PackageInvalid
from dashboard import i18n
from dashboard.data import current_package
from dashboard.filters import Selection, sidebar
from dashboard.i18n import t


def _show_problems(error: Exception) -> None:
    st.error(t("package_error"))
    if isinstance(error, PackageInvalid):
        problems = pl.DataFrame(
            {
                "resource": [p.resource for p in error.problems],
                "row": [p.row for p in error.problems],
                "field": [p.field for p in error.problems],
                "message": [p.message for p in error.problems],
            },
            schema={"resource": pl.String, "row": pl.Int64, "field": pl.String, "message": pl.String},
        )
        st.dataframe(problems, hide_index=True)
    else:
        st.text(str(error))


def start(title_key: str) -> tuple[Package, Selection]:
    """Load the package in use, draw the shared sidebar and the page title."""
    try:
        package = current_package()
    except (PackageInvalid, NotADataPackage) as error:
        _show_problems(error)
        st.stop()
    selection = sidebar(package)
    st.title(t(title_key))
    return package, selection


def shown_caption(shown: int, total: int, as_of) -> None:
    """How many partnerships the filters keep, as of which date."""
    st.caption(
        f"{t('shown', n=i18n.number(shown), total=i18n.number(total))} · "
        f"{t('as_of')} {i18n.date_at_precision(as_of, 'day')}"
    )
