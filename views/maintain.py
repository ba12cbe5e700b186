"""Pflege: record a status event, a new partnership, themes, corrections and deletions as pending
changes, then save them as a new version (registered only when PARTNERSHIPS_EDIT=1)."""

from functools import partial

import polars as pl
import streamlit as st

from analysis.keeping.editing import (
    Operation,
    deletion,
    dependents,
    in_language,
    place_rows,
    primary_keys,
    typed_row,
)
from analysis.keeping.saving import changelog_text, live_folder, newest_entry, restore, saved_versions
from analysis.keeping.starter import find_places, slug
from analysis.package import read_descriptor, resolve_descriptor
from analysis.problems import NotADataPackage, PackageInvalid, Problem
from dashboard import editing
from dashboard.data import using_upload
from dashboard.edit_forms import NEW, at_field, outcome, source_row, submit, typed_value
from dashboard.loading import server_location
from dashboard.page import show_problems, start
from present import i18n
from present.i18n import t

GEONAMES = "__geonames__"
MAX_QUERY = 100  # characters of a place search
MAX_PLACES = 30  # places offered for one search
PRECISIONS = ["", "day", "month", "year"]
CONTINENTS = ["Europe", "Asia", "Africa", "North America", "South America", "Oceania", "Antarctica"]

package, selection = start("page_maintain", stop_when_empty=False)
if not editing.edit_enabled():  # never registered then; a direct run writes nothing either
    st.stop()
if using_upload():
    st.info(t("edit_upload_in_use"))
    st.stop()
if editing.is_embedded(package):
    st.error(t("edit_embedded_refused"))
    st.stop()
if editing.auth_configured():
    who = editing.logged_in_user()
    if who is None:
        st.info(t("edit_login_needed"))
        st.button(t("edit_login"), on_click=st.login, key="edit_login")
        st.stop()
    st.text(who)
    st.button(t("edit_logout"), on_click=st.logout, key="edit_logout")
else:
    # a widget's value is forgotten on a page without it: the name is kept for the session's next visit
    if "edit_who" not in st.session_state and "_edit_who_kept" in st.session_state:
        st.session_state["edit_who"] = st.session_state["_edit_who_kept"]
    who = st.text_input(t("edit_editor_name"), key="edit_who")
    st.session_state["_edit_who_kept"] = who
st.caption(t("edit_intro"))
editing.base_of(package)
frames = package.frames


def source_fields(prefix: str) -> None:
    """Choose an existing source or type a new one (all inputs labelled)."""
    sources = frames["sources"].sort("source_id")
    titles = dict(zip(sources["source_id"].to_list(), sources["title"].to_list(), strict=True))
    st.selectbox(
        t("edit_source"),
        [NEW, *titles],
        format_func=lambda s: t("edit_source_new") if s == NEW else f"{s}: {titles[s]}",
        key=f"{prefix}_source",
    )
    at_field(prefix, "status_history.source_id")
    at_field(prefix, "partnership_themes.source_id")
    for name, label in (
        ("id", "source_id"),
        ("title", "title"),
        ("publisher", "publisher"),
        ("url", "url"),
        ("published", "published"),
        ("ref", "document_ref"),
    ):
        st.text_input(
            t("edit_source_id_optional" if name == "id" else f"edit_source_{name}"), key=f"{prefix}_src_{name}"
        )
        at_field(prefix, f"sources.{label}")


def partnership_options() -> dict[str, str]:
    names = dict(zip(frames["municipalities"]["municipality_id"], frames["municipalities"]["name"], strict=True))
    rows = frames["partnerships"].sort("partnership_id").iter_rows(named=True)
    return {
        r["partnership_id"]: f"{names.get(r['home_id'], r['home_id'])} – {names.get(r['partner_id'])}" for r in rows
    }


def precision_label(value: str) -> str:
    return t("edit_precision_from_date") if value == "" else t(f"precision_{value}")


def submit_event() -> None:
    source_id, source_rows = source_row("ev")
    event = {
        "partnership_id": st.session_state.get("ev_partnership") or "",
        "date": typed_value("ev_date"),
        "date_precision": st.session_state.get("ev_precision") or "",
        "status": st.session_state.get("ev_status") or "",
        "note": typed_value("ev_note"),
        "source_id": source_id,
    }
    submit(package, "ev", "change_event", [*source_rows, ("status_history", event)])


def submit_partnership() -> None:
    source_id, source_rows = source_row("np")
    home = st.session_state.get("np_home") or ""
    partner = st.session_state.get("np_partner") or ""
    rows = []
    municipalities = frames["municipalities"]
    names = dict(zip(municipalities["municipality_id"], municipalities["name"], strict=True))
    places = st.session_state.get("np_geo_found") or {}
    if partner == GEONAMES and st.session_state.get("np_geo_place") in places:
        place = places[st.session_state["np_geo_place"]]
        partner, rows = place_rows(place, editing.current_frames())
        partner_name = place.name
    elif partner == GEONAMES:
        none = Problem("partnerships", None, "partner_id", code="edit_no_place_chosen")
        st.session_state["np_errors"] = {"partnerships.partner_id": [none]}
        st.session_state["np_ok"] = False
        return
    elif partner == NEW:
        name, country = typed_value("np_p_name"), typed_value("np_p_country").upper()
        partner = f"{country.lower()}-{slug(name)}"
        partner_name = name
        rows.append(
            (
                "municipalities",
                {
                    "municipality_id": partner,
                    "name": name,
                    "country_code": country,
                    "continent": st.session_state.get("np_p_continent") or "",
                    "latitude": typed_value("np_p_latitude").replace(",", "."),
                    "longitude": typed_value("np_p_longitude").replace(",", "."),
                    "coordinates_source": typed_value("np_p_coordinates_source"),
                },
            )
        )
    else:
        partner_name = names.get(partner, partner)
    partnership_id = f"{slug(names.get(home, home))}-{slug(partner_name)}"
    rows.append(
        (
            "partnerships",
            {
                "partnership_id": partnership_id,
                "home_id": home,
                "partner_id": partner,
                "kind": st.session_state.get("np_kind") or "",
                "association": typed_value("np_association"),
                "notes": typed_value("np_notes"),
            },
        )
    )
    first = {
        "partnership_id": partnership_id,
        "date": typed_value("np_date"),
        "date_precision": st.session_state.get("np_precision") or "",
        "status": st.session_state.get("np_status") or "",
        "note": typed_value("np_note"),
        "source_id": source_id,
    }
    submit(package, "np", "change_partnership", [*source_rows, *rows, ("status_history", first)])


def submit_theme() -> None:
    partnership = st.session_state.get("th_partnership") or ""
    theme = st.session_state.get("th_theme") or ""
    if st.session_state.get("th_action") == "remove":
        key = {"partnership_id": partnership, "theme_id": theme}
        submit(package, "th", "change_theme", [], (Operation("remove", "partnership_themes", key=key),))
        return
    source_id, source_rows = source_row("th")
    row = {"partnership_id": partnership, "theme_id": theme, "source_id": source_id}
    submit(package, "th", "change_theme", [*source_rows, ("partnership_themes", row)])


tab_event, tab_new, tab_themes, tab_fix, tab_pending, tab_versions = st.tabs(
    [
        t("edit_event"),
        t("edit_new_partnership"),
        t("edit_themes"),
        t("edit_correct_delete"),
        t("edit_pending"),
        t("edit_versions_tab"),
    ]
)
options = partnership_options()
statuses = list(i18n.STATUS)

with tab_event, st.form("ev_form", border=True):
    st.selectbox(t("edit_partnership"), list(options), format_func=options.get, key="ev_partnership")
    at_field("ev", "status_history.partnership_id")
    st.text_input(t("edit_date"), key="ev_date")
    at_field("ev", "status_history.date")
    st.selectbox(t("edit_precision"), PRECISIONS, format_func=precision_label, key="ev_precision")
    at_field("ev", "status_history.date_precision")
    st.selectbox(t("edit_status"), statuses, format_func=i18n.status_label, key="ev_status")
    at_field("ev", "status_history.status")
    st.text_input(t("edit_note"), key="ev_note")
    at_field("ev", "status_history.note")
    source_fields("ev")
    st.form_submit_button(t("edit_add"), on_click=submit_event)
    outcome("ev")


def place_label(place) -> str:
    where = ", ".join(part for part in (place.admin_area, place.country_code) if part)
    return f"{place.name}, {where} ({i18n.number(place.population)}, GeoNames {place.geonames_id})"


def search_places() -> None:
    """GeoNames places for the typed name (and country), largest first, for the partner choice."""
    query = typed_value("np_geo_query")[:MAX_QUERY]
    country = typed_value("np_geo_country").upper()[:2] or None
    found = find_places(query, country)[:MAX_PLACES] if query else []
    st.session_state["np_geo_found"] = {str(p.geonames_id): p for p in found}
    st.session_state["np_geo_searched"] = True


with tab_new:
    st.text_input(t("edit_geo_query"), key="np_geo_query", max_chars=MAX_QUERY)
    st.text_input(t("edit_geo_country"), key="np_geo_country", max_chars=2)
    st.button(t("edit_geo_search"), on_click=search_places, key="np_geo_search")
    found_places = st.session_state.get("np_geo_found") or {}
    if found_places:
        st.selectbox(
            t("edit_geo_place"),
            list(found_places),
            format_func=lambda g: place_label(found_places[g]),
            key="np_geo_place",
        )
    elif st.session_state.get("np_geo_searched"):
        st.text(t("edit_geo_none"))

with tab_new, st.form("np_form", border=True):
    municipalities = frames["municipalities"].sort("name")
    names = dict(zip(municipalities["municipality_id"], municipalities["name"], strict=True))
    homes = frames["partnerships"]["home_id"].unique().sort().to_list() or list(names)
    st.selectbox(t("edit_home"), homes, format_func=lambda m: names.get(m, m), key="np_home")
    at_field("np", "partnerships.home_id")
    st.selectbox(
        t("edit_partner"),
        [GEONAMES, NEW, *names],
        format_func=lambda m: (
            {GEONAMES: t("edit_partner_geonames"), NEW: t("edit_partner_new")}.get(m) or f"{names[m]} ({m})"
        ),
        key="np_partner",
    )
    at_field("np", "partnerships.partner_id")
    at_field("np", "partnerships.partnership_id")
    for name in ("name", "country"):
        st.text_input(t(f"edit_partner_{name}"), key=f"np_p_{name}")
        at_field("np", f"municipalities.{'name' if name == 'name' else 'country_code'}")
    at_field("np", "municipalities.municipality_id")
    st.selectbox(t("edit_partner_continent"), CONTINENTS, format_func=i18n.continent_label, key="np_p_continent")
    for name in ("latitude", "longitude", "coordinates_source"):
        st.text_input(t(f"edit_partner_{name}"), key=f"np_p_{name}")
        at_field("np", f"municipalities.{name}")
    st.selectbox(t("edit_kind"), list(i18n.KIND), format_func=i18n.kind_label, key="np_kind")
    at_field("np", "partnerships.kind")
    st.text_input(t("edit_association"), key="np_association")
    st.text_input(t("edit_notes"), key="np_notes")
    st.subheader(t("edit_first_status"))
    st.text_input(t("edit_date"), key="np_date")
    at_field("np", "status_history.date")
    st.selectbox(t("edit_precision"), PRECISIONS, format_func=precision_label, key="np_precision")
    at_field("np", "status_history.date_precision")
    st.selectbox(t("edit_status"), statuses, format_func=i18n.status_label, key="np_status")
    st.text_input(t("edit_note"), key="np_note")
    source_fields("np")
    st.form_submit_button(t("edit_add"), on_click=submit_partnership)
    outcome("np")

with tab_themes, st.form("th_form", border=True):
    themes = frames["themes"].sort("theme_id")
    labels = dict(zip(themes["theme_id"], themes["label_de" if i18n.lang() == "de" else "label_en"], strict=True))
    st.selectbox(t("edit_partnership"), list(options), format_func=options.get, key="th_partnership")
    st.selectbox(t("edit_theme"), list(labels), format_func=labels.get, key="th_theme")
    at_field("th", "partnership_themes.theme_id")
    st.radio(
        t("edit_theme_action"),
        ["add", "remove"],
        format_func=lambda a: t(f"edit_theme_{a}"),
        key="th_action",
        horizontal=True,
    )
    source_fields("th")
    st.form_submit_button(t("edit_add"), on_click=submit_theme)
    outcome("th")

with tab_fix:
    keys = primary_keys(package.descriptor)
    resources = [r["name"] for r in package.descriptor["resources"]]
    resource = st.selectbox(t("edit_resource"), resources, key="fix_resource")
    key_fields = keys[resource]
    text_frame = editing.current_frames()[resource]
    row_keys = [tuple(row) for row in text_frame.select(key_fields).iter_rows()]
    chosen = st.selectbox(t("edit_row"), row_keys, format_func=lambda k: ", ".join(str(v) for v in k), key="fix_row")
    if chosen is not None:
        key = dict(zip(key_fields, chosen, strict=True))
        fields = [c for c in text_frame.columns if c not in key_fields]
        field = st.selectbox(t("edit_field"), fields, key="fix_field")
        st.text_input(t("edit_new_value"), key="fix_value")
        at_field("fix", f"{resource}.{field}")

        def submit_correction() -> None:
            """The corrected row read as the workbook reads a typed row (dates in three forms), then
            only the chosen field changed; its problems and the row's other ones are shown."""
            current = text_frame.filter(pl.all_horizontal(pl.col(k) == v for k, v in key.items())).row(0, named=True)
            row, problems = typed_row(package.descriptor, resource, {**current, field: typed_value("fix_value")})
            if problems:
                st.session_state["fix_errors"] = {"": problems}
                st.session_state["fix_ok"] = False
                return
            update = {field: row[field]}
            if field == "date" and "date_precision" in row:  # a precision derived from the typed date
                update["date_precision"] = row["date_precision"]
            submit(package, "fix", "change_correct", [], (Operation("update", resource, row=update, key=key),))

        st.button(t("edit_correct"), on_click=submit_correction, key="fix_correct")
        outcome("fix")
        depending = dependents(package.descriptor, editing.current_frames(), resource, key)
        st.text(t("edit_depends", n=len(depending)))
        if depending:
            st.dataframe(
                pl.DataFrame(
                    {
                        t("edit_resource"): [op.resource for op in depending],
                        t("edit_row"): [", ".join(str(v) for v in op.key.values()) for op in depending],
                    }
                ),
                hide_index=True,
                key="fix_dependents",
            )
        st.checkbox(t("edit_delete_confirm"), key="del_confirm")

        def submit_deletion() -> None:
            if not st.session_state.get("del_confirm"):
                st.session_state["del_errors"] = {"": []}
                st.session_state["del_ok"] = False
                st.session_state["del_unconfirmed"] = True
                return
            st.session_state["del_unconfirmed"] = False
            change = deletion(package.descriptor, editing.current_frames(), resource, key)
            checked = editing.propose(package, change)
            st.session_state["del_errors"] = {"": checked.problems} if checked.problems else {}
            st.session_state["del_ok"] = not checked.problems
            st.session_state["del_confirm"] = False

        st.button(t("edit_delete"), on_click=submit_deletion, key="del_button")
        if st.session_state.get("del_unconfirmed"):
            st.text(f"⚠ {t('edit_delete_needs_confirm')}")
        outcome("del")


def save_now() -> None:
    name = editing.logged_in_user() if editing.auth_configured() else typed_value("edit_who")
    if not name:
        st.session_state["save_outcome"] = ("no_name", None)
        return
    st.session_state["save_outcome"] = editing.save_pending(package, name)
    for form in ("ev", "np", "th", "fix", "del"):  # "noted, not saved yet" is no longer true
        st.session_state[f"{form}_ok"] = False


def undo_now(index: int) -> None:
    st.session_state["undo_refused"] = editing.undo(index)


with tab_pending:
    state = editing.state()
    if st.session_state.get("undo_refused"):
        st.error(t("edit_undo_refused"))
        for problem in st.session_state["undo_refused"]:
            st.text(f"⚠ {problem.describe(i18n.lang())}")
    if not state.pending:
        st.text(t("edit_nothing_pending"))
    for index, change in enumerate(state.pending):
        with st.container(border=True):
            st.text(f"{index + 1}. {t(change.kind)}")
            st.text(editing.words(package, index))
            st.button(t("edit_undo"), on_click=partial(undo_now, index), key=f"undo_{index}")
    st.button(t("edit_save"), on_click=save_now, key="edit_save", disabled=not state.pending, type="primary")
    result = st.session_state.get("save_outcome")
    if result:
        kind, detail = result
        if kind == "saved":
            st.success(t("edit_saved"))
            st.text(str(detail))  # a version comes from the data: text, never markup
        elif kind == "no_name":
            st.error(t("edit_editor_missing"))
        elif kind == "conflict":
            st.error(t("edit_conflict"))
        elif kind == "invalid":
            st.error(t("edit_save_invalid"))
            show_problems(PackageInvalid(detail))
        else:
            st.error(t("edit_save_failed"))
            st.text(str(detail))
    if state.meanwhile:
        st.subheader(t("edit_meanwhile"))
        st.text(in_language(state.meanwhile, i18n.lang()))
    if state.conflicts:
        st.subheader(t("edit_conflicts_or_misfits"))
        for change in state.conflicts:
            st.text(f"{t(change.kind)}: " + "; ".join(f"{op.resource} {op.row or op.key}" for op in change.operations))

        def drop_conflicts() -> None:
            editing.state().conflicts = []

        st.button(t("edit_conflicts_drop"), on_click=drop_conflicts, key="edit_conflicts_drop")

with tab_versions:
    live = live_folder(server_location())
    try:
        st.text(t("edit_live_version", version=str(read_descriptor(resolve_descriptor(live)).get("version") or "?")))
    except (PackageInvalid, NotADataPackage):
        pass  # said by every page's own check
    versions = saved_versions(live)
    if not versions:
        st.text(t("edit_no_versions"))
    else:
        st.subheader(t("edit_versions"))
        version = st.selectbox(t("edit_version"), versions, key="restore_version")

        def restore_now() -> None:
            st.session_state["restored"] = None
            try:
                restore(server_location(), version)
            except (PackageInvalid, NotADataPackage, OSError) as error:
                if isinstance(error, PackageInvalid):
                    st.session_state["restore_failed"] = "; ".join(p.text(i18n.lang()) for p in error.problems)
                else:
                    st.session_state["restore_failed"] = getattr(error, "strerror", None) or str(error)
                return
            st.session_state["restore_failed"] = None
            st.session_state["restored"] = version

        st.button(t("edit_restore"), on_click=restore_now, key="restore_button", disabled=bool(state.pending))
        if state.pending:
            st.caption(t("edit_restore_pending"))
        if st.session_state.get("restored"):
            st.success(t("edit_restored"))
            st.text(st.session_state["restored"])
        elif st.session_state.get("restore_failed"):
            st.error(t("edit_save_failed"))
            st.text(st.session_state["restore_failed"])
    log = changelog_text(live)
    if log:
        st.subheader(t("edit_changelog_newest"))
        st.text(newest_entry(log))  # text from the data: never markup
    with st.expander(t("edit_changelog")):
        st.text(log or t("edit_changelog_none"))
