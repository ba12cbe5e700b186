"""The overview's four status tiles: partnerships per status group now, and the change since."""

from __future__ import annotations

import polars as pl
import streamlit as st

from present import i18n
from present.i18n import t

RISE_IS_GOOD = ("active", "pipeline")  # a rise here shows green; a rise in paused or closed, red


def show_status_tiles(tiles: pl.DataFrame, since: str) -> None:
    """Draw TILES (analysis.questions.overview.status_tiles) two a row: four in one row cut their labels at 1,024 px."""
    columns = [column for _ in range(2) for column in st.columns(2)]
    for column, tile in zip(columns, tiles.iter_rows(named=True), strict=True):
        unchanged = tile["change"] == 0
        with column, st.container(key=f"tile_{tile['group']}", border=True):
            st.metric(
                i18n.group_label(tile["group"]),
                i18n.number(tile["now"]),
                delta=i18n.signed(tile["change"]),
                delta_color="off" if unchanged else "normal" if tile["group"] in RISE_IS_GOOD else "inverse",
                delta_arrow="off" if unchanged else "auto",
                help=t(f"help_{tile['group']}"),
                delta_description=since,
            )
