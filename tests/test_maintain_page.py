"""The Pflege page, driven by widget key with AppTest, on a copy of the small test package."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest
from conftest import write_package
from streamlit.testing.v1 import AppTest

from analysis.package import ENV_VAR, load_package
from present import i18n

APP = Path(__file__).resolve().parents[1] / "app.py"
WAIT = 120
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def live(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "paket"
    write_package(folder)
    monkeypatch.setenv(ENV_VAR, str(folder))
    monkeypatch.setenv("PARTNERSHIPS_EDIT", "1")
    return folder


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def maintain(lang: str = "de") -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=WAIT)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("views/maintain.py").run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> list[str]:
    return [element.value for element in at.text]


def active_tile(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label in ("Aktiv", "Active"))


def tiles(at: AppTest) -> dict[str, str]:
    """The overview's status tiles, label -> number shown."""
    return {m.label: m.value for m in at.metric}


def fill_event(
    at: AppTest,
    date: str,
    status: str = "active",
    source: str | None = "s2",
    partnership: str = "hagen-kartal",
) -> None:
    at.selectbox(key="ev_partnership").set_value(partnership)
    at.text_input(key="ev_date").input(date)
    at.selectbox(key="ev_status").set_value(status)
    at.text_input(key="ev_note").input("Rat beschließt Partnerschaft")
    at.selectbox(key="ev_source").set_value(source)


def saved_as(at: AppTest) -> str | None:
    """The version the save banner names (the same on every tab), None when none was saved."""
    found = {m.group(1) for s in at.success if (m := re.fullmatch(r"Gespeichert als Version (.+)\.", s.value))}
    assert len(found) <= 1, found
    return found.pop() if found else None


def editing_frames(at: AppTest) -> dict:
    """The text frames of the session's pending changes (the edit state of AppTest's session)."""
    return at.session_state["_edit_state"].frames


def html(at: AppTest) -> str:
    """What the page draws with st.html (the changelog, rendered from its Markdown)."""
    return "\n".join(element.proto.body for element in at.get("html"))


def test_valid_event_saved_and_overview_tile_changes(live):
    at = AppTest.from_file(str(APP), default_timeout=WAIT)
    at.run()
    # by hand: dortmund-amiens and dortmund-trabzon active; hagen-kartal only proposed
    assert active_tile(at) == "2"
    at.switch_page("views/maintain.py").run()
    at.text_input(key="edit_who").input("Erika Muster")
    fill_event(at, "04.03.2025")
    at.button(key="ev_submit").click().run()
    assert not at.exception
    assert any("1 ungespeicherte Änderung" in w.value for w in at.warning)
    # in words: the partnership by its towns, the status as a label, the date at its precision, the source
    assert "Hagen – Kartal: aktiv seit 04.03.2025 (Vorlage, Vorlage 1062/2023-1)" in texts(at)
    assert "Noch kein Änderungsprotokoll." in texts(at)  # the test package has none
    at.button(key="edit_save").click().run()
    # the banner on every tab with a save bar (the one in use among them), and a toast
    assert {s.value for s in at.success} == {"Gespeichert als Version 0.1.0."}
    assert [toast.proto.body for toast in at.toast] == ["Gespeichert: Version 0.1.0"]
    assert "Gilt jetzt: Version 0.1.0" in texts(at)
    shown = html(at)  # the changelog rendered: headings below the page's, the keys as code
    assert "<h4>0.1.0 (" in shown and "<p>Von / by: Erika Muster</p>" in shown
    assert "<code>hagen-kartal, 2025-03-04, active</code>" in shown and "Vorher / before: 0.0.1-test" in shown
    versions = next(d.value for d in at.table if "Gespeichert am" in d.value.columns)
    assert versions.iloc[0].tolist() == [
        "0.1.0",
        versions["Gespeichert am"][0],
        "Erika Muster",
        "Hagen – Kartal: aktiv seit 04.03.2025 (Vorlage, Vorlage 1062/2023-1)",
    ]
    assert re.fullmatch(r"\d\d\.\d\d\.20\d\d, \d\d:\d\d", versions["Gespeichert am"][0])
    assert load_package(live)["status_history"].height == 5
    assert "Erika Muster" in (live / "CHANGELOG.md").read_text(encoding="utf-8")
    at.switch_page("views/overview.py").run()
    assert active_tile(at) == "3"


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("31.02.2025", "ist kein Datum"),
        ("04.03.2099", "liegt in der Zukunft: bitte ein Datum bis heute eingeben."),
    ],
)
def test_invalid_date_message_at_field_and_values_kept(live, date, message):
    at = maintain()
    at.text_input(key="edit_who").input("Erika Muster")
    fill_event(at, date)
    at.button(key="ev_submit").click().run()
    assert any(message in text for text in texts(at)), texts(at)
    assert at.text_input(key="ev_date").value == date
    assert at.text_input(key="ev_note").value == "Rat beschließt Partnerschaft"
    assert at.selectbox(key="ev_status").value == "active"
    assert not any("ungespeicherte" in w.value for w in at.warning)


def test_new_source_problems_at_their_fields_in_english(live):
    at = maintain("en")
    with i18n.language("en"):  # AppTest formats the options in the test's thread, in its language
        fill_event(at, "2025", source=None)
        at.text_input(key="ev_src_url").input("www.hagen.de rat")
        at.text_input(key="ev_src_publisher").input("Stadt Hagen")
        at.button(key="ev_submit").click().run()
    shown = texts(at)
    # the address is none, the title is missing: both at once, at their fields, in plain English
    assert "⚠ not a valid web address: please enter it in full, e.g. https://www.city.example/council" in shown
    assert "⚠ Required: please fill in or choose." in shown, shown
    assert [e.value for e in at.error] == [
        "Not taken: 2 notes at the fields below (⚠) say what is missing or does not fit."
    ]
    assert at.text_input(key="ev_src_url").value == "www.hagen.de rat"
    assert at.text_input(key="ev_src_publisher").value == "Stadt Hagen"


def add_partnership(at, kind: str, when: str, source: str) -> str:
    """Give the new partnership its KIND, date and SOURCE, add it; the page's text afterwards."""
    at.selectbox(key="np_kind").set_value(kind)
    at.text_input(key="np_date").input(when)
    at.selectbox(key="np_source").set_value(source)
    at.button(key="np_submit").click().run()
    assert not at.exception
    return "\n".join(texts(at))


def test_new_partnership_by_hand_then_undo(live):
    at = maintain()
    at.selectbox(key="np_home").set_value("de-dortmund")
    at.checkbox(key="np_by_hand").check().run()
    at.text_input(key="np_p_name").input("Lille")
    at.text_input(key="np_p_country").input("Frankreich")
    at.text_input(key="np_p_latitude").input("50,6")
    at.text_input(key="np_p_longitude").input("3.06")
    at.text_input(key="np_p_coordinates_source").input("Stadt Lille")
    at.selectbox(key="np_status").set_value("proposed")
    shown = add_partnership(at, "friendship", "11/2024", "s1")
    assert "Neue Partnerschaft Dortmund – Lille (Städtefreundschaft)" in shown, shown
    assert "vorgeschlagen seit 11/2024 (Stadt Dortmund: Städtepartnerschaften, Stadt Dortmund)" in shown
    assert "neuer Ort: Lille, Frankreich" in shown  # the continent from the country, not typed
    assert editing_frames(at)["municipalities"].filter(municipality_id="fr-lille")["continent"].to_list() == ["Europe"]
    at.button(key="undo_0").click().run()
    assert "Keine ungespeicherten Änderungen." in texts(at)


def test_delete_needs_confirmation_and_names_dependents(live):
    at = maintain()
    at.selectbox(key="fix_row").set_value(("partnerships", ("dortmund-trabzon",))).run()
    assert "Davon abhängig (wird mit gelöscht): 2" in texts(at)
    assert "– Statusereignisse: Dortmund – Trabzon: 12.06.2014, aktiv" in texts(at)
    at.button(key="del_button").click().run()
    assert "⚠ Bitte das Löschen bestätigen." in texts(at)
    at.checkbox(key="del_confirm").check().run()
    at.button(key="del_button").click().run()
    assert any("1 ungespeicherte Änderung" in w.value for w in at.warning)


def test_edit_mode_off_no_page_and_nothing_written(tmp_path, monkeypatch):
    folder = tmp_path / "paket"
    write_package(folder)
    monkeypatch.setenv(ENV_VAR, str(folder))
    monkeypatch.delenv("PARTNERSHIPS_EDIT", raising=False)
    before = _files(tmp_path)
    at = AppTest.from_file(str(APP), default_timeout=WAIT)
    at.run()
    pages = sorted(p.name for p in (ROOT / "views").glob("*.py") if p.name != "maintain.py")
    for page in pages:
        at.switch_page(f"views/{page}").run()
        assert not at.exception, page
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # not registered
        at.switch_page("views/maintain.py").run()
    assert _files(tmp_path) == before


def test_embedded_package_is_never_edited(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.setenv("PARTNERSHIPS_EDIT", "1")
    at = maintain()
    assert any("eingebettete Paket wird nicht bearbeitet" in e.value for e in at.error)
    assert not [w for w in at.text_input if w.key == "ev_date"]


def test_two_sessions_second_save_refused_nothing_lost(live):
    first, second = maintain(), maintain()
    for at in (first, second):
        at.text_input(key="edit_who").input("A" if at is first else "B")
    fill_event(first, "04.03.2025", status="paused")
    first.button(key="ev_submit").click().run()
    # the second session: the same event (same primary key) and a new theme on another partnership
    fill_event(second, "04.03.2025", status="paused")
    second.button(key="ev_submit").click().run()
    second.selectbox(key="th_partnership").set_value("dortmund-trabzon")
    second.selectbox(key="th_theme").set_value("economy")
    second.radio(key="th_action").set_value("add")
    second.selectbox(key="th_source").set_value("s1")
    second.button(key="th_submit").click().run()
    assert any("2 ungespeicherte Änderungen" in w.value for w in second.warning)
    first.button(key="edit_save").click().run()
    assert saved_as(first) == "0.1.0"
    second.button(key="edit_save").click().run()
    assert any("jemand anderes hat inzwischen gespeichert" in e.value for e in second.error)
    package = load_package(live)
    assert package.version == "0.1.0" and package["partnership_themes"].height == 2  # nothing of B yet
    shown = "\n".join(texts(second))
    assert "hagen-kartal, 2025-03-04, paused" in shown  # what changed meanwhile
    assert any("1 ungespeicherte Änderung" in w.value for w in second.warning)  # the theme, re-applied
    second.switch_page("views/overview.py").run()  # A's saved pause, nothing of B's own event
    assert tiles(second) == {"Aktiv": "2", "Ruhend oder ausgelaufen": "1", "In Planung": "0", "Abgelehnt/beendet": "0"}
    second.switch_page("views/maintain.py").run()
    second.button(key="edit_save").click().run()
    assert saved_as(second) == "0.1.1"
    package = load_package(live)
    assert package["partnership_themes"].height == 3 and package["status_history"].height == 5
    log = (live / "CHANGELOG.md").read_text(encoding="utf-8")
    assert log.index("Von / by: B") < log.index("Von / by: A")  # newest first


def test_a_reader_sees_the_saved_version_at_its_next_rerun(live):
    reader = AppTest.from_file(str(APP), default_timeout=WAIT)
    reader.run()
    assert active_tile(reader) == "2"
    editor = maintain()
    editor.text_input(key="edit_who").input("A")
    fill_event(editor, "2025")
    editor.button(key="ev_submit").click().run()
    editor.button(key="edit_save").click().run()
    reader.run()
    assert active_tile(reader) == "3"


def test_restore_from_the_page(live):
    before = _files(live)
    at = maintain()
    at.text_input(key="edit_who").input("A")
    fill_event(at, "2025")
    at.button(key="ev_submit").click().run()
    at.button(key="edit_save").click().run()
    assert _files(live) != before
    at.selectbox(key="restore_version").set_value("0.0.1-test").run()
    at.button(key="restore_button").click().run()
    assert [w.value for w in at.warning if "wiederherstellen?" in w.value] == [
        "Version 0.0.1-test wiederherstellen? Sie gilt dann für alle; die jetzige bleibt als frühere Version erhalten."
    ]
    assert load_package(live).version == "0.1.0"  # asked, not done
    at.button(key="restore_confirm").click().run()
    assert any("wiederhergestellt" in s.value for s in at.success) and "0.0.1-test" in texts(at)
    assert _files(live) == before


def test_without_login_configured_no_user_is_asked_for(live):
    at = maintain()
    assert [w.key for w in at.text_input if w.key == "edit_who"] == ["edit_who"]
    assert not [b for b in at.button if b.key == "edit_login"]


def test_st_login_finds_authlib_among_the_dependencies():
    """st.login refuses to work without Authlib >= 1.3.2; the project's dependencies bring it."""
    from streamlit.auth_util import is_authlib_installed

    assert is_authlib_installed()


def test_login_configured_editing_needs_a_logged_in_user(live, monkeypatch):
    from dashboard import editing

    monkeypatch.setattr(editing, "auth_configured", lambda: True)
    monkeypatch.setattr(editing, "logged_in_user", lambda: None)
    at = maintain()
    assert any("Zum Bearbeiten bitte anmelden." in i.value for i in at.info)
    assert [b.key for b in at.button if b.key == "edit_login"] == ["edit_login"]
    assert not [w for w in at.text_input if w.key in ("ev_date", "edit_who")]


def test_login_configured_the_changelog_names_the_user(live, monkeypatch):
    from dashboard import editing

    monkeypatch.setattr(editing, "auth_configured", lambda: True)
    monkeypatch.setattr(editing, "logged_in_user", lambda: "erika.muster@stadt.example")
    at = maintain()
    assert not [w for w in at.text_input if w.key == "edit_who"]
    fill_event(at, "2025")
    at.button(key="ev_submit").click().run()
    at.button(key="edit_save").click().run()
    assert "Von / by: erika.muster@stadt.example" in (live / "CHANGELOG.md").read_text(encoding="utf-8")


def test_save_without_a_name_is_refused(live):
    at = maintain()
    fill_event(at, "2025")
    at.button(key="ev_submit").click().run()
    at.button(key="edit_save").click().run()
    assert any("Bitte Ihren Namen angeben." in e.value for e in at.error)
    assert not live.is_symlink() and load_package(live)["status_history"].height == 4


def test_new_partnership_with_a_partner_found_in_geonames(live):
    at = maintain()
    at.text_input(key="np_geo_query").input("Lille")
    at.text_input(key="np_geo_country").input("FR")
    at.button(key="np_geo_search").click().run()
    # GeoNames 2998324: Lille, France, 50.63297 N 3.05858 E
    at.selectbox(key="np_place").set_value("2998324")
    at.selectbox(key="np_home").set_value("de-hagen")
    at.selectbox(key="np_status").set_value("proposed")
    shown = add_partnership(at, "friendship", "2024", "s2")
    assert "Neue Partnerschaft Hagen – Lille (Städtefreundschaft)" in shown, shown
    assert "vorgeschlagen seit 2024 (Vorlage, Vorlage 1062/2023-1)" in shown
    at.text_input(key="edit_who").input("A")
    at.button(key="edit_save").click().run()
    lille = load_package(live)["municipalities"].filter(municipality_id="fr-lille").row(0, named=True)
    assert (lille["geonames_id"], round(lille["latitude"], 2), round(lille["longitude"], 2)) == (2998324, 50.63, 3.06)
    assert lille["continent"] == "Europe"


def test_geonames_chosen_without_a_place_is_said_at_the_field(live):
    at = maintain()
    at.text_input(key="np_date").input("2024")
    at.button(key="np_submit").click().run()
    shown = texts(at)  # every problem of the submission at once, each at its field
    assert (
        "⚠ Partnerkommune fehlt: bitte in GeoNames suchen und einen Ort wählen, eine vorhandene wählen oder von Hand"
        " eingeben." in shown
    )
    missing = "⚠ Quelle fehlt: bitte eine vorhandene Quelle wählen oder eine neue eingeben (Titel und Herausgeber)."
    assert missing in shown
    assert shown.count("⚠ Pflichtangabe: bitte ausfüllen oder wählen.") == 3, shown  # home, kind, status
    assert at.text_input(key="np_date").value == "2024"


def test_correct_a_note_shows_the_diff_in_words(live):
    at = maintain()
    at.selectbox(key="fix_row").set_value(("status_history", ("hagen-kartal", "2021-05-31", "proposed"))).run()
    assert at.text_input(key="fix_f_note").value == "letter"  # the current value, prefilled
    assert at.text_input(key="fix_f_date").value == "31.05.2021"
    at.text_input(key="fix_f_note").input("Brief des Bürgermeisters")
    at.button(key="fix_correct").click().run()
    assert "Hagen – Kartal: 31.05.2021, vorgeschlagen: Was geschah „letter“ → „Brief des Bürgermeisters“" in texts(at)


def test_a_correction_that_is_no_date_is_refused_and_kept(live):
    at = maintain()
    at.selectbox(key="fix_row").set_value(("sources", ("s2",))).run()
    at.text_input(key="fix_f_published").input("11/2024")
    at.button(key="fix_correct").click().run()
    assert any("ist kein ganzer Tag" in text for text in texts(at)), texts(at)
    assert at.text_input(key="fix_f_published").value == "11/2024"
    at.text_input(key="fix_f_published").input("20.11.2024")
    at.button(key="fix_correct").click().run()
    assert any("1 ungespeicherte Änderung" in w.value for w in at.warning)
    assert "Vorlage (Stadt Hagen, Vorlage 1062/2023-1): veröffentlicht am „19.11.2024“ → „20.11.2024“" in texts(at)


# by hand from BASE_ROWS, as of today: dortmund-amiens and dortmund-trabzon active, hagen-kartal
# proposed (in the pipeline), nothing paused or closed
SAVED_TILES = {"Aktiv": "2", "Ruhend oder ausgelaufen": "0", "In Planung": "1", "Abgelehnt/beendet": "0"}
# dortmund-trabzon let rest on 4 March 2025
RESTING_TILES = {"Aktiv": "1", "Ruhend oder ausgelaufen": "1", "In Planung": "1", "Abgelehnt/beendet": "0"}


def rest_trabzon(at: AppTest) -> None:
    fill_event(at, "04.03.2025", status="paused", partnership="dortmund-trabzon")
    at.text_input(key="ev_note").input("Rat lässt die Partnerschaft ruhen")
    at.button(key="ev_submit").click().run()
    assert not at.exception, at.exception


def test_pending_changes_show_on_every_page_of_this_session_only(live):
    before = _files(live)
    editor = maintain()
    rest_trabzon(editor)
    editor.switch_page("views/overview.py").run()
    assert tiles(editor) == RESTING_TILES
    assert [w.value for w in editor.warning if "ungespeichert" in w.value] == [
        "1 ungespeicherte Änderung. Alle Seiten zeigen sie schon; gespeichert sind sie erst mit „Speichern“ "
        "auf der Seite Pflege."
    ]
    editor.switch_page("views/partnerships.py").run()
    assert not editor.exception
    reader = AppTest.from_file(str(APP), default_timeout=WAIT)  # another session on the same folder
    reader.run()
    assert tiles(reader) == SAVED_TILES
    assert not any("ungespeichert" in w.value for w in reader.warning)
    assert _files(live) == before  # nothing written into the package before Speichern
    kept = sorted(p.name for p in (live.parent / "paket.pending").iterdir())  # only kept beside it
    assert len(kept) == 1 and kept[0].endswith(".json")
    editor.switch_page("views/maintain.py").run()
    editor.button(key="undo_0").click().run()
    editor.switch_page("views/overview.py").run()
    assert tiles(editor) == SAVED_TILES
    assert not any("ungespeichert" in w.value for w in editor.warning)
    assert _files(live) == before
    assert not list((live.parent / "paket.pending").iterdir())  # undone: nothing kept any more


def test_a_pending_partnership_can_get_its_event_and_is_counted(live):
    """What is pending is offered by the forms too: an event for a partnership not saved yet."""
    at = maintain()
    at.selectbox(key="np_home").set_value("de-hagen")
    at.selectbox(key="np_existing").set_value("fr-amiens")
    at.selectbox(key="np_status").set_value("proposed")
    add_partnership(at, "friendship", "2024", "s2")
    assert any("1 ungespeicherte" in w.value for w in at.warning)
    fill_event(at, "03/2025", partnership="hagen-amiens")
    at.button(key="ev_submit").click().run()
    assert any("2 ungespeicherte" in w.value for w in at.warning), texts(at)
    at.switch_page("views/overview.py").run()
    assert tiles(at) == {"Aktiv": "3", "Ruhend oder ausgelaufen": "0", "In Planung": "1", "Abgelehnt/beendet": "0"}
    at.switch_page("views/maintain.py").run()
    at.button(key="undo_0").click().run()  # the event builds on the partnership: refused, nothing lost
    assert any("Nicht rückgängig gemacht" in e.value for e in at.error)
    assert any("2 ungespeicherte" in w.value for w in at.warning)
    at.button(key="undo_1").click().run()
    at.button(key="undo_0").click().run()
    assert "Keine ungespeicherten Änderungen." in texts(at)


def test_saving_brings_the_pages_to_the_saved_version(live):
    at = maintain()
    at.text_input(key="edit_who").input("Erika Muster")
    rest_trabzon(at)
    at.button(key="edit_save").click().run()
    assert saved_as(at) == "0.1.0"
    at.switch_page("views/overview.py").run()
    assert tiles(at) == RESTING_TILES
    assert not any("ungespeichert" in w.value for w in at.warning)
    assert load_package(live).version == "0.1.0"


def test_an_event_dated_after_the_saved_created_date_is_taken(live):
    """The test package was created on 2026-11-21; a save writes `created` anew, so an event of a
    later day (up to today) is taken, as the save will take it."""
    at = maintain()
    fill_event(at, "22.11.2026", partnership="dortmund-trabzon", status="paused")
    at.button(key="ev_submit").click().run()
    assert any("1 ungespeicherte" in w.value for w in at.warning), texts(at)


def test_a_new_source_without_an_id_gets_one_from_publisher_and_reference(live):
    """The council's document as a new source, its id left empty: made from publisher and
    reference, and the event names it."""
    at = maintain()
    fill_event(at, "12.11.2026", status="paused", source=None, partnership="dortmund-trabzon")
    at.text_input(key="ev_src_title").input("Ratsbeschluss")
    at.text_input(key="ev_src_publisher").input("Stadt Dortmund")
    at.text_input(key="ev_src_document_ref").input("Drucksache 1234/26")
    at.text_input(key="ev_src_published").input("12.11.2026")
    at.button(key="ev_submit").click().run()
    assert "Dortmund – Trabzon: ruht seit 12.11.2026 (Ratsbeschluss, Drucksache 1234/26)" in texts(at), texts(at)
    sources = editing_frames(at)["sources"]
    assert sources.filter(source_id="stadt-dortmund-drucksache-1234-26")["title"].to_list() == ["Ratsbeschluss"]


def test_what_pages_derive_from_pending_changes_stays_in_the_session(live, monkeypatch):
    """Derived from the package with pending changes: only the session-scoped cache, under the
    pending package's own hash; the shared cache only ever sees the saved version."""
    from dashboard import data

    seen: dict[str, set[str]] = {"shared": set(), "session": set()}

    def spy(cache, name):
        def call(content_hash, *args):
            seen[name].add(content_hash)
            return cache(content_hash, *args)

        return call

    monkeypatch.setattr(data, "shared_derivation", spy(data.shared_derivation, "shared"))
    monkeypatch.setattr(data, "session_derivation", spy(data.session_derivation, "session"))
    at = maintain()
    saved = load_package(live).content_hash
    rest_trabzon(at)
    at.switch_page("views/overview.py").run()
    assert tiles(at) == RESTING_TILES
    assert seen["shared"] == {saved}
    assert seen["session"] and all(h.startswith("pending-") for h in seen["session"])


def test_a_kept_change_that_no_longer_fits_the_new_version_becomes_a_conflict(live):
    """A deletes hagen-kartal and saves; B had recorded an event for it (another row, so not a
    conflict by rows), which the new version cannot take: it is listed as a conflict, not lost,
    and B's pages show A's version."""
    first, second = maintain(), maintain()
    first.text_input(key="edit_who").input("A")
    second.text_input(key="edit_who").input("B")
    first.selectbox(key="fix_row").set_value(("partnerships", ("hagen-kartal",))).run()
    first.checkbox(key="del_confirm").check().run()
    first.button(key="del_button").click().run()
    first.button(key="edit_save").click().run()
    assert saved_as(first) == "0.0.2"  # rows removed only: a patch
    fill_event(second, "04.03.2025", status="paused")  # hagen-kartal
    second.button(key="ev_submit").click().run()
    assert any("1 ungespeicherte Änderung" in w.value for w in second.warning)
    second.button(key="edit_save").click().run()
    assert any("jemand anderes hat inzwischen gespeichert" in e.value for e in second.error)
    assert "Nicht übertragen: dieselben Zeilen geändert, oder passt nicht mehr zur neuen Version" in [
        h.value for h in second.subheader
    ]
    assert any(text.startswith("Statusereignis: hagen-kartal: ruht seit 04.03.2025") for text in texts(second))
    assert not any("ungespeichert" in w.value for w in second.warning)
    second.switch_page("views/overview.py").run()
    # by hand: A's version has dortmund-amiens and dortmund-trabzon active, nothing else
    assert tiles(second) == {"Aktiv": "2", "Ruhend oder ausgelaufen": "0", "In Planung": "0", "Abgelehnt/beendet": "0"}


def test_nothing_is_preselected_and_required_fields_are_marked(live):
    at = maintain()
    for key in ("ev_partnership", "ev_status", "ev_source", "np_home", "np_kind", "np_status", "th_partnership"):
        assert at.selectbox(key=key).value is None, key
    assert at.radio(key="th_action").value is None
    assert at.selectbox(key="ev_partnership").label == "Partnerschaft *"
    assert at.text_input(key="ev_date").label == "Datum (25.11.2019, 11/2019 oder 2019) *"
    assert at.text_input(key="ev_note").label == "Was geschah"  # optional: unmarked
    # partnerships by their towns, statuses by their labels, never an id or a code
    assert at.selectbox(key="ev_partnership").options == ["Dortmund – Amiens", "Dortmund – Trabzon", "Hagen – Kartal"]
    assert "ruhend" in at.selectbox(key="ev_status").options and "paused" not in at.selectbox(key="ev_status").options


def test_a_new_source_that_exists_is_refused_with_what_to_do(live):
    at = maintain()
    fill_event(at, "2025", source=None)
    at.text_input(key="ev_src_title").input("Vorlage")
    at.text_input(key="ev_src_publisher").input("Stadt Hagen")
    at.text_input(key="ev_src_document_ref").input("Vorlage 1062/2023-1")
    at.button(key="ev_submit").click().run()
    assert "⚠ Diese Quelle gibt es schon: bitte unter „Vorhandene Quelle“ wählen." in texts(at)
    assert not any("ungespeichert" in w.value for w in at.warning)


def kept_offer(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if "fortsetzen oder verwerfen" in w.value]


def test_unsaved_changes_are_offered_back_to_their_editor_in_a_new_session(live):
    first = maintain()
    first.text_input(key="edit_who").input("Erika Muster").run()
    rest_trabzon(first)
    fill_event(first, "2025")  # hagen-kartal active in 2025
    first.button(key="ev_submit").click().run()
    assert any("2 ungespeicherte Änderungen" in w.value for w in first.warning)
    other = maintain()  # another editor: nothing offered
    other.text_input(key="edit_who").input("Max Muster").run()
    assert kept_offer(other) == [] and other.text_input(key="ev_date")
    again = maintain()  # the tab reloaded, closed and opened, or the server restarted: a new session
    again.text_input(key="edit_who").input("Erika Muster").run()
    [offer] = kept_offer(again)
    assert re.fullmatch(r"2 ungespeicherte Änderungen von heute, \d\d:\d\d: fortsetzen oder verwerfen\?", offer)
    assert not [w for w in again.text_input if w.key == "ev_date"]  # the forms wait for the answer
    again.button(key="edit_resume").click().run()
    assert any("2 ungespeicherte Änderungen" in w.value for w in again.warning)
    assert "Dortmund – Trabzon: ruht seit 04.03.2025 (Vorlage, Vorlage 1062/2023-1)" in texts(again)
    again.switch_page("views/overview.py").run()
    # by hand: trabzon paused, kartal active, amiens active
    assert tiles(again)["Aktiv"] == "2" and tiles(again)["In Planung"] == "0"
    again.switch_page("views/maintain.py").run()
    again.button(key="edit_save").click().run()
    assert saved_as(again) == "0.1.0"
    last = maintain()
    last.text_input(key="edit_who").input("Erika Muster").run()
    assert kept_offer(last) == []  # saved: nothing kept any more


def test_kept_changes_discarded_are_gone(live):
    first = maintain()
    rest_trabzon(first)  # no name typed: kept for the nameless editor
    again = maintain()
    assert len(kept_offer(again)) == 1
    again.button(key="edit_discard_kept").click().run()
    assert kept_offer(again) == [] and again.text_input(key="ev_date")
    assert not any("ungespeichert" in w.value for w in again.warning)
    assert kept_offer(maintain()) == []
    assert load_package(live)["status_history"].height == 4  # nothing written


def test_restore_can_be_called_off(live):
    at = maintain()
    at.text_input(key="edit_who").input("A")
    fill_event(at, "2025")
    at.button(key="ev_submit").click().run()
    at.button(key="edit_save").click().run()
    at.selectbox(key="restore_version").set_value("0.0.1-test").run()
    at.button(key="restore_button").click().run()
    at.button(key="restore_cancel").click().run()
    assert not [w for w in at.warning if "wiederherstellen?" in w.value]
    assert load_package(live).version == "0.1.0"


def test_the_changelog_is_rendered_without_markup_of_its_own():
    from dashboard.maintain.versions import safe_html

    hostile = "## 1.0\n\n<script>alert(1)</script>\n\n![x](http://example.org/x.png) [a](javascript:alert(1))\n"
    html = safe_html(hostile)
    assert "<h4>1.0</h4>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script" not in html
    assert "<img" not in html and 'href="javascript' not in html


def test_continuing_kept_changes_says_what_another_editor_saved_on_the_same_row(live):
    """Erika keeps a correction of Hagen – Kartal's event and a pause of Dortmund – Trabzon; Max
    saves another correction of the same event. Erika's "fortsetzen" carries the pause over, says
    in words who changed the event and how, and does not overwrite Max's note."""
    row = ("status_history", ("hagen-kartal", "2021-05-31", "proposed"))
    erika = maintain()
    erika.text_input(key="edit_who").input("Erika Muster").run()
    erika.selectbox(key="fix_row").set_value(row).run()
    erika.text_input(key="fix_f_note").input("Brief des Bürgermeisters")
    erika.button(key="fix_correct").click().run()
    rest_trabzon(erika)
    assert any("2 ungespeicherte Änderungen" in w.value for w in erika.warning)
    max_ = maintain()
    max_.text_input(key="edit_who").input("Max Muster").run()
    max_.selectbox(key="fix_row").set_value(row).run()
    max_.text_input(key="fix_f_note").input("Schreiben des Rates")
    max_.button(key="fix_correct").click().run()
    max_.button(key="edit_save").click().run()
    assert saved_as(max_) == "0.0.2"
    again = maintain()  # Erika's tab reloaded
    again.text_input(key="edit_who").input("Erika Muster").run()
    again.button(key="edit_resume").click().run()
    assert not again.exception, again.exception
    shown = texts(again)
    assert (
        "⚠ Hagen – Kartal: 31.05.2021, vorgeschlagen wurde inzwischen von Max Muster geändert (Version 0.0.2): "
        "Was geschah „letter“ → „Schreiben des Rates“"
    ) in shown
    assert any(
        s.startswith("⚠ Nicht übernommen") and "„Schreiben des Rates“ → „Brief des Bürgermeisters“" in s for s in shown
    ), shown
    assert any("1 ungespeicherte Änderung" in w.value for w in again.warning)  # the pause is carried over
    again.button(key="edit_save").click().run()
    assert saved_as(again) == "0.1.0"
    notes = load_package(live)["status_history"].filter(pl.col("partnership_id") == "hagen-kartal")["note"]
    assert notes.to_list() == ["Schreiben des Rates"]  # Max's, not overwritten


def test_a_save_refused_for_a_row_saved_meanwhile_says_who_saved_it_and_how(live):
    """Erika and Max correct the same event's note in two open sessions; Max saves first. Erika's
    save is refused and says that Max changed that row, in which version and how; her correction
    is held back with that reason (not listed a second time as a bare conflict), and Max's note stays."""
    row = ("status_history", ("hagen-kartal", "2021-05-31", "proposed"))
    erika, max_ = maintain(), maintain()
    for at, name, note in (
        (erika, "Erika Muster", "Brief des Bürgermeisters"),
        (max_, "Max Muster", "Schreiben des Rates"),
    ):
        at.text_input(key="edit_who").input(name).run()
        at.selectbox(key="fix_row").set_value(row).run()
        at.text_input(key="fix_f_note").input(note)
        at.button(key="fix_correct").click().run()
    max_.button(key="edit_save").click().run()
    assert saved_as(max_) == "0.0.2"
    erika.button(key="edit_save").click().run()
    assert any("jemand anderes hat inzwischen gespeichert" in e.value for e in erika.error)
    shown = texts(erika)
    assert (
        "⚠ Hagen – Kartal: 31.05.2021, vorgeschlagen wurde inzwischen von Max Muster geändert (Version 0.0.2): "
        "Was geschah „letter“ → „Schreiben des Rates“"
    ) in shown
    held_back = [s for s in shown if "„Brief des Bürgermeisters“" in s]
    # above the tabs and in "Ungespeicherte Änderungen", each time with why, never as a bare conflict
    assert held_back and all(line.startswith("⚠ Nicht übernommen") for line in held_back), held_back
    notes = load_package(live)["status_history"].filter(pl.col("partnership_id") == "hagen-kartal")["note"]
    assert notes.to_list() == ["Schreiben des Rates"]
