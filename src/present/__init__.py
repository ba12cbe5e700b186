"""What a person is shown, without Streamlit: the texts in their language (i18n, from
phrasebook.toml), frames labelled and dated as that language writes them (labels), and the charts
(charts, figures, chart_files). Used by the dashboard's pages and by the report alike."""
