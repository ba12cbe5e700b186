"""German first, English as well: every label, and dates and numbers as each language writes them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

import streamlit as st
from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal

from dashboard import editing_text

LANGUAGES = {"de": "Deutsch", "en": "English"}
LOCALES = {"de": "de_DE", "en": "en_GB"}

STATUS = {
    "proposed": ("vorgeschlagen", "proposed"),
    "in_preparation": ("in Vorbereitung", "in preparation"),
    "active": ("aktiv", "active"),
    "paused": ("ruhend", "paused"),
    "declined": ("abgelehnt", "declined"),
    "ended": ("beendet", "ended"),
}
KIND = {
    "twinning": ("Städtepartnerschaft", "Twinning"),
    "friendship": ("Städtefreundschaft", "Friendship"),
    "project": ("Projektpartnerschaft", "Project partnership"),
    "climate": ("Klimapartnerschaft", "Climate partnership"),
    "solidarity": ("Solidaritätspartnerschaft", "Solidarity partnership"),
    "contact": ("Kontakt", "Contact"),
}
CONTINENT = {
    "Africa": ("Afrika", "Africa"),
    "Antarctica": ("Antarktika", "Antarctica"),
    "Asia": ("Asien", "Asia"),
    "Europe": ("Europa", "Europe"),
    "North America": ("Nordamerika", "North America"),
    "Oceania": ("Ozeanien", "Oceania"),
    "South America": ("Südamerika", "South America"),
}
GROUP = {
    "active": ("Aktiv", "Active"),
    "paused": ("Ruhend", "Paused"),
    "pipeline": ("In Planung", "In the pipeline"),
    "closed": ("Abgelehnt/beendet", "Declined/ended"),
}
COLUMN = {
    "partnership_id": ("ID", "ID"),
    "home_id": ("Heimatstadt-ID", "Home ID"),
    "home_name": ("Heimatstadt", "Home city"),
    "partner_id": ("Partner-ID", "Partner ID"),
    "partner_name": ("Partnerstadt", "Partner city"),
    "partner_name_en": ("Partnerstadt (englisch)", "Partner city (English)"),
    "partner_country_code": ("Ländercode", "Country code"),
    "partner_country": ("Land", "Country"),
    "partner_continent": ("Kontinent", "Continent"),
    "kind": ("Art", "Kind"),
    "status": ("Status", "Status"),
    "status_since": ("Status seit", "Status since"),
    "founded": ("Gegründet", "Founded"),
    "themes": ("Themen", "Themes"),
    "distance_km": ("Entfernung (km)", "Distance (km)"),
    "sources": ("Quellen", "Sources"),
    "partnerships": ("Partnerschaften", "Partnerships"),
    "decade": ("Jahrzehnt", "Decade"),
    "continent": ("Kontinent", "Continent"),
    "theme": ("Thema", "Theme"),
    "date": ("Datum", "Date"),
    "note": ("Anmerkung", "Note"),
    "source": ("Quelle", "Source"),
    "link": ("Link", "Link"),
    "last_event": ("Letztes Ereignis", "Last event"),
    "years_quiet": ("Jahre ohne Ereignis", "Years without event"),
    "start": ("Beginn", "Start"),
    "end": ("Ende", "End"),
}
TEXT = {
    # sidebar
    "language": ("Sprache", "Language"),
    "filters": ("Filter", "Filters"),
    "as_of": ("Stichtag", "As of"),
    "home": ("Heimatstadt", "Home city"),
    "status": ("Status", "Status"),
    "continent": ("Kontinent", "Continent"),
    "country": ("Land", "Country"),
    "kind": ("Art", "Kind"),
    "theme": ("Thema", "Theme"),
    "founded_between": ("Gegründet zwischen", "Founded between"),
    "search": ("Suche", "Search"),
    "search_help": ("Name, Land oder ID", "Name, country or ID"),
    "reset": ("Filter zurücksetzen", "Reset filters"),
    "package": ("Datenpaket", "Data package"),
    "version": ("Version", "Version"),
    "stand": ("Stand", "As at"),
    "all": ("alle", "all"),
    "share_hint": (
        "Die Adresse dieser Seite enthält alle Filter: kopieren und teilen.",
        "This page's address holds every filter: copy it to share this view.",
    ),
    "shown": ("{n} von {total} Partnerschaften", "{n} of {total} partnerships"),
    "no_rows": ("Keine Partnerschaft entspricht den Filtern.", "No partnership matches the filters."),
    # pages
    "page_overview": ("Überblick", "Overview"),
    "page_partnerships": ("Partnerschaften", "Partnerships"),
    "page_themes": ("Themen", "Themes"),
    "page_history": ("Status & Verlauf", "Status & history"),
    "page_data": ("Daten & Downloads", "Data & downloads"),
    "compare_with": ("Vergleich mit", "Compared with"),
    "help_active": ("Unterzeichnet oder formell in Kraft.", "Signed or formally in force."),
    "help_paused": ("Ruhend: ausgesetzt, Gespräche auf Eis.", "Suspended, talks on hold."),
    "help_pipeline": (
        "Vorgeschlagen oder in Vorbereitung (Ratsauftrag, Gespräche).",
        "Proposed or in preparation (council mandate, talks).",
    ),
    "help_closed": ("Abgelehnt oder beendet.", "Declined or ended."),
    "summary": (
        "**{active}** aktive Partnerschaften, **{paused}** ruhend, **{pipeline}** in Planung, "
        "**{closed}** abgelehnt oder beendet. Lücken: **{gaps}** Kontinente ohne aktive Partnerschaft "
        "(über {homes} Heimatstädte), **{stale}** offene Partnerschaften ohne Ereignis seit {years} Jahren.",
        "**{active}** active partnerships, **{paused}** paused, **{pipeline}** in the pipeline, "
        "**{closed}** declined or ended. Gaps: **{gaps}** continents without an active partnership "
        "(across {homes} home cities), **{stale}** open partnerships with no event for {years} years.",
    ),
    "change_since": ("gegenüber {date}", "since {date}"),
    "by_continent": ("Partnerschaften nach Kontinent und Status", "Partnerships by continent and status"),
    "by_kind": ("Partnerschaften nach Art", "Partnerships by kind"),
    "by_decade": ("Gründungen je Jahrzehnt", "Founded per decade"),
    "by_status": ("Partnerschaften nach Status", "Partnerships by status"),
    "map": ("Weltkarte der Partnerschaften", "World map of partnerships"),
    "map_sentence": (
        "Die Karte verbindet {homes} Heimatstädte mit {partners} Partnerorten; Farbe der Linie = Status.",
        "The map joins {homes} home cities to {partners} partner places; line colour = status.",
    ),
    "gaps": ("Strategische Lücken", "Strategic gaps"),
    "gaps_continents": (
        "Kontinente ohne aktive Partnerschaft je Heimatstadt",
        "Continents without an active partnership, per home city",
    ),
    "gaps_none": ("Jede Heimatstadt ist auf jedem Kontinent aktiv.", "Every home city is active on every continent."),
    "stale": (
        "Partnerschaften ohne erfasstes Ereignis seit {years} Jahren oder länger",
        "Partnerships with no recorded event for {years} years or more",
    ),
    "stale_none": ("Keine.", "None."),
    "stale_years": ("Jahre ohne Ereignis", "Years without event"),
    "table_of_chart": ("Tabelle zur Grafik", "Table of the chart"),
    "detail": ("Details einer Partnerschaft", "Details of one partnership"),
    "choose_partnership": ("Partnerschaft wählen", "Choose a partnership"),
    "history_timeline": ("Statusverlauf", "Status history"),
    "history_list": ("Ereignisse mit Quellen", "Events with sources"),
    "association": ("Trägerverein", "Association"),
    "notes": ("Anmerkungen", "Notes"),
    "distance": ("Entfernung", "Distance"),
    "themes_none": ("Keine Themen erfasst.", "No themes recorded."),
    "theme_heatmap": ("Themen nach Heimatstadt", "Themes by home city"),
    "theme_by_continent": ("Themen nach Kontinent", "Themes by continent"),
    "theme_partnerships": ("Partnerschaften zum Thema", "Partnerships on the theme"),
    "choose_partnership_placeholder": ("Partnerschaft auswählen …", "Choose a partnership …"),
    "choose_theme_placeholder": ("Thema auswählen …", "Choose a theme …"),
    "choose_theme": ("Thema wählen", "Choose a theme"),
    "now_active_paused": ("Aktiv oder ruhend am Stichtag", "Active or paused at the as-of date"),
    "periods": ("Statusperioden je Partnerschaft", "Status periods per partnership"),
    "latest_changes": ("Letzte Änderungen", "Latest changes"),
    "why": ("Grund (Anmerkung)", "Why (note)"),
    "home_offered": (
        "Die Liste zeigt die {n} Heimatstädte mit den meisten Partnerschaften (von {total}); "
        "alle anderen findet die Suche.",
        "The list offers the {n} home cities with the most partnerships (of {total}); the search finds all others.",
    ),
    "capped": (
        "Die Tabelle zeigt die ersten {shown} von {total} Zeilen; alle stehen in den Downloads (Daten & Downloads).",
        "The table shows the first {shown} of {total} rows; all are in the downloads (Data & downloads).",
    ),
    "map_grid_sentence": (
        "{n} Partnerschaften sind zu viele für Linien: Die Karte zeigt Heimat- und Partnerorte "
        "zusammengefasst in Feldern von 2° × 2°; die Größe eines Punktes zählt die Partnerschaften.",
        "{n} partnerships are too many for lines: the map shows home and partner places summed into "
        "cells of 2° × 2°; a dot's size counts the partnerships.",
    ),
    "role_home": ("Heimatstädte", "Home cities"),
    "role_partner": ("Partnerorte", "Partner places"),
    "places": ("Orte", "Places"),
    "periods_capped": (
        "Gezeigt werden die {n} Partnerschaften mit den jüngsten Statusänderungen.",
        "Shown are the {n} partnerships with the most recent status changes.",
    ),
    "heatmap_capped": (
        "Gezeigt werden die {n} Heimatstädte mit den meisten Themen-Nennungen.",
        "Shown are the {n} home cities with the most theme mentions.",
    ),
    "filtered_data": ("Gefilterte Daten", "Filtered data"),
    "download_view_csv": ("Gefilterte Tabelle als CSV", "Filtered table as CSV"),
    "download_view_xlsx": ("Gefilterte Tabelle als Excel", "Filtered table as Excel"),
    "download_zip": ("Gefilterte Daten als Datenpaket (ZIP)", "Filtered data as a data package (zip)"),
    "download_resources": ("Alle Ressourcen als CSV", "Every resource as CSV"),
    "dictionary": ("Datenwörterbuch", "Data dictionary"),
    "package_meta": ("Über das Datenpaket", "About the data package"),
    "licenses": ("Lizenzen", "Licences"),
    "sources": ("Quellen", "Sources"),
    "rows_in_download": ("{n} Zeilen, genau die angezeigten.", "{n} rows, exactly those shown."),
    "validating": ("Datenpaket wird geprüft: {stage} …", "Validating the data package: {stage} …"),
    "package_error": (
        "Das Datenpaket ist ungültig; es wird nichts daraus angezeigt.",
        "The data package is invalid; nothing of it is shown.",
    ),
    "package_outdated": (
        "Die Dateien des Datenpakets wurden geändert und sind jetzt ungültig ({n} Fehler). "
        "Angezeigt wird weiter die letzte gültige Fassung.",
        "The data package's files changed and are now invalid ({n} errors). The last valid version is still shown.",
    ),
    "package_outdated_errors": ("Fehler der neuen Fassung", "Errors of the new version"),
    "problem_resource": ("Ressource", "Resource"),
    "problem_row": ("Zeile", "Row"),
    "problem_field": ("Feld", "Field"),
    "problem_message": ("Meldung", "Message"),
    "own_data": ("Eigene Daten", "Your own data"),
    "own_data_help": (
        "Ein Datenpaket als ZIP (datapackage.json und CSV-Dateien nach dem Datenvertrag). Es wird "
        "in einem privaten Ordner geprüft und nur in dieser Sitzung verwendet.",
        "A data package as a zip (datapackage.json and CSV files following the data contract). It is "
        "checked in a private folder and used in this session only.",
    ),
    "upload": ("ZIP-Datei hochladen", "Upload a zip file"),
    "upload_ok": (
        "Ihr Datenpaket ist gültig und wird in dieser Sitzung verwendet:",
        "Your data package is valid and used in this session:",
    ),
    "upload_invalid": (
        "Das hochgeladene Datenpaket ist ungültig; es wird nicht verwendet.",
        "The uploaded data package is invalid; it is not used.",
    ),
    "upload_refused": ("Hochladen abgelehnt.", "Upload refused."),
    "back_to_embedded": ("Zurück zu den mitgelieferten Daten", "Back to the embedded data"),
    "using_own": ("Eigene Daten (nur diese Sitzung)", "Own data (this session only)"),
    # accessibility (issue 12): the statement page and labels of the accessible views
    "page_accessibility": ("Barrierefreiheit", "Accessibility"),
    "a11y_intro": (
        "Der Betreiber dieses Dashboards ist bemüht, es im Einklang mit der "
        "Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) und der Richtlinie (EU) 2016/2102 "
        "barrierefrei zugänglich zu machen. Diese Erklärung gilt für die Webanwendung "
        "„Partnerschaftsatlas“.",
        "The operator of this dashboard strives to make it accessible in accordance with the German "
        "Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) and Directive (EU) 2016/2102. This "
        'statement applies to the web application "Partnerschaftsatlas".',
    ),
    "a11y_conformance": ("Stand der Vereinbarkeit mit den Anforderungen", "Compliance status"),
    "a11y_conformance_text": (
        "Die Anwendung ist **teilweise** mit BITV 2.0 (WCAG 2.1, Stufe AA; EN 301 549) vereinbar. "
        "Eine automatische Prüfung (axe-core, Regeln der WCAG 2.0/2.1 A und AA) findet auf keiner "
        "Seite, in keiner der beiden Sprachen, einen Verstoß; die unten genannten Inhalte sind "
        "dennoch nicht vollständig barrierefrei.",
        "The application is **partially** compliant with BITV 2.0 (WCAG 2.1 level AA; EN 301 549). An "
        "automatic check (axe-core, WCAG 2.0/2.1 A and AA rules) finds no violation on any page in "
        "either language; the content listed below is nevertheless not fully accessible.",
    ),
    "a11y_not_accessible": ("Nicht barrierefreie Inhalte", "Non-accessible content"),
    "a11y_gap_grid": (
        "**Tabellen:** Das Spaltenmenü in den Spaltenköpfen einer Tabelle (Sortieren, Spalte "
        "ausblenden) ist mit der Tastatur nicht erreichbar; die Tabelle selbst wird von Streamlit als "
        "Zeichenfläche (canvas) gezeichnet, die Bildschirmleser nur eingeschränkt vorlesen. Die "
        "Werkzeugleiste über einer Tabelle (Spalten wählen, Herunterladen, Suchen, Vollbild) erreicht "
        "man mit der Tabulatortaste, auch bei 390 Pixeln Breite verdeckt sie weder Spaltenköpfe noch "
        "Text; ihre Spaltenauswahl ist aber englisch beschriftet („Select all“). Grund: Das "
        "Tabellenelement von Streamlit lässt sich nicht anpassen. Alternative: Jede Tabelle steht unter "
        "„Daten & Downloads“ als CSV und Excel bereit.",
        "**Tables:** the menu in a table's column headings (sort, hide a column) cannot be reached with "
        "the keyboard; Streamlit draws the table itself on a canvas, which screen readers read only in "
        "part. The toolbar above a table (choose columns, download, search, full screen) can be reached "
        "with the Tab key and, at 390 pixels width too, covers neither headings nor text; its column "
        'choice is labelled in English ("Select all"). Reason: Streamlit\'s table element cannot be '
        'changed. Alternative: every table is available as CSV and Excel under "Data & downloads".',
    ),
    "a11y_gap_charts": (
        "**Grafiken und Karte:** Einzelwerte einer Grafik zeigt der Tooltip nur beim Zeigen mit der "
        "Maus. Grund: Die Diagrammbibliothek (Vega-Lite) bietet keine Tastaturbedienung ihrer Marken. "
        "Alternative: Jede Grafik hat eine Beschreibung für Bildschirmleser und darunter eine "
        "Tabelle mit denselben Zahlen. Bei 390 Pixeln Breite überlappen sich die Beschriftungen der "
        "Themen-Raster (Themen nach Heimatstadt und nach Kontinent, Themen im Vergleich); dort zeigt die "
        "Tabelle zur Grafik dieselben Zahlen lesbar.",
        "**Charts and map:** a chart's single values are shown in a tooltip on mouse hover only. "
        "Reason: the chart library (Vega-Lite) offers no keyboard access to its marks. Alternative: "
        "every chart has a description for screen readers and, below it, a table with the same figures. "
        "At 390 pixels width the labels of the theme grids (themes by home city and by continent, themes "
        "in the comparison) overlap; there the chart's table shows the same figures readably.",
    ),
    "a11y_gap_streamlit_text": (
        "**Texte von Streamlit:** Einige Texte, die Streamlit selbst zeichnet (das Menü oben rechts, "
        "die Meldung zu einer unbekannten Seitenadresse, Ziehen-und-Ablegen-Feld und Hinweise des "
        "Datei-Uploads, die Beschriftungen von Schaltflächen in Tabellen und Auswahllisten für "
        "Bildschirmleser, die Beschreibungen einzelner Diagrammelemente), erscheinen auch in der "
        "deutschen Ansicht englisch. Grund: Streamlit und Vega bieten dafür keine Übersetzung.",
        "**Streamlit's own texts:** some texts that Streamlit itself draws (the menu at the top "
        "right, the notice about an unknown page address, the file upload's drop area and hints, "
        "screen-reader labels of buttons in tables and choice lists, the descriptions of single chart "
        "marks) are English in the German view too. Reason: Streamlit and Vega offer no translation "
        "for them.",
    ),
    "a11y_gap_upload": (
        "**Eigene Daten:** Ein eigenes Datenpaket wird als ZIP über Streamlits Datei-Upload "
        "hochgeladen, dessen Ziehen-und-Ablegen-Feld nur mit der Maus nutzbar ist; die "
        "Schaltfläche daneben ist mit der Tastatur erreichbar.",
        "**Own data:** one's own data package is uploaded as a zip through Streamlit's file upload, "
        "whose drag-and-drop area works with a mouse only; the button beside it can be reached with "
        "the keyboard.",
    ),
    "a11y_how_made": ("Erstellung dieser Erklärung", "Preparation of this statement"),
    "a11y_how_made_text": (
        "Diese Erklärung wurde am {date} erstellt. Grundlage ist eine Selbstbewertung: die "
        "automatische Prüfung mit axe-core in einem echten Browser bei jedem Test der Anwendung, "
        "Bedienung mit der Tastatur und Sichtprüfung bei 1.440, 1.024 und 390 Pixeln Breite.",
        "This statement was prepared on {date}. It rests on a self-assessment: the automatic check "
        "with axe-core in a real browser on every test run of the application, use with the keyboard, "
        "and inspection at 1,440, 1,024 and 390 pixels width.",
    ),
    "a11y_feedback": ("Feedback und Kontakt", "Feedback and contact"),
    "a11y_feedback_text": (
        "Sind Ihnen Mängel beim barrierefreien Zugang aufgefallen, oder brauchen Sie Inhalte in "
        "einer anderen Form? Dann schreiben Sie bitte an:",
        "Have you noticed barriers, or do you need content in another form? Please write to:",
    ),
    "a11y_no_contact": (
        "Der Betreiber hat noch keine Kontaktadresse angegeben (Umgebungsvariable {env} oder "
        "Streamlit-Secret gleichen Namens in Kleinbuchstaben).",
        "The operator has not yet set a contact address (environment variable {env} or the Streamlit "
        "secret of the same name in lower case).",
    ),
    "a11y_enforcement": ("Durchsetzungsverfahren", "Enforcement procedure"),
    "a11y_enforcement_text": (
        "Wenn Sie auf Ihre Rückmeldung innerhalb von sechs Wochen keine zufriedenstellende Antwort "
        "erhalten, können Sie sich an die zuständige Durchsetzungs- oder Schlichtungsstelle wenden:",
        "If you receive no satisfactory answer to your feedback within six weeks, you can turn to "
        "the responsible enforcement or conciliation body:",
    ),
    "a11y_no_enforcement": (
        "Der Betreiber hat die zuständige Stelle seines Landes noch nicht angegeben "
        "(Umgebungsvariable {env} oder Streamlit-Secret gleichen Namens in Kleinbuchstaben).",
        "The operator has not yet named the responsible body of its federal state (environment "
        "variable {env} or the Streamlit secret of the same name in lower case).",
    ),
    "summary_v2": (
        "**{active}** aktive Partnerschaften, **{paused}** ruhend, **{pipeline}** in Planung, "
        "**{closed}** abgelehnt oder beendet. Lücken: {gap_homes} ohne aktive Partnerschaft auf "
        "mindestens einem Kontinent; {stale} ohne erfasstes Ereignis seit {years} Jahren.",
        "**{active}** active partnerships, **{paused}** paused, **{pipeline}** in the pipeline, "
        "**{closed}** declined or ended. Gaps: {gap_homes} without an active partnership on at least "
        "one continent; {stale} with no recorded event for {years} years.",
    ),
    "home_cities_one": ("**{n}** Heimatstadt", "**{n}** home city"),
    "home_cities_other": ("**{n}** Heimatstädte", "**{n}** home cities"),
    "open_partnerships_one": ("**{n}** offene Partnerschaft", "**{n}** open partnership"),
    "open_partnerships_other": ("**{n}** offene Partnerschaften", "**{n}** open partnerships"),
    "continents_without_one": (
        "{n} Kontinent ohne aktive Partnerschaft",
        "{n} continent without an active partnership",
    ),
    "continents_without_other": (
        "{n} Kontinente ohne aktive Partnerschaft",
        "{n} continents without an active partnership",
    ),
    "gaps_filters_note": (
        "Die Lücken fragen, wo einer Heimatstadt eine aktive Partnerschaft fehlt: Von den Filtern "
        "gilt für sie nur die Heimatstadt (und der Stichtag), nicht Status, Kontinent, Land, Art, "
        "Thema, Gründungsjahre oder Suche. Alle anderen Zahlen der Seite folgen allen Filtern.",
        "The gaps ask where a home city lacks an active partnership: of the filters, only the home "
        "city (and the as-of date) applies to them, not status, continent, country, kind, theme, "
        "founding years or search. Every other figure on the page follows all filters.",
    ),
    "stale_note": (
        "Gemeint ist, was im Datenpaket erfasst ist: Kontakte, über die keine Quelle berichtet, fehlen darin.",
        "This is about what the data package records: contacts no source reports are not in it.",
    ),
    "changes_title": (
        "Was sich seit {date} geändert hat: {n} Statusereignisse mit Quelle",
        "What changed since {date}: {n} status events with their source",
    ),
    "changes_none": (
        "Seit dem Vergleichsdatum ist kein Statusereignis erfasst.",
        "No status event is recorded since the comparison date.",
    ),
    "founded_help": (
        "Jahr, in dem eine Partnerschaft zuerst aktiv wurde. Partnerschaften, die nie aktiv waren "
        "(vorgeschlagen, in Vorbereitung, abgelehnt), haben kein Gründungsjahr und bleiben enthalten.",
        "The year a partnership first became active. Partnerships that were never active (proposed, "
        "in preparation, declined) have no founding year and are kept.",
    ),
    "publisher": ("Herausgeber", "Publisher"),
    "document_ref": ("Aktenzeichen/Vorlage", "Document reference"),
    "download_view_office_csv": ("CSV für Excel", "CSV for Excel (German)"),
    "download_view_office_csv_help": (
        "Für deutsches Excel: Semikolon als Trenner, Dezimalkomma, deutsche Spaltennamen, Daten so "
        "genau, wie sie bekannt sind (1950, 05/2024, 25.11.2019).",
        "For Excel set to German: semicolons, decimal commas, the headings and dates as the page "
        "shows them (1950, May 2024, 25 Nov 2019).",
    ),
    "download_view_csv_help": (
        "Für Programme: Spalten des Datenvertrags, ISO-Daten, UTF-8; die Genauigkeit jedes Datums "
        "steht in status_since_precision und founded_precision (bei „month“ ist der Tag unbekannt).",
        "For programs: the contract's columns, ISO dates, UTF-8; each date's precision is in "
        'status_since_precision and founded_precision (with "month" the day is unknown).',
    ),
    "dictionary_note": (
        "Die Beschreibungen stehen so da, wie das Datenpaket sie angibt (meist englisch).",
        "The descriptions are given as the data package states them.",
    ),
    "dictionary_resource": ("Ressource", "Resource"),
    "dictionary_field": ("Feld", "Field"),
    "dictionary_type": ("Typ", "Type"),
    "dictionary_required": ("Pflichtfeld", "Required"),
    "dictionary_description": ("Beschreibung", "Description"),
    "dictionary_constraints": ("Regeln", "Constraints"),
    "yes": ("ja", "yes"),
    "no": ("nein", "no"),
    "meta_title": ("Titel", "Title"),
    "meta_name": ("Name", "Name"),
    "meta_path": ("Adresse", "Address"),
    "date_apply": ("Übernehmen", "Apply"),
    "date_placeholder": ("TT.MM.JJJJ", "DD.MM.YYYY"),
    "date_help": (
        "Ein Datum zwischen {lo} und {hi}, als TT.MM.JJJJ (oder JJJJ-MM-TT); die Eingabetaste oder "
        "„Übernehmen“ wendet es an.",
        'A date between {lo} and {hi}, as DD.MM.YYYY (or YYYY-MM-DD); Enter or "Apply" applies it.',
    ),
    "date_refused": (
        "Kein gültiges Datum: bitte TT.MM.JJJJ zwischen {lo} und {hi} eingeben. Es gilt weiter {now}.",
        "Not a valid date: please type DD.MM.YYYY between {lo} and {hi}. {now} still applies.",
    ),
    "map_europe": ("Europa (Ausschnitt)", "Europe (detail)"),
    "map_legend_hint": (
        "Die Legende nennt jede Heimatstadt mit ihrem Symbol; ein Klick auf einen Namen hebt ihre Linien hervor.",
        "The legend names each home city with its symbol; a click on a name brings out its lines.",
    ),
    "place": ("Ort", "Place"),
    "role": ("Rolle", "Role"),
    "role_home_one": ("Heimatstadt", "Home city"),
    "role_partner_one": ("Partnerort", "Partner place"),
    "desc_by_continent": (
        "Balkendiagramm: {n} Partnerschaften nach Kontinent des Partners, gestapelt nach Status; "
        "Kontinente ohne Partnerschaft stehen mit null da. Die Tabelle darunter nennt jede Zahl.",
        "Bar chart: {n} partnerships by the partner's continent, stacked by status; continents without "
        "a partnership are shown as zero. The table below gives every figure.",
    ),
    "desc_by_kind": (
        "Balkendiagramm: {n} Partnerschaften nach Art. Die Tabelle darunter nennt jede Zahl.",
        "Bar chart: {n} partnerships by kind. The table below gives every figure.",
    ),
    "desc_by_decade": (
        "Säulendiagramm: {n} Gründungen je Jahrzehnt. Die Tabelle darunter nennt jede Zahl.",
        "Column chart: {n} foundings per decade. The table below gives every figure.",
    ),
    "desc_heatmap": (
        "Rasterdiagramm: Partnerschaften je {rows} und Thema, die Zahl in jedem Feld. Die Tabelle "
        "darunter nennt jede Zahl.",
        "Grid chart: partnerships per {rows} and theme, the number in each cell. The table below gives every figure.",
    ),
    "desc_periods": (
        "Zeitleiste: Statusperioden von {n} Partnerschaften, ein Balken je Periode, Farbe = Status. "
        "Die Tabelle nennt jede Periode mit Beginn und Ende.",
        "Timeline: status periods of {n} partnerships, one bar per period, colour = status. The table "
        "gives every period with start and end.",
    ),
    "desc_timeline": (
        "Zeitleiste der Statusperioden von {name}; die Liste darunter nennt jedes Ereignis mit Quelle.",
        "Timeline of the status periods of {name}; the list below gives every event with its source.",
    ),
    # keeping the data: starter packages and workbooks (issue 9)
    "no_partnerships_yet": (
        "Noch keine Partnerschaften erfasst. Tragen Sie sie in die Arbeitsmappe ein "
        "(partnerships workbook, dann partnerships import) oder laden Sie die ausgefüllte Mappe unter "
        "„Daten & Downloads → Eigene Daten“ hoch.",
        "No partnerships recorded yet. Enter them in the workbook (partnerships workbook, then "
        "partnerships import) or upload the filled workbook under “Data & downloads → Your own data”.",
    ),
    "upload_workbook": ("ZIP-Datei oder Excel-Arbeitsmappe hochladen", "Upload a zip file or an Excel workbook"),
    # loading, own data, link values (dashboard.loading, dashboard.page, dashboard.filters)
    "validation_queued": ("wartet auf einen freien Platz", "waiting for a free slot"),
    "package_unreadable": (
        "Die Dateien des Datenpakets wurden geändert und können jetzt nicht gelesen werden. "
        "Angezeigt wird weiter die letzte gültige Fassung.",
        "The data package's files changed and cannot be read now. The last valid version is still shown.",
    ),
    "own_data_banner": (
        "Sie sehen Ihre eigenen hochgeladenen Daten, nur in dieser Sitzung. Neu laden der Seite "
        "kehrt zu den mitgelieferten Daten zurück.",
        "You are looking at your own uploaded data, in this session only. Reloading the page "
        "returns to the embedded data.",
    ),
    "url_dropped": (
        "Ein Wert im Link kann nicht verwendet werden (unbekannt, kein gültiges Datum oder außerhalb "
        "des Bereichs) und wird ignoriert; angezeigt wird ohne ihn. Parameter: {param}",
        "A value in the link cannot be used (unknown, not a valid date or out of range) and is "
        "ignored; the page is shown without it. Parameter: {param}",
    ),
    # report, chart downloads, network over time, comparison (issue 11)
    "network_title": ("Das Netz über die Zeit", "The network over time"),
    "network_time": ("Zeitpunkt", "Point in time"),
    "network_caption": (
        "Partnerschaften der Auswahl je Jahresende (bei kurzen Zeiträumen je Monatsende) und am Stichtag, "
        "nach ihrem damaligen Status.",
        "The selected partnerships at each year's end (month's end for short spans) and at the as-of date, "
        "by their status at the time.",
    ),
    "network_by_city_title": ("Aktive Partnerschaften über die Zeit", "Active partnerships over time"),
    "download_svg": ("SVG", "SVG"),
    "download_png": ("PNG", "PNG"),
    "download_chart_help": (
        "Diese Grafik als Datei ({format}), mit Titel, Stichtag und Quelle im Bild.",
        "This chart as a file ({format}), with its title, the as-of date and the source in the image.",
    ),
    "chart_as_of": ("Stichtag {date}", "As of {date}"),
    "chart_source": (
        "Quelle: {title}, Version {version} (Stand {stand})",
        "Source: {title}, version {version} (as at {stand})",
    ),
    "report_button": ("Partnerschaftsbericht (PDF)", "Partnership report (PDF)"),
    "report_help": (
        "Ein Bericht für die Sitzungsunterlagen: die aktuellen Filter, Stichtag und Vergleichsdatum.",
        "A report for the meeting papers: the current filters, as-of date and comparison date.",
    ),
    "report_title": ("Partnerschaftsbericht", "Partnership report"),
    "page_compare": ("Vergleich", "Comparison"),
    "compare_cities": ("Heimatstädte (2 bis 4)", "Home cities (2 to 4)"),
    "compare_choose": ("Wählen Sie zwei bis vier Heimatstädte.", "Choose two to four home cities."),
    "compare_too_many": (
        "Höchstens vier Heimatstädte; verglichen werden die ersten vier.",
        "At most four home cities; the first four are compared.",
    ),
    "compare_status": ("Status am Stichtag", "Status at the as-of date"),
    "compare_matrix": ("Partnerschaften nach Kontinent", "Partnerships by continent"),
    "compare_themes": ("Themen", "Themes"),
    "compare_facts": ("Entfernung und Alter", "Distance and age"),
    "median_distance": ("Median der Entfernung (km)", "Median distance (km)"),
    "oldest": ("Älteste Partnerschaft", "Oldest partnership"),
    "newest": ("Jüngste Partnerschaft", "Newest partnership"),
    "total": ("Summe", "Total"),
    "network_by_city_description": (
        "Aktive Partnerschaften je gewählter Heimatstadt an jedem Jahresende (oder Monatsende) und am Stichtag.",
        "Active partnerships of each chosen home city at each year's (or month's) end and at the as-of date.",
    ),
    "compare_status_description": (
        "Partnerschaften der gewählten Heimatstädte nach Status am Stichtag.",
        "Partnerships of the chosen home cities by status at the as-of date.",
    ),
    "compare_matrix_description": (
        "Partnerschaften je gewählter Heimatstadt und Kontinent, Kontinente ohne Partnerschaft mit 0.",
        "Partnerships per chosen home city and continent, continents without one shown as 0.",
    ),
    "compare_themes_description": (
        "Partnerschaften je gewählter Heimatstadt und Thema, Themen ohne Partnerschaft mit 0.",
        "Partnerships per chosen home city and theme, themes without one shown as 0.",
    ),
}
TEXT.update(editing_text.TEXT)  # the edit mode's labels, kept in their own module


REFUSALS = {
    "empty": ("Die Datei ist leer.", "The file is empty."),
    "too_large": ("Die Datei ist größer als {limit} Bytes.", "The file is larger than {limit} bytes."),
    "not_zip": ("Die Datei ist kein ZIP-Archiv.", "The file is not a zip archive."),
    "too_many": ("Das Archiv enthält zu viele Dateien ({count}).", "The archive holds too many files ({count})."),
    "absolute_path": ("„{name}“ ist ein absoluter Pfad.", "'{name}' is an absolute path."),
    "parent_path": ("„{name}“ führt aus dem Paketordner hinaus.", "'{name}' leads out of the package folder."),
    "link": ("„{name}“ ist ein Link.", "'{name}' is a link."),
    "member_too_large": ("„{name}“ ist entpackt zu groß.", "'{name}' is too large unpacked."),
    "ratio": (
        "„{name}“ ist verdächtig stark komprimiert (ZIP-Bombe?).",
        "'{name}' is suspiciously highly compressed (zip bomb?).",
    ),
    "unpacked_too_large": ("Das Archiv ist entpackt zu groß.", "The archive is too large unpacked."),
    "no_descriptor": ("Das Archiv enthält keine datapackage.json.", "The archive holds no datapackage.json."),
}


def refusal(code: str, **params: object) -> str:
    """Why an upload was refused, in the current language."""
    return _pick(REFUSALS, code).format(**{k: number(v) if isinstance(v, int) else v for k, v in params.items()})


# A language set for a piece of work outside a page (the report on the command line).
_FORCED_LANG: ContextVar[str | None] = ContextVar("forced_lang", default=None)


@contextmanager
def language(code: str) -> Iterator[None]:
    """Labels, dates and numbers in CODE while the block runs, whatever the sidebar says."""
    token = _FORCED_LANG.set(code)
    try:
        yield
    finally:
        _FORCED_LANG.reset(token)


def lang() -> str:
    """The language chosen in the sidebar (German by default)."""
    forced = _FORCED_LANG.get()
    if forced in LANGUAGES:
        return forced
    store = st.session_state.get("_url_state", {})  # see dashboard.url_state
    value = store["lang"] if "lang" in store else st.query_params.get("lang")
    return value if value in LANGUAGES else "de"


def _pick(table: dict[str, tuple[str, str]], key: str) -> str:
    pair = table.get(key)
    if pair is None:
        return key
    return pair[0] if lang() == "de" else pair[1]


def t(key: str, **values: object) -> str:
    """A UI text in the current language, with {placeholders} filled."""
    text = _pick(TEXT, key)
    return text.format(**values) if values else text


def plural(key: str, n: int) -> str:
    """KEY_one or KEY_other with {n} filled (1 Kontinent, 4 Kontinente; 1 continent, 4 continents)."""
    return t(f"{key}_one" if n == 1 else f"{key}_other", n=number(n))


def status_label(value: str) -> str:
    return _pick(STATUS, value)


def kind_label(value: str) -> str:
    return _pick(KIND, value)


def continent_label(value: str) -> str:
    return _pick(CONTINENT, value)


def group_label(value: str) -> str:
    return _pick(GROUP, value)


def column_label(value: str) -> str:
    return _pick(COLUMN, value)


def number(value: float | int) -> str:
    """12.345 in German, 12,345 in English."""
    return format_decimal(value, locale=LOCALES[lang()])


def signed(value: int) -> str:
    """A change as +3, −2 (a minus sign Streamlit reads as negative) or ±0."""
    if value == 0:
        return "±0"
    return ("+" if value > 0 else "") + number(value)


def date_at_precision(value: date | None, precision: str | None) -> str:
    """A date as much as it is known: 1950, 05/2024, 25.11.2019 (English: 1950, May 2024, 25 Nov 2019)."""
    if value is None:
        return ""
    locale = LOCALES[lang()]
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return (
            f"{value.month:02d}/{value.year}" if lang() == "de" else babel_format_date(value, "MMM yyyy", locale=locale)
        )
    return babel_format_date(value, "dd.MM.yyyy" if lang() == "de" else "d MMM yyyy", locale=locale)
