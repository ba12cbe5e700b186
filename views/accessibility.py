"""Barrierefreiheit: the accessibility statement a German public body publishes for a web
application (BITV 2.0 § 7, EU 2018/1523): conformance, what is not yet accessible and why, the
feedback contact the operator configures, the enforcement procedure and the statement's date."""

import streamlit as st

from dashboard.accessibility import CONTACT_ENV, ENFORCEMENT_ENV, STATEMENT_DATE, configured
from dashboard.page import start
from present import i18n
from present.i18n import t

package, selection = start("page_accessibility")

st.markdown(t("a11y_intro"))
st.subheader(t("a11y_conformance"))
st.markdown(t("a11y_conformance_text"))

st.subheader(t("a11y_not_accessible"))
for key in ("a11y_gap_grid", "a11y_gap_charts", "a11y_gap_streamlit_text", "a11y_gap_upload"):
    st.markdown(f"- {t(key)}")

st.subheader(t("a11y_how_made"))
st.markdown(t("a11y_how_made_text", date=i18n.date_at_precision(STATEMENT_DATE, "day")))

st.subheader(t("a11y_feedback"))
st.markdown(t("a11y_feedback_text"))
contact = configured(CONTACT_ENV)
if contact:
    st.text(contact)  # the operator's text, shown as text
else:
    st.warning(t("a11y_no_contact", env=CONTACT_ENV))

st.subheader(t("a11y_enforcement"))
enforcement = configured(ENFORCEMENT_ENV)
st.markdown(t("a11y_enforcement_text"))
if enforcement:
    st.text(enforcement)
else:
    st.warning(t("a11y_no_enforcement", env=ENFORCEMENT_ENV))
