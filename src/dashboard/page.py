"""What every page does first: load the package (or say clearly why not) and draw the sidebar."""

from __future__ import annotations

import polars as pl
import streamlit as st

from analysis.package import Package
from analysis.package.upload import UploadRefused
from analysis.problems import NotADataPackage, PackageInvalid, where_said
from dashboard.accessibility import declare_language
from dashboard.data import current_package, drop_upload, settle_upload, using_upload
from dashboard.editing import edit_enabled, pending_banner
from dashboard.filters import Selection, show_url_notices, sidebar
from dashboard.tables import CHART_CONTEXT, cap
from present import i18n
from present.filter_text import filters_sentence, source_line
from present.i18n import t

MAX_PROBLEMS_SHOWN = 500


def show_problems(error: Exception) -> None:
    """Every problem as resource, row, field and message, in a table (text stays text), at most
    MAX_PROBLEMS_SHOWN rows (the checks cap each rule already; this caps a package breaking many)."""
    if isinstance(error, PackageInvalid):
        st.dataframe(
            cap(
                pl.DataFrame(
                    {
                        t("problem_resource"): [where_said(p.resource, None, i18n.lang())[0] for p in error.problems],
                        t("problem_row"): [p.row for p in error.problems],
                        t("problem_field"): [where_said(None, p.field, i18n.lang())[1] for p in error.problems],
                        t("problem_message"): [p.text(i18n.lang()) for p in error.problems],
                    },
                    schema={
                        t("problem_resource"): pl.String,
                        t("problem_row"): pl.Int64,
                        t("problem_field"): pl.String,
                        t("problem_message"): pl.String,
                    },
                ),
                MAX_PROBLEMS_SHOWN,
            ),
            hide_index=True,
            key="problems_table",
        )
    elif isinstance(error, NotADataPackage):
        st.text(error.text(i18n.lang()))
    else:
        st.text(str(error))


def show_upload_outcome(outcome: object) -> None:
    """What became of an upload: refused (why), invalid (its problems), or in use."""
    if isinstance(outcome, UploadRefused):
        st.error(t("upload_refused"))
        st.text(i18n.refusal(outcome.code, **outcome.params))
    elif isinstance(outcome, PackageInvalid | NotADataPackage):
        st.error(t("upload_invalid"))
        show_problems(outcome)
    elif isinstance(outcome, Package):
        st.success(t("upload_ok"))
        st.text(f"{outcome.title} {outcome.version}")


def own_data_banner() -> None:
    """Every page says when it shows the session's own upload, and the way back."""
    if using_upload():
        with st.container(border=True, key="own_data_banner"):
            st.info(t("own_data_banner"))
            st.button(t("back_to_embedded"), on_click=drop_upload, key="back_to_embedded_top")


def start(title_key: str, stop_when_empty: bool = True) -> tuple[Package, Selection]:
    """Load the package in use (settling an upload that a rerun interrupted), draw the shared
    sidebar, the page title, what the URL could not use, and whether own data is shown. A package
    without partnerships (a new starter package) gets a friendly sentence instead of empty charts;
    the page stops there unless STOP_WHEN_EMPTY is False."""
    settled = settle_upload()
    try:
        package, newer_invalid = current_package()
    except (PackageInvalid, NotADataPackage) as error:
        declare_language()
        st.title(t(title_key))
        st.error(t("package_error"))
        show_problems(error)
        st.stop()
    selection = sidebar(package)
    declare_language()
    remember_chart_context(package, selection)
    st.title(t(title_key))
    if settled is not None and not isinstance(settled, Package):  # a valid one: the banner says so
        show_upload_outcome(settled)
    own_data_banner()
    pending_banner()
    show_url_notices()
    if isinstance(newer_invalid, PackageInvalid):
        st.warning(i18n.plural("package_outdated", len(newer_invalid.problems)))
        with st.expander(t("package_outdated_errors")):
            show_problems(newer_invalid)
    elif newer_invalid is not None:
        st.warning(t("package_unreadable"))
        with st.expander(t("package_outdated_errors")):
            show_problems(newer_invalid)
    if package["partnerships"].is_empty():
        empty_state(package)
        if stop_when_empty:
            st.stop()
    return package, selection


def remember_chart_context(package: Package, selection: Selection) -> None:
    """The as-of date and the lines below it that chart downloads carry (see tables.chart_downloads):
    the filters the chart was made with, and its source."""
    st.session_state[CHART_CONTEXT] = (
        selection.as_of,
        f"{filters_sentence(package, selection.filters)}\n{source_line(package, selection.filters)}",
    )


def shown_caption(shown: int, total: int, as_of) -> None:
    """How many partnerships the filters keep, as of which date."""
    st.caption(
        f"{t('shown', n=i18n.number(shown), total=i18n.number(total))} · "
        f"{t('as_of')} {i18n.date_at_precision(as_of, 'day')}"
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def empty_state(package: Package) -> None:
    """A package without partnerships: the ways that need no command line, the workbook of this
    package to fill in (partner towns by name and country) and, in edit mode, the Pflege page."""
    from analysis.keeping.workbook import workbook_bytes

    st.info(t("no_partnerships_yet_edit" if edit_enabled() else "no_partnerships_yet"))
    st.download_button(
        t("download_blank_workbook"),
        lambda: workbook_bytes(package),
        file_name="arbeitsmappe.xlsx",
        mime=XLSX,
        key="dl_blank_workbook",
        on_click="ignore",
    )
