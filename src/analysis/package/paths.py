"""Where a package lies and what of it may be read: the descriptor found and parsed within
bounds, every resource path checked before a byte of it is read or hashed.

Nothing here trusts the descriptor: it is size- and depth-bounded before it is parsed, its
resources are counted, and a path that is a URL, absolute, outside the package folder, not a
regular file or too large is refused without being opened.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path, PurePosixPath
from urllib.parse import urlparse

from analysis.contract import CONTRACT
from analysis.problems import NotADataPackage, Problem
from analysis.settings import DATAPACKAGE

ENV_VAR = DATAPACKAGE  # the variable's name, for tests and tools that set it
EMBEDDED_DESCRIPTOR = Path(__file__).resolve().parents[3] / "datapackage" / "datapackage.json"

# Bounds on what a descriptor may be; the README lists them.
MAX_DESCRIPTOR_BYTES = 1024 * 1024
MAX_DESCRIPTOR_DEPTH = 32  # nesting of objects and lists
MAX_EXTRA_RESOURCES = 8  # resources besides the contract's
MAX_FIELDS = 200  # fields per resource
MAX_RESOURCE_BYTES = 300 * 1024 * 1024  # one CSV file

# resource keys besides `path` that frictionless would fetch when they hold a URL
REMOTE_KEYS = ("profile", "schema", "dialect", "extrapaths")


def resolve_descriptor(path: str | os.PathLike | None = None) -> Path:
    """Answer the datapackage.json to use: PATH, else the embedded one (the operator's choice,
    $PARTNERSHIPS_DATAPACKAGE, reaches here as PATH: analysis.settings reads it).

    PATH may be a package folder or its datapackage.json.
    """
    if path is None or str(path) == "":
        path = EMBEDDED_DESCRIPTOR
    candidate = Path(path).expanduser()
    try:
        if candidate.is_dir():
            candidate = candidate / "datapackage.json"
        found = candidate.is_file()
    except (OSError, ValueError):
        found = False
    if not found:
        raise NotADataPackage("descriptor_not_found", path=candidate)
    return candidate.resolve()


def _depth(value: object) -> int:
    """How deeply VALUE nests objects and lists, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            if level <= MAX_DESCRIPTOR_DEPTH:
                stack += [(child, level + 1) for child in (item.values() if isinstance(item, dict) else item)]
    return deepest


def read_descriptor(descriptor_path: Path) -> dict:
    """Parse datapackage.json within bounds; anything that is not a JSON object with a list of
    resources is not a package."""
    return _parsed_descriptor(descriptor_path, _descriptor_bytes(descriptor_path))


def _descriptor_bytes(descriptor_path: Path) -> bytes:
    """The bytes of datapackage.json, if it is no larger than MAX_DESCRIPTOR_BYTES and UTF-8 text."""
    try:
        size = descriptor_path.stat().st_size
        if size > MAX_DESCRIPTOR_BYTES:
            raise NotADataPackage("descriptor_too_large", path=descriptor_path, size=size, limit=MAX_DESCRIPTOR_BYTES)
        data = descriptor_path.read_bytes()
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise NotADataPackage("descriptor_not_utf8", path=descriptor_path, reason=error.reason) from error
    except OSError as error:
        raise NotADataPackage("descriptor_unreadable", path=descriptor_path, reason=error.strerror) from error
    return data


def _parsed_descriptor(descriptor_path: Path, data: bytes) -> dict:
    """DATA (the bytes of datapackage.json) as a package's descriptor, or why it is none."""
    try:
        descriptor = json.loads(data.decode("utf-8"))  # text: from bytes, json would guess the encoding
    except json.JSONDecodeError as error:
        params = {"path": descriptor_path, "line": error.lineno, "column": error.colno, "reason": error.msg}
        raise NotADataPackage("descriptor_broken_json", **params) from error
    except RecursionError as error:
        raise _too_deep(descriptor_path) from error
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise NotADataPackage("descriptor_no_resources", path=descriptor_path)
    if _depth(descriptor) > MAX_DESCRIPTOR_DEPTH:
        raise _too_deep(descriptor_path)
    return descriptor


def descriptor_bounds(descriptor: dict, where: str | Path) -> None:
    """Raise NotADataPackage when DESCRIPTOR, built in memory (a workbook's hidden sheet), is
    larger or deeper than a datapackage.json may be; WHERE names it."""
    if _depth(descriptor) > MAX_DESCRIPTOR_DEPTH:
        raise _too_deep(where)
    size = len(json.dumps(descriptor, ensure_ascii=False).encode("utf-8"))
    if size > MAX_DESCRIPTOR_BYTES:
        raise NotADataPackage("descriptor_too_large", path=where, size=size, limit=MAX_DESCRIPTOR_BYTES)


def _too_deep(descriptor_path: str | Path) -> NotADataPackage:
    return NotADataPackage("descriptor_too_deep", path=descriptor_path, limit=MAX_DESCRIPTOR_DEPTH)


def _is_url(text: str) -> bool:
    try:
        return bool(urlparse(text).scheme)
    except ValueError:  # "http://[::1" is no well-formed URL, but meant as one
        return True


def label(resource: object, index: int) -> str:
    """A resource's name for a Problem: its name, else its place in the list (#1 is the first)."""
    name = resource.get("name") if isinstance(resource, dict) else None
    return name if isinstance(name, str) and name else f"#{index}"


def _url_problem(where: str, key: str, url: str) -> Problem:
    return Problem(where, None, key, code="path_is_url", params={"url": url})


def shape_problems(descriptor: dict) -> list[Problem]:
    """How many resources and fields the descriptor declares, and that names are unique."""
    resources = descriptor["resources"]
    limit = len(CONTRACT) + MAX_EXTRA_RESOURCES
    if len(resources) > limit:
        return [
            Problem(
                "datapackage.json",
                None,
                "resources",
                code="shape_too_many_resources",
                params={
                    "count": len(resources),
                    "limit": limit,
                    "contract": len(CONTRACT),
                    "extra": MAX_EXTRA_RESOURCES,
                },
            )
        ]
    problems, seen = [], set()
    for index, resource in enumerate(resources, start=1):
        if not isinstance(resource, dict):
            problems.append(Problem(f"#{index}", None, None, code="shape_resource_not_object"))
            continue
        name = label(resource, index)
        if name in seen:
            problems.append(Problem(name, None, "name", code="shape_resource_twice"))
        seen.add(name)
        schema = resource.get("schema")
        fields = schema.get("fields") if isinstance(schema, dict) else None
        if isinstance(fields, list) and len(fields) > MAX_FIELDS:
            problems.append(
                Problem(
                    name, None, None, code="shape_too_many_fields", params={"count": len(fields), "limit": MAX_FIELDS}
                )
            )
    return problems


def resource_path_problems(descriptor: dict, root: Path) -> list[Problem]:
    """Refuse resource paths that are URLs, absolute, lead outside the package folder, are no
    regular file or are too large, and every other URL that frictionless would fetch (profiles,
    schemas, dialects, extra paths). Nothing is opened."""
    problems = []
    profile = descriptor.get("profile")
    if isinstance(profile, str) and _is_url(profile):
        problems.append(_url_problem("datapackage.json", "profile", profile))
    for index, resource in enumerate(descriptor["resources"], start=1):
        if not isinstance(resource, dict):
            continue
        name = label(resource, index)
        for key in REMOTE_KEYS:
            value = resource.get(key)
            problems += [
                _url_problem(name, key, item)
                for item in (value if isinstance(value, list) else [value])
                if isinstance(item, str) and _is_url(item)
            ]
        path = resource.get("path")
        if not isinstance(path, str) or not path:
            problems.append(Problem(name, None, "path", code="path_missing"))
            continue
        if _is_url(path):
            problems.append(_url_problem(name, "path", path))
            continue
        problem = _file_problem(name, path, root)
        if problem:
            problems.append(problem)
    return problems


def _file_problem(name: str, path: str, root: Path) -> Problem | None:
    """Why the resource file PATH may not be read, or None. Only stat() is called."""
    pure = PurePosixPath(path.replace("\\", "/"))
    try:
        target = (root / pure).resolve()
        inside = target.is_relative_to(root.resolve())
    except (OSError, ValueError, RuntimeError):  # a NUL byte, a link loop: no file name at all
        return Problem(name, None, "path", code="path_no_file_name", params={"path": repr(path)})
    if pure.is_absolute() or ".." in pure.parts or not inside:
        return Problem(name, None, "path", code="path_outside", params={"path": path})
    try:
        status = target.stat()
    except FileNotFoundError:
        return Problem(name, None, "path", code="path_file_missing", params={"path": path})
    except OSError as error:  # e.g. a name too long for the file system
        return Problem(name, None, "path", code="path_unopenable", params={"path": path, "reason": error.strerror})
    if not stat.S_ISREG(status.st_mode):
        return Problem(name, None, "path", code="path_not_regular", params={"path": path})
    if status.st_size > MAX_RESOURCE_BYTES:
        params = {"size": status.st_size, "limit": MAX_RESOURCE_BYTES}
        return Problem(name, None, None, code="path_file_too_large", params=params)
    return None


def readable_files(descriptor: dict, root: Path) -> list[tuple[str, Path]]:
    """The resource files that pass every check of resource_path_problems: (path as written, file)."""
    resources = descriptor.get("resources") or []
    if len(resources) > len(CONTRACT) + MAX_EXTRA_RESOURCES:  # refused on its descriptor alone
        return []
    files = []
    for index, resource in enumerate(resources, start=1):
        path = resource.get("path") if isinstance(resource, dict) else None
        if (
            isinstance(path, str)
            and path
            and not _is_url(path)
            and _file_problem(label(resource, index), path, root) is None
        ):
            files.append((path, root / PurePosixPath(path.replace("\\", "/"))))
    return files


def content_hash(descriptor_path: Path, descriptor: dict | None = None) -> str:
    """A digest of the descriptor and every resource file it may read: same content, same hash.
    Paths are checked first (see resource_path_problems); a refused path is hashed as its name."""
    data = _descriptor_bytes(descriptor_path)
    digest = hashlib.sha256(data)
    if descriptor is None:
        descriptor = _parsed_descriptor(descriptor_path, data)
    for path, file in readable_files(descriptor, descriptor_path.parent):
        digest.update(path.encode())
        with open(file, "rb") as handle:
            while chunk := handle.read(1024 * 1024):
                digest.update(chunk)
    return digest.hexdigest()
