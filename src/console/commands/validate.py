"""`partnerships validate`: check a package against its schema, the contract and the rules."""

from __future__ import annotations

import argparse
import json

from analysis.package import load_package
from analysis.problems import PackageInvalid, Problem, plain_params
from console.common import EXIT_INVALID, EXIT_VALID, Progress, add_language, add_path, say, words


def add(commands, lang: str) -> None:
    validate = commands.add_parser(
        "validate", help=words("help_validate", lang), description=words("help_validate", lang)
    )
    add_path(validate, lang)
    validate.add_argument("--frictionless", action="store_true", help=words("help_frictionless", lang))
    validate.add_argument("--json", action="store_true", help=words("help_validate_json", lang))
    add_language(validate, lang, top=False)
    validate.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not args.json:
        return _checked(args)
    try:
        _checked(args, quiet=True)
    except PackageInvalid as invalid:
        say(json.dumps({"valid": False, "problems": [_as_json(p, args.lang) for p in invalid.problems]}, indent=2))
        return EXIT_INVALID
    say(json.dumps({"valid": True, "problems": []}, indent=2))
    return EXIT_VALID


def _as_json(problem: Problem, lang: str) -> dict:
    """A problem for machines: resource, field, code and params as codes; the message in LANG."""
    return {
        "resource": problem.resource,
        "row": problem.row,
        "field": problem.field,
        "code": problem.code,
        "params": plain_params(problem.params),
        "message": problem.text(lang),
    }


def _checked(args: argparse.Namespace, quiet: bool = False) -> int:
    package = load_package(args.path, progress=Progress(args.lang))
    if args.frictionless:
        from analysis.package.reference import frictionless_problems

        problems = frictionless_problems(package.descriptor_path, progress=Progress(args.lang))
        if problems:
            raise PackageInvalid(problems, str(package.descriptor_path))
    if quiet:
        return EXIT_VALID
    counts = ", ".join(f"{len(frame):,} {name}" for name, frame in package.frames.items())
    say(
        words(
            "valid",
            args.lang,
            title=package.title,
            version=package.version,
            where=package.descriptor_path,
            counts=counts,
        )
    )
    return EXIT_VALID
