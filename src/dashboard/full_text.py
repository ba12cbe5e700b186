"""A table's long texts in full: st.dataframe cuts a cell at its column's width (at 390 px a note
after ~25 characters) and cannot wrap it, so below such a table an expander lists each row's notes
and titles as wrapping plain text (text from data stays text)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from present import i18n

MAX_FULL_ROWS = 50  # rows listed in full; the table (and the downloads) hold the rest


def full_texts(frame: pl.DataFrame, heading: list[str], texts: dict[str, str]) -> None:
    """An expander below a table of FRAME: per row (the first MAX_FULL_ROWS) a line of its HEADING
    columns, then each non-empty TEXTS column (column -> label) in full; nothing when no row has one."""
    with_text = frame.filter(pl.any_horizontal(pl.col(c).cast(pl.String).str.len_chars() > 0 for c in texts))
    if with_text.is_empty():
        return
    with st.expander(i18n.plural("full_texts", with_text.height)):
        if with_text.height > MAX_FULL_ROWS:
            st.caption(i18n.t("full_texts_capped", shown=i18n.number(MAX_FULL_ROWS)))
        for row in with_text.head(MAX_FULL_ROWS).iter_rows(named=True):
            head = " · ".join(str(row[c]) for c in heading if row[c])
            lines = [f"{label}: {row[c]}" for c, label in texts.items() if row[c]]
            st.text("\n".join([head, *lines]))
