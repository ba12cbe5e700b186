"""Überblick: where the partnerships stand today."""

from datetime import date

import altair as alt
import streamlit as st

from analysis.aggregates import partnerships_by_status
from analysis.enriched import enriched_view
from dashboard.data import current_package

package = current_package()
today = date.today()
by_status = partnerships_by_status(enriched_view(package, today))

st.title("Partnerschaften nach Status")
st.caption(f"{package.title} · Version {package.version} · Stand {today:%d.%m.%Y}")
chart = (
    alt.Chart(by_status, title="Partnerschaften nach Status")
    .mark_bar()
    .encode(x=alt.X("partnerships:Q", title="Partnerschaften"), y=alt.Y("status:N", sort=None, title="Status"))
)
st.altair_chart(chart, use_container_width=True)
st.dataframe(by_status, hide_index=True)
