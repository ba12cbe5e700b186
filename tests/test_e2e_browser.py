"""End to end in a real browser: `streamlit run` on localhost, Debian's headless Chromium driven by
Playwright. Every page loads without an error element, a filter changed in the UI changes a
figure and the URL, nothing is requested from any host but localhost, hostile text stays text,
a screenshot of each page is saved (to a temporary folder; to the README's pictures with
PARTNERSHIPS_SCREENSHOTS=docs/screenshots), and axe-core finds no violation of
WCAG 2.0/2.1 A and AA on any page in either language, in every state the tests reach.

Without a browser the test skips on a developer's machine and fails in CI (CI=true).
"""

from __future__ import annotations

import copy
import csv
import io
import os
import re
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from browser_support import ERRORS, TIMEOUT_MS, assert_accessible, open_page, settled, tile
from conftest import BASE_ROWS, write_package

from devtools.browser import StreamlitServer

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
# Where the screenshots go when asked for (the README shows docs/screenshots); else a temporary folder.
SCREENSHOTS_ASKED = os.environ.get("PARTNERSHIPS_SCREENSHOTS")
PAGES = {
    "ueberblick": "ueberblick",
    "partnerschaften": "partnerschaften",
    "themen": "themen",
    "status-verlauf": "status-verlauf",
    "vergleich": "vergleich",
    "daten": "daten",
    "barrierefreiheit": "barrierefreiheit",
}


def assert_is_page(page, name: str, path: str) -> None:
    """PAGE shows the page at PATH: Streamlit answers an unknown path with the main page, a
    "Page not found" dialog and the URL set back to /, which no error element shows."""
    assert page.get_by_text("Page not found").count() == 0, f"{name}: Streamlit says 'Page not found'"
    shown = urllib.parse.urlsplit(page.url).path.strip("/")
    assert shown == path, f"{name}: asked for /{path}, the browser shows /{shown}"
    active = page.locator('[data-testid="stSidebarNavLink"][aria-current="page"]')
    assert active.count() == 1, f"{name}: no navigation entry is marked as the current page"
    assert urllib.parse.urlsplit(active.get_attribute("href")).path.strip("/") == path, name


def full_screenshot(page, path: Path) -> None:
    """The whole page: Streamlit scrolls inside stMain, not the document, so a full-page
    screenshot alone stops at the viewport; the viewport is grown to the content for the picture."""
    viewport = page.viewport_size
    height = page.evaluate(
        """() => Math.max(document.documentElement.scrollHeight,
            ...[...document.querySelectorAll('[data-testid="stMain"], [data-testid="stSidebarContent"]')]
               .map(element => element.scrollHeight))"""
    )
    page.set_viewport_size({"width": viewport["width"], "height": min(max(height, viewport["height"]), 8000)})
    page.wait_for_timeout(500)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(viewport)


def test_a_shared_link_is_the_first_visit_of_a_fresh_server(browser):
    """A link to a page other than the first is opened before anyone opened the app: the page
    shows, without Streamlit's "Page not found" dialog. (With a folder named pages/ beside app.py,
    Streamlit ran a fresh process's first run as an old-style multipage app over that folder's file
    names and knew no /partnerschaften; the views live in views/ for that reason.)"""
    with StreamlitServer() as fresh:
        page, _ = open_page(browser, f"{fresh.base}/partnerschaften?lang=en")
        page.wait_for_timeout(1500)  # the dialog came a moment after the page had drawn
        assert page.locator('[role="dialog"]').count() == 0, page.locator('[role="dialog"]').all_inner_texts()
        assert_is_page(page, "partnerschaften", "partnerschaften")
        assert page.locator("h1").first.inner_text() == "Partnerships"
        page.context.close()


CHART_TEXT_CONTRAST = """() => {
    // WCAG 2.1 relative luminance and contrast against the white page, for the colour a text is drawn in
    const luminance = colour => {
        const [r, g, b] = colour.match(/[0-9.]+/g).slice(0, 3).map(Number).map(v => v / 255)
            .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const roles = '.role-axis-label, .role-axis-title, .role-legend-label, .role-legend-title, .role-title';
    return [...document.querySelectorAll('[data-testid="stVegaLiteChart"] svg text')]
        .filter(text => text.closest(roles) && text.textContent.trim())
        .map(text => [text.textContent, 1.05 / (luminance(getComputedStyle(text).fill) + 0.05)])
        .filter(([, contrast]) => contrast < 4.5)
        .map(([label, contrast]) => `${label} (${contrast.toFixed(1)}:1)`);
}"""


def assert_chart_texts_readable(page, where: str) -> None:
    """Every axis, legend and title text of every chart has a contrast of 4.5:1 or more (axe does
    not check text in SVG)."""
    faint = page.evaluate(CHART_TEXT_CONTRAST)
    assert faint == [], f"{where}: {len(faint)} chart texts below 4.5:1, e.g. {faint[:5]}"


def test_every_page_loads_without_error_only_from_localhost_in_its_language_and_accessible(browser, server, tmp_path):
    screenshots = ROOT / SCREENSHOTS_ASKED if SCREENSHOTS_ASKED else tmp_path
    screenshots.mkdir(parents=True, exist_ok=True)
    for lang in ("de", "en"):
        for name, path in PAGES.items():
            where = f"{name} ({lang})"
            page, foreign = open_page(browser, f"{server.base}/{path}?asof=2026-11-21&lang={lang}")
            page.wait_for_timeout(1500)  # let charts and the map draw before the picture
            assert page.locator(ERRORS).count() == 0, f"{where}: {page.locator(ERRORS).first.inner_text()}"
            assert page.locator("h1").first.inner_text(), where
            assert_is_page(page, where, path)
            assert foreign == [], f"{where} requested {foreign[:3]}"
            # charts come without vega-embed's action menu, whose "Open in Vega Editor" would post the
            # chart and its data to vega.github.io
            if name == "ueberblick":
                assert page.locator(".vega-embed").count() > 0, where
            assert page.locator(".vega-embed .vega-actions, .vega-embed details").count() == 0, where
            # Streamlit's index.html says lang="en" on every page; ours says what is shown
            assert page.evaluate("document.documentElement.lang") == lang, where
            assert_accessible(page, where)
            assert_chart_texts_readable(page, where)
            if lang == "de":
                full_screenshot(page, screenshots / f"{name}.png")
                assert (screenshots / f"{name}.png").stat().st_size > 10_000, name
            page.context.close()


def test_accessible_with_a_partnership_open_cities_compared_and_an_upload_refused(browser, server, tmp_path):
    for lang in ("de", "en"):
        page, _ = open_page(
            browser, f"{server.base}/vergleich?cities=de-dortmund,de-bochum&asof=2026-11-21&lang={lang}"
        )
        page.wait_for_timeout(1000)
        assert page.locator('[data-testid="stVegaLiteChart"]').count() >= 3  # the comparison is drawn
        assert_accessible(page, f"comparison ({lang})")
        page.context.close()

        page, _ = open_page(browser, f"{server.base}/partnerschaften?p=dortmund-amiens&asof=2026-11-21&lang={lang}")
        page.wait_for_timeout(1000)
        heading = "Ereignisse mit Quellen" if lang == "de" else "Events with sources"
        assert page.locator("h3", has_text=heading).count() == 1  # the detail is open
        assert_accessible(page, f"detail ({lang})")
        page.context.close()

        not_a_zip = tmp_path / "kein-paket.zip"
        not_a_zip.write_text("no zip at all")
        page, _ = open_page(browser, f"{server.base}/daten?asof=2026-11-21&lang={lang}")
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(not_a_zip))
        page.wait_for_selector('[data-testid="stAlertContentError"]', timeout=TIMEOUT_MS)
        settled(page)
        refused = page.locator('[data-testid="stAlertContentError"]').first.inner_text()
        assert refused == ("Hochladen abgelehnt." if lang == "de" else "Upload refused."), refused
        assert_accessible(page, f"upload refused ({lang})")
        page.context.close()


def set_date(page, key: str, typed: str) -> None:
    field = page.locator(f".st-key-{key} input")
    field.click()
    field.press("Control+a")
    page.keyboard.type(typed)


def test_a_typed_date_applies_on_enter_and_a_click_after_typing_is_taken(browser, server):
    page, _ = open_page(browser, f"{server.base}/?asof=2026-11-21")
    set_date(page, "asof", "31.10.2023")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    settled(page)
    assert "asof=2023-10-31" in page.url
    assert (
        "Stichtag 31.10.2023"
        in page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').first.inner_text()
    )
    # a page link clicked right after typing a date: the click is taken, every time
    for attempt in range(3):
        set_date(page, "asof", "01.01.2019")
        target = ("Partnerschaften", "partnerschaften") if attempt % 2 == 0 else ("Überblick", "ueberblick")
        page.locator('[data-testid="stSidebarNavLink"]', has_text=target[0]).click()
        page.wait_for_timeout(300)
        settled(page)
        assert urllib.parse.urlsplit(page.url).path.strip("/") == target[1], f"click {attempt} lost"
        assert "asof=2023-10-31" in page.url  # the date not applied gives way to the one in force
    # a filter chosen right after typing a date: the choice is kept
    set_date(page, "asof", "01.01.2019")
    page.locator(".st-key-status input").click()
    page.get_by_role("option", name="ruhend").wait_for(timeout=TIMEOUT_MS)
    assert page.get_by_text("Select all").count() == 0  # Streamlit's English option is switched off
    page.get_by_role("option", name="ruhend").click()
    page.wait_for_timeout(300)
    settled(page)
    assert "status=paused" in page.url
    # the date typed but not applied gives way, visibly, to the date in force
    assert page.locator(".st-key-asof input").input_value() == "31.10.2023"
    page.context.close()


def test_keyboard_alone_changes_a_filter_and_the_figure(browser, server):
    page, _ = open_page(browser, f"{server.base}/?asof=2026-11-21")
    paused_before = tile(page, "paused")
    page.locator("body").focus()
    for _ in range(60):  # Tab through the page until the status filter has the focus
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('.st-key-status')"):
            break
    else:
        raise AssertionError("Tab never reaches the status filter")
    page.keyboard.type("ruhend")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    settled(page)
    assert "status=paused" in page.url
    # the tile counts paused and lapsed terms; the filter "ruhend" keeps the paused only
    lapsed = sum(status == "lapsed" for status in embedded_statuses_on("2026-11-21").values())
    assert tile(page, "active") == 0 and tile(page, "paused") == paused_before - lapsed > 0
    page.context.close()


def embedded_rows(resource: str) -> list[dict]:
    """The rows of one CSV of the embedded package, read here (not by the app)."""
    with open(ROOT / "datapackage" / "data" / f"{resource}.csv", encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def embedded_partnerships_on(day: str) -> set[str]:
    """The partnerships of the embedded package with a status row on or before DAY (ISO)."""
    return {row["partnership_id"] for row in embedded_rows("status_history") if row["date"] <= day}


def embedded_statuses_on(day: str) -> dict[str, str]:
    """Partnership id -> status on DAY (ISO) in the embedded package: its latest row on or before DAY,
    the later row in the file on the same date."""
    latest: dict[str, tuple[str, str]] = {}
    for row in embedded_rows("status_history"):
        if row["date"] <= day and row["date"] >= latest.get(row["partnership_id"], ("", ""))[0]:
            latest[row["partnership_id"]] = (row["date"], row["status"])
    return {partnership: status for partnership, (_, status) in latest.items()}


def axis_labels(page, chart_title: str, axis_title: str) -> list[str]:
    """The labels of the axis titled AXIS_TITLE in the chart (SVG) titled CHART_TITLE."""
    return page.evaluate(
        """([chartTitle, axisTitle]) => {
            const chart = [...document.querySelectorAll('[data-testid="stVegaLiteChart"] svg')]
                .find(svg => [...svg.querySelectorAll('.role-title-text')].some(t => t.textContent === chartTitle));
            if (!chart) return null;
            const axis = [...chart.querySelectorAll('.role-axis')]
                .find(a => [...a.querySelectorAll('.role-axis-title text')].some(t => t.textContent === axisTitle));
            return axis ? [...axis.querySelectorAll('.role-axis-label text')].map(t => t.textContent) : null;
        }""",
        [chart_title, axis_title],
    )


def test_charts_show_every_label_and_fit_at_1024_and_390(browser, server):
    page, _ = open_page(browser, f"{server.base}/status-verlauf?asof=2026-11-21")
    page.wait_for_timeout(1000)
    existing = embedded_partnerships_on("2026-11-21")
    rows = axis_labels(page, "Statusperioden je Partnerschaft", "Partnerschaften")
    assert rows is not None and len(rows) == len(existing) and "Bochum – Donezk" in rows  # every partnership
    page.context.close()

    page, _ = open_page(browser, f"{server.base}/themen?asof=2026-11-21")
    page.wait_for_timeout(1000)
    themes = axis_labels(page, "Themen nach Heimatstadt", "Thema")
    carried = {row["theme_id"] for row in embedded_rows("partnership_themes") if row["partnership_id"] in existing}
    assert themes is not None and len(themes) == len(carried), themes  # every theme any partnership carries
    page.context.close()

    page, _ = open_page(browser, f"{server.base}/?asof=2026-11-21", width=1024)
    page.wait_for_timeout(1500)
    cut = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stMetricLabel"] p, [data-testid="stMetricDelta"] div')]
            .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)"""
    )
    assert cut == [], f"cut at 1,024 px: {cut}"
    legend = page.evaluate(
        """() => [...document.querySelectorAll('[role="graphics-document"][aria-label*="Die Karte verbindet"]')]
            .flatMap(chart => [...chart.querySelectorAll('.role-legend-label text')].map(t => t.textContent))"""
    )
    for home in ("Bochum", "Dortmund", "Hagen", "Hattingen", "Herne"):  # home cities named on the map
        assert home in legend, legend
    page.context.close()

    page, _ = open_page(browser, f"{server.base}/?asof=2026-11-21&lang=en", width=390)
    page.wait_for_timeout(1500)
    widths = page.evaluate(
        """() => [...document.querySelectorAll('[role="graphics-document"][aria-label*="home cities to"] svg')]
            .map(svg => svg.getBoundingClientRect().width)"""
    )
    assert len(widths) == 2 and min(widths) >= 300, widths  # both maps use the phone's width
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px at 390 px"
    page.context.close()


def test_world_map_outlines_come_from_this_server(browser, server):
    page, foreign = open_page(browser, f"{server.base}/?asof=2026-11-21")
    with page.expect_response(lambda r: "countries-110m.json" in r.url, timeout=TIMEOUT_MS) as answer:
        page.reload()
    settled(page)
    assert answer.value.ok and answer.value.url.startswith(server.base)
    assert foreign == []
    page.context.close()


def test_a_filter_changed_in_the_ui_changes_a_figure_and_the_url(browser, server):
    page, _ = open_page(browser, f"{server.base}/?asof=2026-11-21")
    active_before = tile(page, "active")
    search = page.locator(".st-key-q input")
    search.fill("Dortmund")
    search.press("Enter")
    page.wait_for_timeout(500)
    settled(page)
    active_after = tile(page, "active")
    assert 0 < active_after < active_before
    assert "q=Dortmund" in page.url

    # the copied URL opens the same view in a new session
    copy_page, _ = open_page(browser, page.url)
    assert tile(copy_page, "active") == active_after
    copy_page.context.close()
    page.context.close()


def test_english_from_the_url(browser, server):
    page, _ = open_page(browser, f"{server.base}/themen?lang=en&asof=2026-11-21")
    assert page.locator("h1").first.inner_text() == "Themes"
    navigation = page.locator('[data-testid="stSidebarNavLink"]').all_inner_texts()
    assert "Overview" in navigation, navigation
    page.context.close()


HOSTILE_NAME = '<img src="http://127.0.0.1:9/x.png" onerror="window.__hit=1">'
HOSTILE_NOTE = "<script>window.__hit=2</script> ![](http://127.0.0.1:9/pixel.png) [x](javascript:window.__hit=3)"


def test_hostile_text_is_shown_literally_and_requests_nothing(browser, tmp_path_factory):
    municipalities = copy.deepcopy(BASE_ROWS["municipalities"])
    municipalities[2][1] = HOSTILE_NAME  # Amiens' name
    history = copy.deepcopy(BASE_ROWS["status_history"])
    history[0][4] = HOSTILE_NOTE
    partnerships = copy.deepcopy(BASE_ROWS["partnerships"])
    partnerships[0][5] = HOSTILE_NOTE
    package = write_package(
        tmp_path_factory.mktemp("hostile"),
        {"municipalities": municipalities, "status_history": history, "partnerships": partnerships},
    )
    hostile = StreamlitServer(package)
    try:
        for path in ("partnerschaften?p=dortmund-amiens", "status-verlauf", ""):
            dialogs: list[str] = []
            url = f"{hostile.base}/{path}&asof=2025-01-01".replace("/&", "/?")
            page, foreign = open_page(browser, url, dialogs=dialogs)
            page.wait_for_timeout(1500)
            assert page.locator(ERRORS).count() == 0
            assert foreign == [], f"{path}: {foreign}"
            assert page.evaluate("window.__hit === undefined"), path
            assert dialogs == []
            assert page.locator('img[src*="127.0.0.1:9"]').count() == 0
            page.context.close()
    finally:
        hostile.stop()


TOOLBAR = '[data-testid="stDataFrame"] > [data-testid="stElementToolbar"]'
TABLE_GEOMETRY = """(table) => {
    const box = element => { const b = element.getBoundingClientRect();
        return {left: b.left, right: b.right, top: b.top, bottom: b.bottom}; };
    const toolbar = table.querySelector(':scope > [data-testid="stElementToolbar"]');
    let above = table.closest('[data-testid="stElementContainer"]').previousElementSibling;
    while (above && above.getBoundingClientRect().height === 0) above = above.previousElementSibling;
    const t = box(table);
    return {table: t, buttons: box(toolbar.firstElementChild), above: box(above), aboveText: above.innerText,
            opacity: getComputedStyle(toolbar).opacity,
            // whether a click on the heading row's right end (under a resting toolbar) reaches the toolbar
            headingHit: !!document.elementFromPoint(t.right - 20, t.top + 12)
                .closest('[data-testid="stElementToolbar"]')};
}"""
HEADING_ROW_PX = 35  # Streamlit's dataframe heading row


def overlaps(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def test_table_toolbar_at_390_px_leaves_headings_readable_and_works_by_mouse_and_keyboard(browser, server):
    page, _ = open_page(browser, f"{server.base}/partnerschaften?asof=2026-11-21", width=390)
    table = page.locator('[data-testid="stDataFrame"]').first
    resting = table.evaluate(TABLE_GEOMETRY)
    assert not resting["headingHit"], "an invisible toolbar takes the clicks on the table's headings"

    table.hover(position={"x": 20, "y": 80})  # the mouse over the table's first rows
    page.wait_for_timeout(600)  # Streamlit fades the toolbar in after 100 ms, for 150 ms
    hovered = table.evaluate(TABLE_GEOMETRY)
    heading_row = dict(hovered["table"], bottom=hovered["table"]["top"] + HEADING_ROW_PX)
    assert hovered["opacity"] == "1"
    assert not overlaps(hovered["buttons"], heading_row), hovered
    assert hovered["aboveText"].startswith("47 von 47 Partnerschaften"), hovered["aboveText"]
    assert not overlaps(hovered["buttons"], hovered["above"]), f"the toolbar covers {hovered['aboveText']!r}"
    # the mouse: the toolbar's download gives the table as shown, one row per partnership of the data.
    # Desktop Chromium would open its file dialog (showSaveFilePicker); phones' browsers have none and
    # get a plain download, as here.
    page.evaluate("delete Object.getPrototypeOf(window).showSaveFilePicker; delete window.showSaveFilePicker")
    with page.expect_download(timeout=TIMEOUT_MS) as download:
        page.locator(TOOLBAR).get_by_role("button", name="Download as CSV").click()
    with open(download.value.path(), encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == len(embedded_partnerships_on("2026-11-21")) == 47
    assert ("Dortmund", "Amiens") in {(row["Heimatstadt"], row["Partnerstadt"]) for row in rows}
    page.context.close()

    # the keyboard: Tab from the title reaches the toolbar's first button, and the toolbar shows
    page, _ = open_page(browser, f"{server.base}/partnerschaften?asof=2026-11-21", width=390)
    page.locator("h1").first.click()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate(f"!!document.activeElement.closest('{TOOLBAR}')"):
            break
    else:
        raise AssertionError("Tab never reaches the table's toolbar")
    page.wait_for_timeout(600)
    focused = page.locator('[data-testid="stDataFrame"]').first.evaluate(TABLE_GEOMETRY)
    assert focused["opacity"] == "1", "the toolbar stays invisible while one of its buttons has the focus"
    assert not overlaps(focused["buttons"], dict(focused["table"], bottom=focused["table"]["top"] + HEADING_ROW_PX))
    page.context.close()


CUT_TEXTS = """() => [...document.querySelectorAll('[data-testid="stMain"] *')]
    .filter(e => e.offsetParent && e.innerText.trim() && getComputedStyle(e).textOverflow === 'ellipsis')
    .filter(e => e.scrollWidth > e.clientWidth)
    .map(e => e.innerText)"""
CHART_TEXT_PROBLEMS = """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"] svg')].flatMap(svg => {
    const box = e => e.getBoundingClientRect();
    const meets = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    const frame = box(svg);
    const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim() && box(t).width);
    // glyph boxes may stick out a pixel or two; more is a cut text
    const outside = texts.filter(t => box(t).left < frame.left - 3 || box(t).right > frame.right + 3)
        .map(t => `cut: ${t.textContent}`);
    const covered = [...svg.querySelectorAll('.role-axis')].flatMap(axis => {
        const title = axis.querySelector('.role-axis-title text');
        return title ? [...axis.querySelectorAll('.role-axis-label text')].filter(l => meets(box(l), box(title)))
            .map(l => `${title.textContent} over ${l.textContent}`) : [];
    });
    return [...outside, ...covered];
})"""
ENGLISH_MONTHS = ("January", "February", "March", "April", "June", "July", "August", "September", "October")


def test_nothing_cut_and_one_language_at_1024_and_390(browser, server):
    page, _ = open_page(browser, f"{server.base}/daten?asof=2026-11-21", width=1024)
    assert page.evaluate(CUT_TEXTS) == []  # the download buttons' labels among them
    page.context.close()

    for path in ("status-verlauf?asof=2026-11-21", "partnerschaften?p=dortmund-zhytomyr-solidarity&asof=2026-11-21"):
        for width in (1024, 390):
            page, _ = open_page(browser, f"{server.base}/{path}", width=width)
            page.wait_for_timeout(1000)
            assert page.locator('[data-testid="stVegaLiteChart"] svg').count() > 0, path
            assert page.evaluate(CHART_TEXT_PROBLEMS) == [], f"{path} at {width} px"
            texts = page.locator('[data-testid="stVegaLiteChart"] svg text').all_text_contents()
            assert not [t for t in texts if t.startswith(ENGLISH_MONTHS)], f"{path} at {width} px: {texts}"
            page.context.close()


# Words of one language that must not show on a page in the other (Streamlit's own texts among them;
# "Downloads" is German too, as in "Daten & Downloads";
# what Streamlit does not let us translate, the file uploader's, is named in the accessibility statement).
ENGLISH_ON_GERMAN = ("Upload", "No results", "Select all", "Help for", "Page not found", "Search", " of ")
GERMAN_ON_ENGLISH = ("Heimatstadt", "Stichtag", "Übernehmen", "Lücken", "keine", "Partnerschaften", " von ", "Filter:")


def visible_text(page) -> str:
    """The text of the page and its sidebar, without the file uploader's (Streamlit's, English only)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stMain"], [data-testid="stSidebar"]')]
            .map(root => [...root.querySelectorAll('[data-testid="stFileUploader"]')]
                .reduce((text, uploader) => text.replace(uploader.innerText, ''), root.innerText)).join(' ')"""
    )


def test_every_page_in_one_language_at_390_and_1440(browser, server):
    found = {}
    for lang, foreign_words in (("de", ENGLISH_ON_GERMAN), ("en", GERMAN_ON_ENGLISH)):
        for path in PAGES.values():
            page, _ = open_page(browser, f"{server.base}/{path}?asof=2023-10-31&lang={lang}", width=1440)
            for width in (1440, 390):
                page.set_viewport_size({"width": width, "height": 1000})
                page.wait_for_timeout(400)
                text = visible_text(page)
                if path == "barrierefreiheit":  # the statement quotes what Streamlit leaves in English
                    text = re.sub(r"„[^“]*“|\"[^\"]*\"", "", text)
                words = [w for w in foreign_words if w in text]
                if words:
                    found[f"{path} ({lang}, {width} px)"] = words
            if lang == "de":  # printing (Chromium's print media, as page.pdf uses it): no sidebar, the heading kept
                from pypdf import PdfReader

                page.set_viewport_size({"width": 1440, "height": 1000})
                page.wait_for_timeout(300)
                sidebar = page.locator('[data-testid="stSidebar"]')
                assert sidebar.is_visible(), f"{path}: the sidebar is on screen at 1,440 px before printing"
                heading = page.locator("h1").first.inner_text()
                pdf = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(page.pdf(format="A4"))).pages)
                assert heading in pdf, f"{path}: the printed page lacks its heading {heading!r}"
                page.emulate_media(media="print")
                assert not sidebar.is_visible(), f"{path}: the sidebar is printed"
            page.context.close()
    assert found == {}


def test_one_language_filters_in_downloads_and_printing_at_390_and_1440(browser, server):
    for lang, foreign_words in (("de", ENGLISH_ON_GERMAN), ("en", GERMAN_ON_ENGLISH)):
        for width in (390, 1440):
            where = f"overview ({lang}, {width} px)"
            url = f"{server.base}/ueberblick?asof=2023-10-31&home=de-dortmund&lang={lang}"
            page, _ = open_page(browser, url, width=width)
            page.wait_for_timeout(1000)
            text = visible_text(page)
            found = [w for w in foreign_words if w in text]
            assert found == [], f"{where}: {found}"
            if width == 1440:
                # the chart's image names its filter, and its source line does not list other cities
                with page.expect_download(timeout=TIMEOUT_MS) as download:
                    page.locator('[class*="st-key-svg_"] button').first.click()
                svg = Path(download.value.path()).read_text(encoding="utf-8")
                assert ("Heimatstadt Dortmund" if lang == "de" else "Home city Dortmund") in svg, where
                assert "Bochum" not in svg, where
                # printing: the page without the sidebar, pointing to the PDF report
                from pypdf import PdfReader

                printed = Path(download.value.path()).with_suffix(".pdf")
                printed.write_bytes(page.pdf(format="A4"))
                pdf = " ".join(p.extract_text() for p in PdfReader(printed).pages)
                assert ("Partnerschaftsbericht als PDF" if lang == "de" else "report as a PDF") in pdf, where
                assert ("Sprache" if lang == "de" else "Language") not in pdf, where
            page.context.close()
    # the overview at its own path and at /, without Streamlit's "Page not found" dialog
    for path in ("ueberblick", ""):
        dialogs: list[str] = []
        page, _ = open_page(browser, f"{server.base}/{path}?asof=2023-10-31", dialogs=dialogs)
        assert page.get_by_text("Page not found").count() == 0 and dialogs == [], path
        assert urllib.parse.urlsplit(page.url).path.strip("/") == path
        assert page.locator("h1").first.inner_text() == "Überblick"
        page.context.close()


# A table draws only the columns in view (and names only those for screen readers): its headings
# in the DOM are those a reader sees without scrolling sideways.
SHOWN_HEADINGS = """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')]
    .map(t => [...t.querySelectorAll('[role=columnheader]')].map(h => h.textContent))"""
PERIOD_BARS = """() => [...document.querySelectorAll('[role="graphics-document"][aria-label^="Zeitleiste"] svg')]
    .map(svg => [...svg.querySelectorAll('.mark-rect.role-mark path')].map(p => p.getBoundingClientRect()))
    .map(boxes => boxes.length ? Math.max(...boxes.map(b => b.right)) - Math.min(...boxes.map(b => b.left)) : 0)"""


def test_detail_tables_periods_and_two_kinds_readable_at_390_px(browser, server):
    """At 390 px: the link column is in view, every note can be read in full, the status periods span
    the width (they had ~60 px beside 260 px of labels), and Schytomyr's two partnerships carry their
    kinds (partnerships.csv: dortmund-zhytomyr, twinning; dortmund-zhytomyr-solidarity, solidarity)."""
    url = f"{server.base}/partnerschaften?asof=2026-11-21&p=dortmund-zhytomyr-solidarity"
    page, _ = open_page(browser, url, width=390)
    page.wait_for_timeout(1000)
    events, themes = page.evaluate(SHOWN_HEADINGS)[2:4]
    assert events[:3] == ["Datum", "Status", "Link"] and "Link" in themes, (events, themes)
    assert page.get_by_text("Dortmund – Schytomyr (Solidaritätspartnerschaft)").count() >= 1
    page.get_by_text("Anmerkungen und Quellen in voller Länge (3 Zeilen)").click()
    # status_history.csv row 42, whole (the table's cell showed ~25 characters of it)
    note = page.locator('[data-testid="stExpander"]').get_by_text(
        "Abkommen bei Online-Treffen unterzeichnet (OB Westphal, OB Suchomlyn)", exact=False
    )
    assert note.count() == 1 and note.bounding_box()["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    assert_accessible(page, "Partnerschaften, detail at 390 px")
    page.context.close()

    page, _ = open_page(browser, f"{server.base}/status-verlauf?asof=2025-07-31&home=de-dortmund", width=390)
    page.wait_for_timeout(1500)
    spans = page.evaluate(PERIOD_BARS)
    assert spans and min(spans) >= 250, spans  # the bars over the chart's width, not squeezed
    for summary in page.get_by_text("Anmerkungen und Quellen in voller Länge").all():
        summary.click()
    # 09.07.2025: the solidarity partnership ended as the twinning began (status_history.csv rows 43, 47)
    for kind, status in (("Solidaritätspartnerschaft", "beendet"), ("Städtepartnerschaft", "aktiv")):
        assert (
            page.locator('[data-testid="stExpander"]')
            .get_by_text(f"09.07.2025 · Dortmund · Schytomyr ({kind}) · {status}")
            .count()
            == 1
        )
    assert_accessible(page, "Status & Verlauf at 390 px")
    page.context.close()
