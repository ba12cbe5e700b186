"""The `partnerships` command: validate, export, report, synth; init, workbook, import, diff and
restore to keep a package. One module per command group in console.commands, shared options and
words in console.common; every command is dispatched one way, through the `run` it sets."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from analysis.package import ENV_VAR
from analysis.package.upload import UploadRefused
from analysis.problems import NotADataPackage, PackageInvalid, phrase
from analysis.settings import Settings, read_settings
from console import common
from console.commands import keeping, outputs, synth, validate, versions
from console.common import (
    EXIT_INVALID,
    EXIT_NOT_A_PACKAGE,
    EXIT_USAGE,
    EXIT_VALID,
    Refusal,
    add_language,
    counted,
    language_asked,
    os_reason,
    say,
    warn,
    words,
)

GROUPS = (validate, outputs, synth, keeping, versions)  # in the order `--help` lists them

__all__ = ["EXIT_INVALID", "EXIT_NOT_A_PACKAGE", "EXIT_USAGE", "EXIT_VALID", "build_parser", "main"]


def build_parser(settings: Settings | None = None, lang: str | None = None) -> argparse.ArgumentParser:
    """The parser, its help texts in LANG (default: the settings' language, from the locale)."""
    settings = settings or read_settings()
    lang = lang or settings.lang
    parser = argparse.ArgumentParser(prog="partnerships", description=words("help_program", lang, env=ENV_VAR))
    add_language(parser, lang, top=True, default=settings.lang)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in GROUPS:
        group.add(commands, lang)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    settings = read_settings()  # the environment, read once
    common.ARGUMENT_LANGUAGE[0] = language_asked(argv, settings.lang)
    common.speak_argparse(common.ARGUMENT_LANGUAGE[0])
    args = build_parser(settings, common.ARGUMENT_LANGUAGE[0]).parse_args(argv)
    if getattr(args, "path", "") is None:  # no PATH given: the operator's package, else the embedded one
        args.path = settings.datapackage
    lang = args.lang
    try:
        return args.run(args)
    except Refusal as refused:
        warn(words(refused.code, lang, **refused.params))
        return refused.exit_code
    except UploadRefused as refused:  # the workbook's worker died (a limit, an abort): said so
        warn(phrase(refused.code, lang, refused.params, table="refusal"))
        return EXIT_INVALID
    except NotADataPackage as error:
        warn(f"{words('not_a_package', lang)}: {error.text(lang)}")
        return EXIT_NOT_A_PACKAGE
    except PackageInvalid as error:
        for problem in error.problems:
            say(problem.describe(lang).replace("\n", " "))
        warn(f"{error.where}: {counted('problems', len(error.problems), lang)}")
        return EXIT_INVALID
    except OSError as error:  # disk full, read-only, permission denied: said in words, no traceback
        where = error.filename if error.filename is not None else ""
        warn(words("os_failed", lang, where=where, reason=os_reason(error, lang)))
        return EXIT_INVALID


if __name__ == "__main__":
    sys.exit(main())
