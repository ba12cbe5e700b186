"""Streamlit's floor: the smallest page a dashboard could be (a selectbox, a 10-row Altair chart,
a dataframe). bench/capacity.py runs it with the same settings as the project, so the project's
figures read as a multiple of what Streamlit itself costs on this machine."""

import altair as alt
import polars as pl
import streamlit as st

choice = st.selectbox("Kontinent", ["Europa", "Asien", "Afrika", "Amerika", "Ozeanien"], key="pick")
frame = pl.DataFrame({"x": [f"{choice} {i}" for i in range(10)], "y": [(i * 7) % 11 for i in range(10)]})
st.altair_chart(alt.Chart(frame).mark_bar().encode(x="x:N", y="y:Q").properties(title=choice))
st.dataframe(frame)
