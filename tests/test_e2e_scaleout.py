"""Two replicas behind nginx on localhost (deploy/local.py: the configuration deploy/ ships), driven
by a real browser: a session stays on its replica (sticky cookie), an upload is that session's only,
an edit saved through one replica shows on the other at its next run (one shared package folder),
and a chart download works through the proxy.

The small test package (conftest.BASE_ROWS): Dortmund–Amiens and Dortmund–Trabzon active,
Hagen–Kartal proposed, so the overview's "active" tile reads 2, and 3 once Hagen–Kartal's change
to active is saved. The upload is the embedded package; its tile is counted from its CSVs
(bench/capacity.expected_tiles, which reads status_history.csv without the project's code)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from datetime import date
from pathlib import Path

import pytest
from browser_support import ERRORS, TIMEOUT_MS, settled, tile
from conftest import write_package

from bench.capacity import expected_tiles
from deploy.local import Topology

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[1]
SVG = "{http://www.w3.org/2000/svg}"


def choose(page, label: str, option: str) -> None:
    """Pick OPTION in the Pflege page's select box LABEL (the sidebar, outside stMain, has a "Status"
    too): typed into the box, which filters its list, then taken with Enter."""
    box = page.get_by_test_id("stMain").get_by_role("combobox", name=label).first
    box.click(timeout=TIMEOUT_MS)
    page.keyboard.type(option)
    page.get_by_role("option", name=option).first.wait_for(timeout=TIMEOUT_MS)
    page.keyboard.press("Enter")
    settled(page)  # outside a form each choice reruns the page


def typed(page, label: str, text: str) -> None:
    field = page.get_by_test_id("stMain").get_by_label(label).first
    field.fill(text)
    field.press("Enter")
    settled(page)


def svg_download_texts(page, selector: str) -> list[str]:
    """The texts of the SVG a click on the download button in SELECTOR saves."""
    with page.expect_download(timeout=TIMEOUT_MS) as saved:
        page.locator(selector).locator("button").first.click()
    root = ET.fromstring(Path(saved.value.path()).read_bytes())
    return [node.text for node in root.iter() if node.tag in (f"{SVG}text", f"{SVG}tspan") and node.text]


def embedded_zip(target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zipped:
        for file in sorted((ROOT / "datapackage").rglob("*")):
            if file.is_file():
                zipped.write(file, file.relative_to(ROOT / "datapackage").as_posix())
    return target


def visit(context, url: str):
    """A new tab of CONTEXT (one browser) on URL: the page and the replica that answered it."""
    page = context.new_page()
    answer = page.goto(url, timeout=TIMEOUT_MS)
    settled(page)
    assert page.locator(ERRORS).count() == 0
    return page, answer.headers["x-atlas-replica"]


def browsers_on_each_replica(browser, base: str) -> dict[str, object]:
    """Browser contexts (each its own cookies) until one sits on each of the two replicas."""
    found: dict[str, object] = {}
    for _ in range(12):  # each lands on either replica by its cookie: 12 misses in a row is 1 in 2,048
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page, replica = visit(context, f"{base}/")
        page.close()
        if replica in found:
            context.close()
        else:
            found[replica] = context
        if len(found) == 2:
            return found
    raise AssertionError(f"all sessions went to {list(found)}")


def save_hagen_kartal_active(page) -> None:
    """Through the Pflege page: Hagen–Kartal active from 04.03.2025, saved as a new version."""
    name = page.get_by_label("Ihr Name (für das Änderungsprotokoll)")
    name.fill("Erika Muster")
    name.press("Enter")
    settled(page)
    page.get_by_test_id("stMain").get_by_role("button", name="Hinzufügen").first.wait_for(timeout=TIMEOUT_MS)
    choose(page, "Partnerschaft", "Hagen – Kartal")
    typed(page, "Datum (25.11.2019, 11/2019 oder 2019)", "04.03.2025")
    choose(page, "Status", "aktiv")
    typed(page, "Was geschah", "Rat beschließt Partnerschaft")
    choose(page, "Vorhandene Quelle", "Vorlage")  # source s2, titled "Vorlage"
    page.get_by_role("button", name="Hinzufügen").first.click()
    settled(page)
    page.get_by_role("tab", name="Ungespeicherte Änderungen").click()
    page.get_by_role("button", name="Speichern").click()
    settled(page)
    page.get_by_text("Gespeichert als").first.wait_for(state="attached", timeout=TIMEOUT_MS)


def test_two_replicas_behind_nginx_keep_sessions_share_the_package_and_serve_downloads(browser, tmp_path):  # noqa: F811
    shared = write_package(tmp_path / "shared")
    upload = embedded_zip(tmp_path / "eigene-daten.zip")
    today = date.today().isoformat()
    embedded_active = int(expected_tiles(ROOT / "datapackage", today)[0])
    assert embedded_active != 2
    with Topology(replicas=2, package=shared, env={"PARTNERSHIPS_EDIT": "1"}) as topology:
        (first, one), (second, other) = browsers_on_each_replica(browser, topology.base).items()

        # an upload on one replica: that session shows it, on every page it opens
        uploader, replica = visit(one, f"{topology.base}/daten")
        assert replica == first  # the cookie keeps this browser on its replica
        uploader.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(upload))
        uploader.locator(".st-key-own_data_banner").wait_for(timeout=TIMEOUT_MS)
        settled(uploader)
        uploader.locator('[data-testid="stSidebarNavLink"]', has_text="Überblick").click()
        settled(uploader)
        assert tile(uploader, "active") == embedded_active
        # ... and no one else: another tab of the same browser (same replica), the other replica
        same, _ = visit(one, f"{topology.base}/")
        reader, replica = visit(other, f"{topology.base}/")
        assert replica == second
        assert tile(same, "active") == tile(reader, "active") == 2

        # an edit saved through the first replica shows on the second at its next run
        editor, replica = visit(one, f"{topology.base}/pflege")
        assert replica == first
        save_hagen_kartal_active(editor)
        reader.locator('[data-testid="stSidebarNavLink"]', has_text="Status & Verlauf").click()
        settled(reader)
        reader.locator('[data-testid="stSidebarNavLink"]', has_text="Überblick").click()
        settled(reader)
        assert tile(reader, "active") == 3

        # a chart file made on the second replica, fetched through the proxy
        texts = svg_download_texts(reader, f".st-key-svg_partnerschaften-nach-kontinent-und-status-{today}")
        assert "Partnerschaften nach Kontinent und Status" in texts
        one.close()
        other.close()
