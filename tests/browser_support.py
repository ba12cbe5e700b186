"""What the browser tests share: waiting for a run to settle, a fresh session on a URL with the
requests it makes off localhost, axe-core's verdict, a tile's figure. (The browser and the server
are fixtures in conftest.py.)"""

from __future__ import annotations

import time
import urllib.parse

# the rules of BITV 2.0 / WCAG 2.1 AA that axe-core checks
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
TIMEOUT_MS = 60_000


def settled(page) -> None:
    """Wait until the app is connected, its script run has ended, it has drawn its title and no
    script run is under way (Streamlit marks the run state on stApp)."""
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]', timeout=TIMEOUT_MS)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=TIMEOUT_MS)
    page.wait_for_selector('[data-testid="stAppViewContainer"] h1', timeout=TIMEOUT_MS)
    quiet_since = None
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        running = page.locator('[data-testid="stStatusWidget"]').count() > 0
        if running:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since > 1.0:
            return
        page.wait_for_timeout(200)
    raise TimeoutError("the app kept running")


def open_page(browser, url: str, height: int = 1000, dialogs: list[str] | None = None, width: int = 1400):
    """A fresh session on URL; answers the page and the list of requests off localhost. Any
    alert or other dialog the page opens goes into DIALOGS."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    foreign: list[str] = []

    def note(url: str) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("data", "blob") and parts.hostname not in ("127.0.0.1", "localhost", "::1"):
            foreign.append(url)

    page.on("request", lambda request: note(request.url))
    page.on("websocket", lambda socket: note(socket.url))
    if dialogs is not None:
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(url, timeout=TIMEOUT_MS)
    settled(page)
    return page, foreign


def assert_accessible(page, where: str) -> None:
    """axe-core (carried by axe-playwright-python) finds no violation of any impact."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    found = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}" for v in violations]
    assert found == [], f"{where}: axe finds {len(found)} violation(s):\n" + "\n".join(found)


def tile(page, group: str) -> int:
    text = page.locator(f'.st-key-tile_{group} [data-testid="stMetricValue"]').inner_text()
    return int(text.replace(".", "").replace(",", ""))
