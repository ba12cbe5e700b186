"""A mistyped shared link in a real browser: what only a browser shows (the path of an unknown
page) is named like every other unusable value, and no traceback reaches the page."""

from __future__ import annotations

import pytest
from browser_support import ERRORS, open_page

pytestmark = pytest.mark.e2e


def notices(page) -> list[str]:
    return page.locator('.st-key-url_notices [data-testid="stText"]').all_text_contents()


def test_an_unknown_page_and_a_bad_date_are_named(browser, server):  # noqa: F811
    page, _ = open_page(browser, f"{server.base}/gibtsnicht?lang=en&asof=1900-13-01")
    assert sorted(notices(page)) == ["asof=1900-13-01", "page=/gibtsnicht"]
    assert page.locator(ERRORS).count() == 0
    page.context.close()


def test_a_known_page_is_not_named(browser, server):  # noqa: F811
    page, _ = open_page(browser, f"{server.base}/daten?founded=1950-%C2%B2")
    assert notices(page) == ["founded=1950-²"]
    assert page.locator(ERRORS).count() == 0
    page.context.close()


def test_an_early_as_of_date_draws_the_overview(browser, server):  # noqa: F811
    page, _ = open_page(browser, f"{server.base}/?asof=1900-01-05")
    assert page.locator(ERRORS).count() == 0
    assert notices(page) == []
    page.context.close()
