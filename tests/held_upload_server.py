"""`python -m streamlit`, with one change for test_loading_dashboard: the validation of an uploaded
package, once asked for, waits until the test lets it go, so the test can show that other sessions are
served meanwhile. It talks to the test through files in $HELD_UPLOAD_DIR: it appends a line to
`calls` per validation, creates `holding` when it waits, and goes on once `release` exists."""

from __future__ import annotations

import os
import runpy
import sys
import time
from pathlib import Path

from dashboard import uploads

SIGNALS = Path(os.environ["HELD_UPLOAD_DIR"])
WAIT = 120  # seconds: the test releases long before; a forgotten hold ends the validation with an error
real_uploaded_package = uploads.uploaded_package


def held_uploaded_package(data, name, **options):
    with open(SIGNALS / "calls", "a", encoding="utf-8") as calls:
        calls.write(f"{name}\n")
    (SIGNALS / "holding").touch()
    deadline = time.monotonic() + WAIT
    while not (SIGNALS / "release").exists():
        if time.monotonic() > deadline:
            raise TimeoutError("never released")
        time.sleep(0.05)
    return real_uploaded_package(data, name, **options)


uploads.uploaded_package = held_uploaded_package
sys.argv = ["streamlit", *sys.argv[1:]]
runpy.run_module("streamlit", run_name="__main__", alter_sys=True)
