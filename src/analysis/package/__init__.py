"""Load a partnerships data package: read each CSV once, check it, and hand on exactly the
typed Polars frames that were checked.

The way of a package: its descriptor, bounded and with every path checked before a byte is
read (`analysis.package.paths`); the contract and what the reader can follow (`analysis.contract`,
`analysis.package.support`) and frictionless' metadata check (`analysis.package.reference`); each
resource read (`analysis.package.reader`) and cast (`analysis.package.casting`); constraints and
keys (`analysis.package.checks`); the business rules (`analysis.package.rules`). Every problem is reported
as resource, row, field and message in English and German; nothing is raised half-way, so one error
carries the whole list.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import polars as pl

from analysis.contract import CONTRACT, contract_problems
from analysis.package.casting import POLARS_TYPES, cast_frame
from analysis.package.checks import constraint_problems, foreign_key_problems, primary_key_problems
from analysis.package.dialect import dialect_of
from analysis.package.paths import (
    EMBEDDED_DESCRIPTOR,
    ENV_VAR,
    MAX_RESOURCE_BYTES,
    content_hash,
    read_descriptor,
    readable_files,
    resolve_descriptor,
    resource_path_problems,
    shape_problems,
)
from analysis.package.reader import read_text_frame, text_frame_in_memory
from analysis.package.reference import metadata_problems
from analysis.package.rules import business_rule_problems
from analysis.package.support import reader_problems
from analysis.problems import NotADataPackage, PackageInvalid, Problem

Progress = Callable[[str], None]


@dataclass(frozen=True, eq=False)
class Package:
    """A validated package: its descriptor, where it lies, and one typed frame per resource."""

    descriptor: dict
    descriptor_path: Path
    frames: dict[str, pl.DataFrame]
    content_hash: str

    @property
    def title(self) -> str:
        return str(self.descriptor.get("title") or self.descriptor.get("name") or "")

    @property
    def version(self) -> str:
        return str(self.descriptor.get("version") or "")

    @property
    def created(self) -> datetime | None:
        return parse_created(self.descriptor.get("created"))

    def __getitem__(self, resource: str) -> pl.DataFrame:
        return self.frames[resource]


def parse_created(value: object) -> datetime | None:
    """The package's `created` as a datetime, or None when it is missing or not ISO."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _primary_key(schema: dict) -> list[str]:
    key = schema.get("primaryKey")
    return [key] if isinstance(key, str) else [k for k in key if isinstance(k, str)] if isinstance(key, list) else []


TextOf = Callable[[dict], tuple[pl.DataFrame | None, list[Problem]]]


def _field_names(resource: dict) -> list[str]:
    return [f["name"] for f in (resource.get("schema") or {}).get("fields", []) if isinstance(f, dict)]


def _check_resource(resource: dict, text: pl.DataFrame | None) -> tuple[pl.DataFrame | None, list[Problem]]:
    """One resource's text cast and checked against its own schema (types, constraints, primary key)."""
    name, schema = resource["name"], resource.get("schema") or {}
    if text is None:
        return None, []
    fields = [f for f in schema.get("fields", []) if isinstance(f, dict)]
    typed, cast = cast_frame(name, text, fields)
    key = _primary_key(schema)
    return typed, cast + constraint_problems(name, text, typed, fields, key) + primary_key_problems(name, typed, key)


def check_texts(
    descriptor: dict, text_of: TextOf, progress: Progress | None = None
) -> tuple[list[Problem], dict[str, pl.DataFrame]]:
    """Every problem of a package whose descriptor passed its own checks, given each resource as
    text (TEXT_OF: the text frame or None, and the problems of getting it: a file read by
    analysis.package.reader, or frames held in memory), and its typed frames (complete only when there is
    no problem). One resource's text is asked for at a time and let go once it is typed."""
    progress = progress or _silent
    problems: list[Problem] = []
    frames = {}
    for resource in descriptor["resources"]:
        progress(f"reading {resource['name']}")
        text, found = text_of(resource)
        typed, checked = _check_resource(resource, text)
        problems += found + checked
        if typed is not None:
            frames[resource["name"]] = typed
    progress("keys")
    unread = frozenset(resource["name"] for resource in descriptor["resources"]) - set(frames)
    for resource in descriptor["resources"]:
        problems += foreign_key_problems(resource["name"], resource.get("schema") or {}, frames, unread)
    if problems:
        return problems, frames
    progress("business rules")
    return business_rule_problems(frames, parse_created(descriptor.get("created"))), frames


def _descriptor_problems(descriptor: dict, root: Path | None) -> list[Problem]:
    """What is wrong with the descriptor itself: its shape, its paths (when the package lies in
    ROOT), the contract, what the reader follows, and frictionless' metadata check."""
    problems = shape_problems(descriptor)
    if root is not None and not any(p.field == "resources" for p in problems):  # not too many to look at
        problems += resource_path_problems(descriptor, root)
    if problems:  # nothing outside the package is ever opened
        return problems
    return contract_problems(descriptor) + reader_problems(descriptor) + metadata_problems(descriptor)


def check_package(
    descriptor_path: Path, descriptor: dict, progress: Progress | None = None
) -> tuple[list[Problem], dict[str, pl.DataFrame]]:
    """Every problem of the package, and its typed frames (complete only when there is none)."""
    progress = progress or _silent
    root = descriptor_path.parent
    progress("descriptor")
    problems = _descriptor_problems(descriptor, root)
    if problems:
        return problems, {}
    files = dict(readable_files(descriptor, root))

    def read(resource: dict) -> tuple[pl.DataFrame | None, list[Problem]]:
        return read_text_frame(resource["name"], files[resource["path"]], dialect_of(resource), _field_names(resource))

    return check_texts(descriptor, read, progress)


def validate_package(path: str | os.PathLike | None = None, progress: Progress | None = None) -> list[Problem]:
    """All problems of a package (empty when valid). Raises NotADataPackage when PATH is none."""
    descriptor_path = resolve_descriptor(path)
    problems, _ = check_package(descriptor_path, read_descriptor(descriptor_path), progress)
    return problems


def load_package(path: str | os.PathLike | None = None, progress: Progress | None = None) -> Package:
    """The package at PATH with one typed frame per resource: exactly the frames that were checked.

    Raises PackageInvalid with the full list of problems, or NotADataPackage.
    """
    descriptor_path = resolve_descriptor(path)
    descriptor = read_descriptor(descriptor_path)
    problems, frames = check_package(descriptor_path, descriptor, progress)
    if problems:
        raise PackageInvalid(problems, str(descriptor_path))
    return Package(descriptor, descriptor_path, frames, content_hash(descriptor_path, descriptor))


def check_text_frames(
    descriptor: dict, frames: dict[str, pl.DataFrame]
) -> tuple[list[Problem], dict[str, pl.DataFrame]]:
    """check_package for a package held in memory as text frames (one per resource, as its CSV
    holds them), without writing a file: the same descriptor checks but those of files on disk
    (a save writes the files and checks them with load_package), the same header check, empty
    text as missing, and then the very same casting, constraints, keys and business rules."""
    problems = _descriptor_problems(descriptor, None)
    if problems:
        return problems, {}

    def in_memory(resource: dict) -> tuple[pl.DataFrame | None, list[Problem]]:
        frame = frames.get(resource["name"])
        if frame is None:
            return None, [Problem(resource["name"], None, None, code="resource_missing")]
        return text_frame_in_memory(resource["name"], frame, _field_names(resource))

    return check_texts(descriptor, in_memory)


def _silent(_: str) -> None:
    return None


__all__ = [
    "CONTRACT",
    "ENV_VAR",
    "EMBEDDED_DESCRIPTOR",
    "MAX_RESOURCE_BYTES",
    "POLARS_TYPES",
    "NotADataPackage",
    "Package",
    "PackageInvalid",
    "Problem",
    "check_package",
    "check_text_frames",
    "check_texts",
    "content_hash",
    "load_package",
    "read_descriptor",
    "resolve_descriptor",
    "validate_package",
]
