"""The Partnerschaftsbericht: a PDF of the current filters and as-of date (typst + vl-convert)."""
