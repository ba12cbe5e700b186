"""The server itself against a real `streamlit run` on localhost, with the repository's
.streamlit/config.toml: one client cannot freeze the others (issue 18, point 5)."""

from __future__ import annotations

import asyncio

import pytest

from bench.capacity_burst import measure
from devtools.browser import StreamlitServer

pytestmark = pytest.mark.e2e


def test_a_burst_of_reruns_from_one_websocket_freezes_no_one():
    """1,000 rerun requests within one second over one websocket: the health check answers within
    1 s throughout, and another session's reruns stay within twice their idle time (median)."""
    with StreamlitServer() as server:
        found = asyncio.run(measure(server.base, requests=1000, seconds=1.0, after=2.0))
    assert found["requests_sent"] == 1000
    assert found["bystander_failures"] == []
    assert found["health_checks"] >= 10  # asked every 0.1 s for 3 s, each answered
    assert found["burst_health_max_s"] < 1.0, found
    assert found["burst_rerun_median_s"] <= 2 * found["idle_rerun_median_s"], found
