"""Tools for the tests and the benchmarks, never shipped with the app (see browser.py)."""
