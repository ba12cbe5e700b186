"""Tab "Neue Partnerschaft": the partner found in GeoNames (offline), one the package has, or typed
by hand; the kind, the first status and its source. Ids are made from the names (analysis)."""

from __future__ import annotations

import streamlit as st

from analysis.keeping.editing import partnership_id_for, place_rows
from analysis.keeping.place_checks import coordinate_problems
from analysis.keeping.places import continent_of, country_code, find_places, municipality_id
from analysis.package import Package
from dashboard import editing
from dashboard.edit_forms import at_field, outcome, problem, source_row, submit, typed_value
from dashboard.maintain.labels import country_labels
from dashboard.maintain.widgets import (
    MAX_TEXT,
    choose,
    clear,
    enum_labels,
    has_field,
    save_bar,
    section,
    source_section,
    text_field,
)
from present import i18n
from present.i18n import t

MAX_PLACES = 30  # places offered for one search
PARTNER = "partner"  # the partner section, as one field
FIELDS = ("np_place", "np_existing", "np_kind", "np_date", "np_status", "np_basis", "np_note", "np_association")
SOURCE_FIELDS = tuple(f"np_src_{name}" for name in ("title", "publisher", "document_ref", "published", "url"))


def search_places() -> None:
    """GeoNames places for the typed name (and country), largest first, for the partner choice."""
    query = typed_value("np_geo_query")[:MAX_TEXT]
    country = country_code(typed_value("np_geo_country"))
    found = find_places(query, country)[:MAX_PLACES] if query else []
    st.session_state["np_geo_found"] = {str(p.geonames_id): p for p in found}
    st.session_state["np_geo_searched"] = True
    st.session_state.pop("np_place", None)  # a new search: the place chosen before is not among its answers


def place_label(place) -> str:
    where = ", ".join(part for part in (place.admin_area, place.country_code) if part)
    return t("edit_place_label", name=place.name, where=where, people=i18n.number(place.population))


def _by_hand() -> tuple[str, str, list[tuple[str, dict]]]:
    name = typed_value("np_p_name")
    code = country_code(typed_value("np_p_country")) or typed_value("np_p_country").upper()
    row = {
        "municipality_id": municipality_id(code, name),
        "name": name,
        "country_code": code,
        "continent": continent_of(code) or "",
        "latitude": typed_value("np_p_latitude").replace(",", "."),
        "longitude": typed_value("np_p_longitude").replace(",", "."),
        "coordinates_source": typed_value("np_p_coordinates_source"),
    }
    return row["municipality_id"], name, [("municipalities", row)]


def _implausible(row: dict) -> dict:
    """Coordinates outside the country typed (swapped latitude and longitude said so), at the field."""
    try:
        latitude, longitude = float(row["latitude"]), float(row["longitude"])
    except ValueError:
        return {}  # said by the validator
    found = [
        problem(code, "latitude", **params)
        for code, params in coordinate_problems(row["country_code"], latitude, longitude)
    ]
    return {"municipalities.latitude": found} if found else {}


def submit_partnership(package: Package) -> None:
    frames = editing.current_frames()
    names = dict(zip(frames["municipalities"]["municipality_id"], frames["municipalities"]["name"], strict=True))
    source_id, rows, found = source_row("np")
    places = st.session_state.get("np_geo_found") or {}
    partner, partner_name = st.session_state.get("np_existing"), ""
    if partner:
        partner_name = names.get(partner, partner)
    elif st.session_state.get("np_place") in places:
        place = places[st.session_state["np_place"]]
        partner, place_rows_ = place_rows(place, frames, typed_value("np_geo_query"))
        partner_name = next((r["name"] for n, r in place_rows_ if n == "municipalities"), place.name)
        rows += place_rows_
    elif st.session_state.get("np_by_hand"):
        partner, partner_name, hand_rows = _by_hand()
        rows += hand_rows
        found.update(_implausible(hand_rows[0][1]))
    else:
        found[PARTNER] = [problem("edit_partner_missing")]
        partner = ""
    home = st.session_state.get("np_home") or ""
    partnership_id = partnership_id_for(names.get(home, home), partner_name or partner or "?")
    partnership = {"partnership_id": partnership_id, "home_id": home, "partner_id": partner}
    partnership |= {"kind": st.session_state.get("np_kind") or "", "association": typed_value("np_association")}
    first = {"partnership_id": partnership_id, "date": typed_value("np_date"), "note": typed_value("np_note")}
    first |= {"status": st.session_state.get("np_status") or "", "source_id": source_id}
    if has_field(package, "status_history", "date_basis"):
        first["date_basis"] = st.session_state.get("np_basis") or ""
    rows += [("partnerships", partnership), ("status_history", first)]
    covered = ("status_history.source_id", "partnerships.partner_id", "partnerships.partnership_id")
    if submit(package, "np", "change_partnership", rows, found=found, covered=covered):
        clear("np", FIELDS + SOURCE_FIELDS)
        st.session_state["np_geo_found"] = {}
        st.session_state["np_geo_searched"] = False


def partner_section(frames) -> None:
    section(t("edit_partner"), needed=True)
    left, right, button = st.columns([3, 2, 1], vertical_alignment="bottom")
    left.text_input(t("edit_geo_query"), key="np_geo_query", max_chars=MAX_TEXT)
    right.text_input(t("edit_geo_country"), key="np_geo_country", max_chars=60)
    button.button(t("edit_geo_search"), on_click=search_places, key="np_geo_search")
    found = st.session_state.get("np_geo_found") or {}
    if found:
        places = {g: place_label(p) for g, p in found.items()}
        choose(t("edit_geo_place"), places, "np_place", needed=False, only_one=True)
    elif st.session_state.get("np_geo_searched"):
        st.text(t("edit_geo_none"))
    towns = frames["municipalities"].sort("name")
    countries = country_labels(frames)
    known = {
        r["municipality_id"]: f"{r['name']}, {countries.get(r['country_code'], r['country_code'])}"
        for r in towns.iter_rows(named=True)
    }
    choose(t("edit_partner_existing"), known, "np_existing", needed=False)
    if st.checkbox(t("edit_partner_by_hand"), key="np_by_hand"):
        left, right = st.columns(2)
        left.text_input(t("edit_partner_name"), key="np_p_name", max_chars=MAX_TEXT)
        right.text_input(t("edit_partner_country"), key="np_p_country", max_chars=60)
        left.text_input(t("edit_partner_latitude"), key="np_p_latitude", max_chars=30)
        right.text_input(t("edit_partner_longitude"), key="np_p_longitude", max_chars=30)
        st.text_input(t("edit_partner_coordinates_source"), key="np_p_coordinates_source", max_chars=MAX_TEXT)
        at_field("np", *(f"municipalities.{f}" for f in ("name", "country_code", "continent", "latitude", "longitude")))
    at_field("np", PARTNER, "partnerships.partner_id", "partnerships.partnership_id", "municipalities.municipality_id")


def draw(package: Package) -> None:
    frames = editing.current_frames()
    with st.container(border=True):
        partner_section(frames)
        names = dict(zip(frames["municipalities"]["municipality_id"], frames["municipalities"]["name"], strict=True))
        homes = frames["partnerships"]["home_id"].unique().sort().to_list() or list(names)
        if len(homes) == 1 and not st.session_state.get("np_home"):
            st.session_state["np_home"] = homes[0]  # the only home town is no choice
        choose(t("edit_home"), {h: names.get(h, h) for h in homes}, "np_home")
        at_field("np", "partnerships.home_id")
        choose(t("edit_kind"), enum_labels(package, "partnerships", "kind"), "np_kind")
        at_field("np", "partnerships.kind", "partnerships.home_id, partner_id, kind")
        text_field(t("edit_association"), "np_association")
        section(t("edit_first_status"))
        text_field(t("edit_date"), "np_date", needed=True)
        at_field("np", "status_history.date", "status_history.date_precision")
        choose(t("edit_status"), enum_labels(package, "status_history", "status"), "np_status")
        at_field("np", "status_history.status")
        if has_field(package, "status_history", "date_basis"):
            choose(
                t("field_date_basis"), enum_labels(package, "status_history", "date_basis"), "np_basis", needed=False
            )
        text_field(t("edit_note"), "np_note")
        source_section("np", frames)
        st.button(t("edit_add"), on_click=submit_partnership, args=(package,), key="np_submit")
        outcome("np")
    save_bar(package, "np")
