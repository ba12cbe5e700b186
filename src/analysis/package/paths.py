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

ENV_VAR = "PARTNERSHIPS_DATAPACKAGE"
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
    """Answer the datapackage.json to use: PATH, else $PARTNERSHIPS_DATAPACKAGE, else the embedded one.

    PATH may be a package folder or its datapackage.json.
    """
    if path is None or str(path) == "":
        path = os.environ.get(ENV_VAR) or EMBEDDED_DESCRIPTOR
    candidate = Path(path).expanduser()
    try:
        if candidate.is_dir():
            candidate = candidate / "datapackage.json"
        found = candidate.is_file()
    except (OSError, ValueError):
        found = False
    if not found:
        raise NotADataPackage(
            f"{candidate}: no datapackage.json found", f"{candidate}: keine datapackage.json gefunden"
        )
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
            raise NotADataPackage(
                f"{descriptor_path}: {size:,} bytes; a descriptor has at most {MAX_DESCRIPTOR_BYTES:,}",
                f"{descriptor_path}: {size:,} Bytes; eine Paketbeschreibung hat höchstens {MAX_DESCRIPTOR_BYTES:,}",
            )
        data = descriptor_path.read_bytes()
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise NotADataPackage(
            f"{descriptor_path}: not UTF-8 text ({error.reason})", f"{descriptor_path}: kein UTF-8-Text"
        ) from error
    except OSError as error:
        raise NotADataPackage(
            f"{descriptor_path}: cannot be read ({error.strerror})",
            f"{descriptor_path}: kann nicht gelesen werden ({error.strerror})",
        ) from error
    return data


def _parsed_descriptor(descriptor_path: Path, data: bytes) -> dict:
    """DATA (the bytes of datapackage.json) as a package's descriptor, or why it is none."""
    try:
        descriptor = json.loads(data.decode("utf-8"))  # text: from bytes, json would guess the encoding
    except json.JSONDecodeError as error:
        raise NotADataPackage(
            f"{descriptor_path}: broken JSON at line {error.lineno}, column {error.colno}: {error.msg}",
            f"{descriptor_path}: fehlerhaftes JSON in Zeile {error.lineno}, Spalte {error.colno}: {error.msg}",
        ) from error
    except RecursionError as error:
        raise _too_deep(descriptor_path) from error
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise NotADataPackage(
            f"{descriptor_path}: a data package needs a 'resources' list",
            f"{descriptor_path}: ein Datenpaket braucht eine Liste 'resources'",
        )
    if _depth(descriptor) > MAX_DESCRIPTOR_DEPTH:
        raise _too_deep(descriptor_path)
    return descriptor


def _too_deep(descriptor_path: Path) -> NotADataPackage:
    return NotADataPackage(
        f"{descriptor_path}: nested more than {MAX_DESCRIPTOR_DEPTH} levels deep",
        f"{descriptor_path}: mehr als {MAX_DESCRIPTOR_DEPTH} Ebenen tief verschachtelt",
    )


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
    return Problem(
        where,
        None,
        key,
        f"'{url}' is a URL; only files inside the package are read",
        f"'{url}' ist eine URL; gelesen werden nur Dateien im Paket",
    )


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
                f"{len(resources):,} resources; at most {limit} "
                f"(the contract's {len(CONTRACT)} and {MAX_EXTRA_RESOURCES} more)",
                f"{len(resources):,} Ressourcen; höchstens {limit} "
                f"(die {len(CONTRACT)} des Vertrags und {MAX_EXTRA_RESOURCES} weitere)",
            )
        ]
    problems, seen = [], set()
    for index, resource in enumerate(resources, start=1):
        if not isinstance(resource, dict):
            problems.append(
                Problem(
                    f"#{index}",
                    None,
                    None,
                    "a resource must be a JSON object",
                    "eine Ressource muss ein JSON-Objekt sein",
                )
            )
            continue
        name = label(resource, index)
        if name in seen:
            problems.append(
                Problem(name, None, "name", "resource name is used twice", "der Name der Ressource kommt zweimal vor")
            )
        seen.add(name)
        schema = resource.get("schema")
        fields = schema.get("fields") if isinstance(schema, dict) else None
        if isinstance(fields, list) and len(fields) > MAX_FIELDS:
            problems.append(
                Problem(
                    name,
                    None,
                    None,
                    f"{len(fields):,} fields; at most {MAX_FIELDS}",
                    f"{len(fields):,} Felder; höchstens {MAX_FIELDS}",
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
            problems.append(
                Problem(
                    name, None, "path", "resource has no local file path", "die Ressource nennt keine Datei im Paket"
                )
            )
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
        return Problem(name, None, "path", f"{path!r} is not a file name", f"{path!r} ist kein Dateiname")
    if pure.is_absolute() or ".." in pure.parts or not inside:
        return Problem(
            name,
            None,
            "path",
            f"'{path}' points outside the package folder",
            f"'{path}' zeigt aus dem Paketordner hinaus",
        )
    try:
        status = target.stat()
    except FileNotFoundError:
        return Problem(name, None, "path", f"the file '{path}' is missing", f"die Datei '{path}' fehlt")
    except OSError as error:  # e.g. a name too long for the file system
        return Problem(
            name,
            None,
            "path",
            f"'{path}' cannot be opened ({error.strerror})",
            f"'{path}' kann nicht geöffnet werden ({error.strerror})",
        )
    if not stat.S_ISREG(status.st_mode):
        return Problem(name, None, "path", f"'{path}' is not a regular file", f"'{path}' ist keine gewöhnliche Datei")
    if status.st_size > MAX_RESOURCE_BYTES:
        return Problem(
            name,
            None,
            None,
            f"file has {status.st_size:,} bytes; at most {MAX_RESOURCE_BYTES:,}",
            f"die Datei hat {status.st_size:,} Bytes; höchstens {MAX_RESOURCE_BYTES:,}",
        )
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
