"""`partnerships diff` and `restore`: what changed between two packages, and an earlier saved
version made live again."""

from __future__ import annotations

import argparse
import json
import sys

from analysis.keeping.changes import PackageChanges, as_json, as_markdown, package_changes
from analysis.package import load_package
from console.common import EXIT_VALID, add_language, command_parser, say, terminal_safe, words

SIGNS = {"added": "+", "removed": "-", "changed": "~"}


def add(commands, lang: str) -> None:
    diff = command_parser(commands, "diff", "help_diff", lang)
    diff.add_argument("old", metavar="OLD", help=words("help_diff_old", lang))
    diff.add_argument("new", metavar="NEW", help=words("help_diff_new", lang))
    diff.add_argument(
        "--format", choices=("text", "markdown", "json"), default="text", help=words("help_diff_format", lang)
    )
    add_language(diff, lang, top=False)
    diff.set_defaults(run=run_diff)

    restore = command_parser(commands, "restore", "help_restore", lang)
    restore.add_argument("path", metavar="DIR", help=words("help_restore_path", lang))
    restore.add_argument("version", nargs="?", metavar="VERSION", help=words("help_restore_version", lang))
    add_language(restore, lang, top=False)
    restore.set_defaults(run=run_restore)


def as_words(changes: PackageChanges, lang: str) -> str:
    """The changes in LANG: version and created, then per changed resource a count line and its
    rows (+ added, - removed, ~ a changed field: old -> new)."""
    lines = [
        words("diff_version", lang, old=changes.version[0], new=changes.version[1]),
        words("diff_created", lang, old=changes.created[0], new=changes.created[1]),
    ]
    if not changes:
        lines.append(words("diff_none", lang))
    for name, resource in changes.resources.items():
        if not resource:
            continue
        counts = {kind: len(getattr(resource, kind)) for kind in SIGNS}
        lines.append(f"{name}: {words('diff_counts', lang, **counts)}")
        for kind in ("added", "removed"):
            lines += [f"  {SIGNS[kind]} {_key(resource.key, row)}" for row in getattr(resource, kind)]
        for change in resource.changed:
            old, new = (json.dumps(change[side], ensure_ascii=False) for side in ("old", "new"))
            lines.append(f"  ~ {_key(resource.key, change['key'])}: {change['field']}: {old} -> {new}")
    return "\n".join(lines)


def _key(key: list[str], row: dict) -> str:
    return ", ".join(str(row.get(k)) for k in key)


def run_diff(args: argparse.Namespace) -> int:
    from analysis.keeping.workbook import package_text_frames

    old, new = load_package(args.old), load_package(args.new)
    changes = package_changes(old.descriptor, package_text_frames(old), new.descriptor, package_text_frames(new))
    if args.format == "text":
        say(as_words(changes, args.lang))
    else:  # Markdown's headings are bilingual already; JSON is for machines (control characters escaped anyway)
        text = as_markdown(changes) if args.format == "markdown" else as_json(changes)
        sys.stdout.write(terminal_safe(text, keep="\n"))
    return EXIT_VALID


def run_restore(args: argparse.Namespace) -> int:
    from analysis.keeping.saving import restore, saved_versions

    if not args.version:
        say("\n".join(saved_versions(args.path)) or "-")
        return EXIT_VALID
    package = restore(args.path, args.version)
    say(words("restored", args.lang, path=args.path, version=package.version))
    return EXIT_VALID
