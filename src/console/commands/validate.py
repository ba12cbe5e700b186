"""`partnerships validate`: check a package against its schema, the contract and the rules."""

from __future__ import annotations

import argparse

from analysis.package import load_package
from analysis.problems import PackageInvalid
from console.common import EXIT_VALID, Progress, add_language, add_path, say, words


def add(commands, lang: str) -> None:
    validate = commands.add_parser(
        "validate", help=words("help_validate", lang), description=words("help_validate", lang)
    )
    add_path(validate, lang)
    validate.add_argument("--frictionless", action="store_true", help=words("help_frictionless", lang))
    add_language(validate, lang, top=False)
    validate.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    package = load_package(args.path, progress=Progress(args.lang))
    if args.frictionless:
        from analysis.package.reference import frictionless_problems

        problems = frictionless_problems(package.descriptor_path, progress=Progress(args.lang))
        if problems:
            raise PackageInvalid(problems, str(package.descriptor_path))
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
