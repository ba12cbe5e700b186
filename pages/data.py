"""Daten & Downloads: exactly the rows shown, every resource, the filtered package, the dictionary."""

import polars as pl
import streamlit as st

from analysis.dictionary import data_dictionary, package_sources
from analysis.export import to_csv_bytes, to_office_csv_bytes, to_xlsx_bytes
from analysis.subset import subset_zip
from analysis.upload import LIMITS
from dashboard.data import drop_upload, take_new_upload, using_upload, view
from dashboard.exports import office_view
from dashboard.page import shown_caption, start
from dashboard.tables import cap
from present import i18n
from present.i18n import t
from present.names import blank

take_new_upload("upload")  # a zip just chosen below is checked first; the whole page then shows the outcome
package, selection = start("page_data", stop_when_empty=False)
as_of = selection.as_of
current = view(package, as_of, selection.filters, with_precision=True)
shown_caption(current.height, view(package, as_of).height, as_of)
stamp = as_of.isoformat()

st.subheader(t("own_data"))
st.caption(t("own_data_help"))
# a workbook from `partnerships workbook` is turned into a package zip by the upload's worker
st.file_uploader(t("upload_workbook"), type=["zip", "xlsx"], key="upload", max_upload_size=LIMITS.upload_bytes // 2**20)
if using_upload():
    st.success(t("upload_ok"))
    st.text(f"{package.title} {package.version}")
    st.button(t("back_to_embedded"), on_click=drop_upload, key="back_to_embedded")

st.subheader(t("filtered_data"))
st.text(t("rows_in_download", n=i18n.number(current.height)))
csv_column, office_column, xlsx_column, zip_column = st.columns(4)
# The files are made when a button is clicked (deferred), not on every rerun.
csv_column.download_button(
    t("download_view_csv"),
    lambda: to_csv_bytes(current, excel_bom=True),
    file_name=f"partnerschaften-{stamp}.csv",
    mime="text/csv",
    key="dl_view_csv",
    help=t("download_view_csv_help"),
    on_click="ignore",
)
office_column.download_button(
    t("download_view_office_csv"),
    lambda: to_office_csv_bytes(office_view(current, package)),
    file_name=f"partnerschaften-{stamp}-excel.csv",
    mime="text/csv",
    key="dl_view_office_csv",
    help=t("download_view_office_csv_help"),
    on_click="ignore",
)
xlsx_column.download_button(
    t("download_view_xlsx"),
    lambda: to_xlsx_bytes(current),
    file_name=f"partnerschaften-{stamp}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="dl_view_xlsx",
    on_click="ignore",
)
zip_column.download_button(
    t("download_zip"),
    lambda: subset_zip(package, as_of, selection.filters),
    file_name=f"partnerschaften-{stamp}.zip",
    mime="application/zip",
    key="dl_zip",
    on_click="ignore",
)
st.dataframe(blank(cap(current)), hide_index=True, key="data_view")

st.subheader(t("download_resources"))
for index, (name, frame) in enumerate(package.frames.items()):
    if index % 4 == 0:
        row = st.columns(4)  # four buttons a row, as many rows as there are resources
    row[index % 4].download_button(
        f"{name}.csv ({i18n.number(frame.height)})",
        lambda frame=frame: to_csv_bytes(frame, excel_bom=True),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"dl_resource_{name}",
        on_click="ignore",
    )

st.subheader(t("dictionary"))
st.caption(t("dictionary_note"))
dictionary = data_dictionary(package.descriptor).with_columns(
    pl.col("required").replace_strict({True: t("yes"), False: t("no")}, return_dtype=pl.String)
)
st.dataframe(
    blank(dictionary).rename({c: t(f"dictionary_{c}") for c in dictionary.columns}),
    hide_index=True,
    key="dictionary_table",
)

st.subheader(t("package_meta"))
descriptor = package.descriptor
created = package.created
meta = pl.DataFrame(
    {
        "field": [t("meta_title"), t("meta_name"), t("version"), t("stand"), t("licenses")],
        "value": [
            package.title,
            str(descriptor.get("name", "")),
            package.version,
            i18n.date_at_precision(created.date(), "day") if created else "",
            "; ".join(
                f"{lic.get('title') or lic.get('name', '')} {lic.get('path', '')}".strip()
                for lic in descriptor.get("licenses", [])
                if isinstance(lic, dict)
            ),
        ],
    }
)
st.dataframe(meta, hide_index=True, column_config={"field": "", "value": ""}, key="meta_table")
sources = package_sources(descriptor)
if sources:
    st.dataframe(
        pl.DataFrame(
            {
                t("meta_title"): [s.get("title", "") for s in sources],
                t("meta_path"): [s.get("path", "") for s in sources],
            },
            schema={t("meta_title"): pl.String, t("meta_path"): pl.String},
        ),
        hide_index=True,
        key="package_sources",
    )
