"""Imported once by the sandbox's forkserver, so that every worker it starts is warm: the readers
loaded, rfc3986 (the uri format) imported, and frictionless' metadata schemas read by one check of
the embedded descriptor (pure Python; no Polars work here, whose threads must not be forked)."""

from __future__ import annotations

import json

import rfc3986  # noqa: F401 - imported for the workers

import analysis.keeping.workbook_reading  # noqa: F401 - imported for the workers
import analysis.uploaded  # noqa: F401 - imported for the workers
from analysis.package import EMBEDDED_DESCRIPTOR
from analysis.package.reference import metadata_problems

metadata_problems(json.loads(EMBEDDED_DESCRIPTOR.read_text(encoding="utf-8")))
