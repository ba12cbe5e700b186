"""What every command shares: the language (locale or --lang, wherever it stands), the words
(the phrasebook's [cli] table), options that several commands take, output files checked before
the work and written whole, and text from data escaped before it reaches a terminal."""

from __future__ import annotations

import argparse
import errno
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from analysis.contract import CONTINENTS, KINDS, STATUSES
from analysis.keeping.leftovers import clean_named, part_pattern
from analysis.problems import phrase
from analysis.questions.filters import Filters

EXIT_VALID, EXIT_INVALID, EXIT_NOT_A_PACKAGE = 0, 1, 2
EXIT_USAGE = 2  # what argparse answers for a bad argument
LANGUAGES = ("de", "en")


class Refusal(Exception):
    """A command cannot do what was asked; CODE names the [cli] text, EXIT the exit code."""

    def __init__(self, code: str, exit_code: int = EXIT_USAGE, **params: object) -> None:
        super().__init__(code)
        self.code, self.exit_code, self.params = code, exit_code, params


def language_asked(argv: Sequence[str], default: str) -> str:
    """The language a command line asks for: the last --lang wherever it stands, else DEFAULT
    (the settings' language, from the locale)."""
    asked = default
    for index, word in enumerate(argv):
        value = argv[index + 1] if word == "--lang" and index + 1 < len(argv) else word.removeprefix("--lang=")
        if (word == "--lang" or word.startswith("--lang=")) and value in LANGUAGES:
            asked = value
    return asked


def words(code: str, lang: str, **params: object) -> str:
    """The [cli] text CODE in LANG with PARAMS."""
    return phrase(code, lang, params, table="cli")


def counted(key: str, n: int, lang: str, **params: object) -> str:
    """KEY_one or KEY_other with {n}: 1 Problem, 2 Probleme; 1 problem, 2 problems."""
    return words(f"{key}_one" if n == 1 else f"{key}_other", lang, n=f"{n:,}", **params)


# argparse's own words (it asks gettext, which has no German for it): msgid -> [cli] key
ARGPARSE_WORDS = {
    "usage: ": "argparse_usage",
    "positional arguments": "argparse_positionals",
    "options": "argparse_options",
    "show this help message and exit": "argparse_help",
    "%(prog)s: error: %(message)s\n": "argparse_error",
    "the following arguments are required: %s": "argparse_required",
    "invalid choice: %(value)r (choose from %(choices)s)": "argparse_choice",
    "unrecognized arguments: %s": "argparse_unrecognized",
    "argument %(argument_name)s: %(message)s": "argparse_argument",
    "expected one argument": "argparse_one",
    "invalid %(type)s value: %(value)r": "argparse_invalid",
    "ambiguous option: %(option)s could match %(matches)s": "argparse_ambiguous",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "argparse_unknown_command",
}


def speak_argparse(lang: str) -> None:
    """argparse's usage, help headings and errors in LANG (its texts are module globals it looks
    up through `_` each time it speaks)."""

    def translated(message: str) -> str:
        key = ARGPARSE_WORDS.get(message)
        if key is None:
            return message
        return words(key, lang) + message[len(message.rstrip()) :]  # "usage: " keeps its space

    argparse._ = translated


# C0 and C1 controls (DEL too), surrogates, U+FFFE/U+FFFF and the marks that reorder a line
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str, keep: str = "") -> str:
    """TEXT with every control character (but those in KEEP) written as \\uXXXX: a title holding
    ESC or BEL cannot move the cursor, hide lines or ring, and a JSON string stays JSON."""
    return UNSAFE.sub(lambda m: m.group() if m.group() in keep else f"\\u{ord(m.group()):04x}", text)


def say(text: str) -> None:
    """One or more lines to standard output, escaped."""
    print(terminal_safe(text, keep="\n"))


def warn(text: str) -> None:
    """One or more lines to standard error, after `partnerships: `, escaped."""
    print(f"partnerships: {terminal_safe(text, keep=chr(10))}", file=sys.stderr)


def os_reason(error: OSError, lang: str) -> str:
    """What an OSError means, in words: no space left, read-only, permission denied …"""
    known = {
        errno.ENOSPC: "os_no_space",
        errno.EDQUOT: "os_no_space",
        errno.EROFS: "os_read_only",
        errno.EACCES: "os_denied",
        errno.EPERM: "os_denied",
        errno.ENOENT: "os_missing",
        errno.EISDIR: "os_is_folder",
        errno.ENOTDIR: "os_not_folder",
        errno.ENAMETOOLONG: "os_name_too_long",
    }
    code = known.get(error.errno)
    return words(code, lang) if code else words("os_other", lang, reason=error.strerror or type(error).__name__)


# --- options several commands take -------------------------------------------------------------


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(words("arg_not_a_date", ARGUMENT_LANGUAGE[0], text=text)) from error


def positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(words("arg_not_positive", ARGUMENT_LANGUAGE[0], text=text))
    return int(text)


def year(text: str) -> int:
    if not text.isdigit() or len(text) != 4:
        raise argparse.ArgumentTypeError(words("arg_not_a_year", ARGUMENT_LANGUAGE[0], text=text))
    return int(text)


ARGUMENT_LANGUAGE = ["en"]  # the language of argument errors, set once the command line is read


def add_language(parser: argparse.ArgumentParser, lang: str, top: bool, default: str = "en") -> None:
    """--lang on the command (DEFAULT: the locale's) and on every subcommand: the last one given
    wins, wherever it stands (a subcommand's default never overwrites one given before it)."""
    chosen = default if top else argparse.SUPPRESS
    parser.add_argument("--lang", choices=LANGUAGES, default=chosen, help=words("help_lang", lang))


def command_parser(commands, name: str, help_code: str, lang: str) -> argparse.ArgumentParser:
    """A subcommand whose one-line help is also its description."""
    return commands.add_parser(name, help=words(help_code, lang), description=words(help_code, lang))


def add_path(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument("path", nargs="?", metavar="PATH", help=words("help_path", lang))


def add_filters(parser: argparse.ArgumentParser, lang: str) -> None:
    """The as-of date and the dashboard's filter set, for export and report alike."""
    h = lambda code: words(code, lang)  # noqa: E731 - short for the many help texts below
    parser.add_argument("--as-of", type=iso_date, default=None, metavar="YYYY-MM-DD", help=h("help_as_of"))
    parser.add_argument("--home", action="append", default=[], metavar="ID", help=h("help_home"))
    parser.add_argument("--status", action="append", default=[], choices=STATUSES, help=h("help_status"))
    parser.add_argument("--continent", action="append", default=[], choices=CONTINENTS, help=h("help_continent"))
    parser.add_argument("--country", action="append", default=[], metavar="CC", help=h("help_country_filter"))
    parser.add_argument("--kind", action="append", default=[], choices=KINDS, help=h("help_kind"))
    parser.add_argument("--theme", action="append", default=[], metavar="T", help=h("help_theme"))
    parser.add_argument("--founded-from", type=year, metavar="YYYY", help=h("help_founded_from"))
    parser.add_argument("--founded-to", type=year, metavar="YYYY", help=h("help_founded_to"))
    parser.add_argument("--search", default="", help=h("help_search"))


def add_force(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument("--force", action="store_true", help=words("help_force", lang))


def filters_of(args: argparse.Namespace) -> Filters:
    return Filters(
        homes=tuple(args.home),
        statuses=tuple(args.status),
        continents=tuple(args.continent),
        countries=tuple(args.country),
        kinds=tuple(args.kind),
        themes=tuple(args.theme),
        founded_from=args.founded_from,
        founded_to=args.founded_to,
        search=args.search,
    )


# --- output files ------------------------------------------------------------------------------

# The beginnings of the files this tool writes: such a file is replaced without --force.
OWN_KINDS = {
    "csv": (b"partnership_id", b"\xef\xbb\xbfpartnership_id"),
    "json": (b"[",),
    "xlsx": (b"PK\x03\x04",),
    "pdf": (b"%PDF-",),
}


def checked_out(out: str, kind: str, force: bool) -> Path:
    """OUT, a file to write, checked before any work: its folder exists, it is no folder, and an
    existing file is one of the tool's own KIND (or --force). Raises Refusal."""
    path = Path(out)
    if out == "" or out.endswith(("/", os.sep)) or path.is_dir():
        raise Refusal("out_is_folder", out=out)
    folder = path.parent
    if not folder.is_dir():
        raise Refusal("out_no_folder", out=out, folder=str(folder))
    if path.exists() and not force:
        try:
            with open(path, "rb") as handle:
                start = handle.read(32)
        except OSError as error:
            raise Refusal("out_unreadable", out=out, reason=error.strerror) from error
        if start and not start.startswith(OWN_KINDS[kind]):
            raise Refusal("out_foreign_file", out=out, kind=kind)
    return path


def write_whole(path: Path, write: Callable[[Path], object]) -> None:
    """WRITE(a temporary file beside PATH), then that file renamed to PATH: a failed write
    (disk full, a killed process) leaves the old file as it was and no half file (a killed one's
    temporary file is removed by the next write of PATH)."""
    clean_named(path.parent, part_pattern(path))  # what a killed write of PATH left beside it
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}-", suffix=".part", dir=path.parent)
    os.close(handle)
    try:
        write(Path(temporary))
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        else:
            os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class Progress:
    """Stage lines on standard error, once a validation has taken more than a second."""

    def __init__(self, lang: str) -> None:
        self.started, self.lang = time.monotonic(), lang

    def __call__(self, stage: str) -> None:
        elapsed = time.monotonic() - self.started
        if elapsed > 1.0:
            resource = stage.removeprefix("reading ")
            if resource != stage:
                stage = words("stage_reading", self.lang, resource=resource)
            elif stage in ("descriptor", "keys", "business rules"):
                stage = words(f"stage_{stage.replace(' ', '_')}", self.lang)
            text = words("progress", self.lang, seconds=f"{elapsed:5.1f}", stage=stage)
            print(f"partnerships: {terminal_safe(text)}", file=sys.stderr, flush=True)
