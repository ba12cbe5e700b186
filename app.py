"""Partnerschaftsatlas: the frame. Page config and navigation, nothing else."""

import streamlit as st

st.set_page_config(page_title="Partnerschaftsatlas", page_icon="🌍", layout="wide")

pages = [
    st.Page("pages/overview.py", title="Überblick", url_path="ueberblick", default=True),
]
st.navigation(pages).run()
