"""frictionless, the standard this package follows: its metadata check of the descriptor runs on
every load (fast); its full row-by-row validation runs on request (`partnerships validate
--frictionless`) and in the tests that compare our checks with it."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from frictionless import FrictionlessException
from frictionless import Package as FrictionlessPackage

from analysis.problems import Problem

# frictionless trips over some malformed descriptors before it checks them ("foreignKeys": 5),
# over patterns that are no regular expressions, and over key cells its list fields parse
FRICTIONLESS_TRIPS = (TypeError, AttributeError, KeyError, ValueError, re.error, RecursionError)


def _descriptor_problem(message: str) -> Problem:
    return Problem("datapackage.json", None, None, code="frictionless_descriptor", params={"message": message})


def _malformed(error: Exception) -> Problem:
    return Problem("datapackage.json", None, None, code="frictionless_malformed", params={"error": error})


def metadata_problems(descriptor: dict) -> list[Problem]:
    """What frictionless finds wrong with the descriptor itself (profiles, schemas, keys); no
    file is opened and nothing is fetched."""
    try:
        errors = list(FrictionlessPackage.metadata_validate(descriptor))
    except FrictionlessException as exception:
        errors = exception.to_errors()
    except FRICTIONLESS_TRIPS as error:
        return [_malformed(error)]
    return [_descriptor_problem(error.message) for error in errors]


def frictionless_problems(descriptor_path: Path, progress: Callable[[str], None] | None = None) -> list[Problem]:
    """Schema, key and foreign-key problems as frictionless' own row-by-row validation reports
    them, one resource at a time. Call it only on a package whose paths passed
    `analysis.package.paths.resource_path_problems` (frictionless would fetch URLs)."""
    progress = progress or (lambda _: None)
    root = str(descriptor_path.parent) + "/"

    def message(error) -> str:
        return error.message.replace(root, "")  # never show where on the server the package lies

    try:
        package = FrictionlessPackage(str(descriptor_path))
        package.to_descriptor(validate=True)
    except FrictionlessException as exception:
        return [_descriptor_problem(message(error)) for error in exception.to_errors()]
    except FRICTIONLESS_TRIPS as error:
        return [_malformed(error)]
    problems = []
    total = len(package.resources)
    for index, resource in enumerate(package.resources, start=1):
        progress(f"frictionless {index}/{total}: {resource.name}")
        try:
            report = resource.validate()
        except FRICTIONLESS_TRIPS as error:
            problems.append(Problem(resource.name, None, None, code="frictionless_unchecked", params={"error": error}))
            continue
        problems += [_descriptor_problem(message(error)) for error in report.errors]
        for task in report.tasks:
            for error in task.errors:
                field = getattr(error, "field_name", None)
                if field is None and getattr(error, "field_names", None):
                    field = ", ".join(error.field_names)
                row = getattr(error, "row_number", None)
                params = {"message": message(error)}
                problems.append(Problem(task.name or resource.name, row, field, code="frictionless_row", params=params))
    return problems
