"""Daten & Downloads: exactly the rows shown, every resource, the filtered package, the dictionary."""

import polars as pl
import streamlit as st

from analysis.outputs.dictionary import data_dictionary, package_facts, package_sources
from analysis.outputs.export import to_csv_bytes, to_office_csv_bytes
from analysis.outputs.subset import subset_zip
from analysis.package.upload import LIMITS
from dashboard.data import drop_upload, take_new_upload, using_upload, view
from dashboard.exports import office_view, office_xlsx_bytes
from dashboard.page import shown_caption, start
from dashboard.tables import cap, frame_table
from present import i18n
from present.dictionary_words import dictionary_in_words
from present.filter_text import about_lines, download_stem
from present.i18n import plural, t

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

take_new_upload("upload")  # a zip just chosen below is checked first; the whole page then shows the outcome
package, selection = start("page_data", stop_when_empty=False)
as_of = selection.as_of
current = view(package, as_of, selection.filters, with_precision=True)
shown_caption(current.height, view(package, as_of).height, as_of)
stem = download_stem(package, selection.filters, as_of)  # the file names say the date and the filters
about = (
    t("about_sheet"),
    [*about_lines(package, selection.filters, as_of), plural("rows_in_download", current.height)],
)

st.subheader(t("own_data"))
st.caption(t("own_data_help"))
# a workbook from `partnerships workbook` is turned into a package zip by the upload's worker
st.file_uploader(t("upload_workbook"), type=["zip", "xlsx"], key="upload", max_upload_size=LIMITS.upload_bytes // 2**20)
if using_upload():
    st.success(t("upload_ok"))
    st.text(f"{package.title} {package.version}")
    st.button(t("back_to_embedded"), on_click=drop_upload, key="back_to_embedded")

st.subheader(t("filtered_data"))
st.text(plural("rows_in_download", current.height))
# (label, the file, made when its button is clicked rather than on every rerun, file name, type, key, help)
view_files = [
    (
        "download_view_csv",
        lambda: to_csv_bytes(current, excel_bom=True),
        f"{stem}.csv",
        "text/csv",
        "dl_view_csv",
        t("download_view_csv_help"),
    ),
    (
        "download_view_office_csv",
        lambda: to_office_csv_bytes(office_view(current, package)),
        f"{stem}-excel.csv",
        "text/csv",
        "dl_view_office_csv",
        t("download_view_office_csv_help"),
    ),
    (
        "download_view_xlsx",
        lambda: office_xlsx_bytes(current, package, about),
        f"{stem}.xlsx",
        XLSX,
        "dl_view_xlsx",
        None,
    ),
    (
        "download_zip",
        lambda: subset_zip(package, as_of, selection.filters),
        f"{stem}.zip",
        "application/zip",
        "dl_zip",
        None,
    ),
]
for column, (label, data, file_name, mime, key, help_text) in zip(st.columns(4), view_files, strict=True):
    column.download_button(t(label), data, file_name=file_name, mime=mime, key=key, help=help_text, on_click="ignore")
# the rows of the downloads, headed and labelled as the "CSV für Excel" (the CSV keeps the codes)
frame_table(office_view(cap(current), package), key="data_view")

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
frame_table(dictionary_in_words(data_dictionary(package.descriptor)), key="dictionary_table")

st.subheader(t("package_meta"))
facts = package_facts(package)
created = i18n.date_at_precision(facts.created, "day")
meta = pl.DataFrame(  # headed "Angabe", "Wert": no empty header row
    {
        t("fact_field"): [t("meta_title"), t("meta_name"), t("version"), t("stand"), t("licenses")],
        t("fact_value"): [facts.title, facts.name, facts.version, created, facts.licenses],
    }
)
frame_table(meta, key="meta_table")
sources = package_sources(package.descriptor)
if sources.height:
    frame_table(sources.rename({"title": t("meta_title"), "path": t("meta_path")}), key="package_sources")
