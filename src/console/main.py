"""The `partnerships` command: validate, export, report, synth; init, workbook, import and diff to keep a package."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from datetime import date

from analysis.contract import CONTINENTS, KINDS, STATUSES
from analysis.outputs.export import FORMATS, write_frame
from analysis.package import ENV_VAR, load_package
from analysis.problems import NotADataPackage, PackageInvalid
from analysis.questions.enriched import enriched_view
from analysis.questions.filters import Filters
from analysis.settings import Settings, read_settings

EXIT_VALID, EXIT_INVALID, EXIT_NOT_A_PACKAGE = 0, 1, 2
EXIT_USAGE = 2  # what argparse answers for a bad argument


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date of the form YYYY-MM-DD") from error


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a positive whole number")
    return int(text)


def _year(text: str) -> int:
    if not text.isdigit() or len(text) != 4:
        raise argparse.ArgumentTypeError(f"'{text}' is not a four-digit year")
    return int(text)


def _add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    """The as-of date and the dashboard's filter set, for export and report alike."""
    parser.add_argument("--as-of", type=_iso_date, default=None, help="YYYY-MM-DD (default: today)")
    parser.add_argument("--home", action="append", default=[], metavar="ID", help="home municipality id")
    parser.add_argument("--status", action="append", default=[], choices=STATUSES)
    parser.add_argument("--continent", action="append", default=[], choices=CONTINENTS)
    parser.add_argument("--country", action="append", default=[], metavar="CC", help="ISO code")
    parser.add_argument("--kind", action="append", default=[], choices=KINDS)
    parser.add_argument("--theme", action="append", default=[], metavar="T", help="theme id")
    parser.add_argument("--founded-from", type=_year, metavar="YYYY")
    parser.add_argument("--founded-to", type=_year, metavar="YYYY")
    parser.add_argument("--search", default="", help="text in names, country or id")


def _filters(args: argparse.Namespace) -> Filters:
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


def build_parser(settings: Settings | None = None) -> argparse.ArgumentParser:
    settings = settings or read_settings()
    parser = argparse.ArgumentParser(
        prog="partnerships",
        description="Validate and export a partnerships data package. "
        f"PATH is a package folder or its datapackage.json; default: ${ENV_VAR}, "
        "else the embedded package.",
    )
    parser.add_argument(
        "--lang",
        choices=("de", "en"),
        default=settings.lang,
        help="language of problem messages (default: German when $LANG starts with de, else English)",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="check a package against schema, contract and rules")
    validate.add_argument("path", nargs="?", metavar="PATH")
    validate.add_argument(
        "--frictionless",
        action="store_true",
        help="also run frictionless' own row-by-row validation (slow; the reference our checks follow)",
    )

    export = commands.add_parser("export", help="write the enriched view, filtered")
    export.add_argument("path", nargs="?", metavar="PATH")
    _add_filter_arguments(export)
    export.add_argument("--format", choices=FORMATS, default="csv")
    export.add_argument("--out", metavar="FILE", help="file to write (default: standard output)")

    _add_report_parser(commands)
    _add_restore_parser(commands)

    synth = commands.add_parser("synth", help="write a synthetic package of any size (load tests)")
    synth.add_argument("--partnerships", type=_positive, required=True, metavar="N")
    synth.add_argument("--seed", type=int, default=1, help="same seed, same bytes (default: 1)")
    synth.add_argument("--out", required=True, metavar="DIR", help="folder to write the package to")
    _add_keeping_commands(commands)
    return parser


def _add_keeping_commands(commands) -> None:
    """init, workbook, import, diff: starting and keeping a package without writing CSV."""
    init = commands.add_parser("init", help="write a valid starter package for a municipality")
    init.add_argument("--home", required=True, metavar="NAME", help="the home municipality, e.g. Lüdenscheid")
    init.add_argument("--country", default="DE", metavar="CC", help="ISO country code (default: DE)")
    init.add_argument("--geonames-id", type=_positive, metavar="N", help="choose among several places of that name")
    init.add_argument("--out", required=True, metavar="DIR", help="an empty or new folder")

    workbook = commands.add_parser("workbook", help="write the package as one Excel workbook to fill in")
    workbook.add_argument("path", nargs="?", metavar="PATH")
    workbook.add_argument("--out", required=True, metavar="FILE.xlsx")

    imported = commands.add_parser("import", help="turn a workbook back into a package, with a changelog entry")
    imported.add_argument("workbook", metavar="FILE.xlsx")
    imported.add_argument("--out", required=True, metavar="DIR", help="the package folder (updated) or a new one")

    diff = commands.add_parser("diff", help="what changed between two packages")
    diff.add_argument("old", metavar="OLD")
    diff.add_argument("new", metavar="NEW")
    diff.add_argument("--format", choices=("text", "markdown", "json"), default="text")


class _Progress:
    """Stage lines on standard error, once a validation has taken more than a second."""

    def __init__(self) -> None:
        self.started = time.monotonic()

    def __call__(self, stage: str) -> None:
        elapsed = time.monotonic() - self.started
        if elapsed > 1.0:
            print(f"partnerships: {elapsed:5.1f} s  checking {stage} …", file=sys.stderr, flush=True)


def _validate(args: argparse.Namespace) -> int:
    package = load_package(args.path, progress=_Progress())
    if args.frictionless:
        from analysis.package.reference import frictionless_problems

        problems = frictionless_problems(package.descriptor_path, progress=_Progress())
        if problems:
            raise PackageInvalid(problems, str(package.descriptor_path))
    counts = ", ".join(f"{len(frame):,} {name}" for name, frame in package.frames.items())
    print(f"valid: {package.title} {package.version} ({package.descriptor_path}): {counts}")
    return EXIT_VALID


def _export(args: argparse.Namespace) -> int:
    package = load_package(args.path, progress=_Progress())
    filters = _filters(args)
    view = enriched_view(package.frames, args.as_of or date.today(), filters, with_precision=True)
    if args.out:
        with open(args.out, "wb") as out:
            write_frame(view, args.format, out)
    else:
        write_frame(view, args.format, sys.stdout.buffer)
        sys.stdout.flush()
    return EXIT_VALID


def _synth(args: argparse.Namespace) -> int:
    from analysis.synth import write_synthetic_package  # only this command needs it

    descriptor = write_synthetic_package(args.out, args.partnerships, args.seed)
    print(f"synthetic package: {args.partnerships:,} partnerships, seed {args.seed}: {descriptor}")
    return EXIT_VALID


def _init(args: argparse.Namespace) -> int:
    from analysis.keeping.changes import now_created
    from analysis.keeping.starter import StarterRefused, write_starter_package

    try:
        package = write_starter_package(args.out, args.home, now_created(), args.country, args.geonames_id)
    except OSError as error:
        print(f"partnerships: {args.out}: cannot be written ({error.strerror or error})", file=sys.stderr)
        return EXIT_INVALID
    except StarterRefused as refused:
        print(f"partnerships: {refused.message_de if args.lang == 'de' else refused.message}", file=sys.stderr)
        for candidate in refused.candidates:
            print(f"  {candidate.line()}", file=sys.stderr)
        return EXIT_INVALID
    home = package["municipalities"].row(0, named=True)
    print(f"starter package for {home['name']} ({home['municipality_id']}): {package.descriptor_path}")
    return EXIT_VALID


def _workbook(args: argparse.Namespace) -> int:
    from xlsxwriter.exceptions import FileCreateError

    from analysis.keeping.workbook import write_workbook

    package = load_package(args.path, progress=_Progress())
    try:
        write_workbook(package, args.out)
    except (OSError, FileCreateError) as error:
        print(f"partnerships: {args.out}: cannot be written ({error})", file=sys.stderr)
        return EXIT_INVALID
    print(f"workbook of {package.title} {package.version}: {args.out}")
    return EXIT_VALID


def _import(args: argparse.Namespace) -> int:
    from analysis.keeping.importing import import_workbook

    try:
        with open(args.workbook, "rb") as handle:
            data = handle.read()
    except OSError as error:
        print(f"partnerships: {args.workbook}: {error.strerror}", file=sys.stderr)
        return EXIT_NOT_A_PACKAGE
    try:
        result = import_workbook(data, args.out)
    except OSError as error:
        print(f"partnerships: {args.out}: cannot be written ({error.strerror or error})", file=sys.stderr)
        return EXIT_INVALID
    title, version = result.descriptor.get("title", ""), result.descriptor.get("version", "")
    if result.changes is not None and not result.changes:
        print(f"no changes: {title} {version} ({result.descriptor_path}) stays as it is")
    else:
        print(f"imported: {title} {version} ({result.descriptor_path}); see CHANGELOG.md")
    return EXIT_VALID


def _diff(args: argparse.Namespace) -> int:
    from analysis.keeping.changes import as_json, as_markdown, as_text, package_changes
    from analysis.keeping.workbook import package_text_frames

    old, new = load_package(args.old), load_package(args.new)
    changes = package_changes(old.descriptor, package_text_frames(old), new.descriptor, package_text_frames(new))
    writer = {"text": as_text, "markdown": as_markdown, "json": as_json}[args.format]
    sys.stdout.write(writer(changes))
    return EXIT_VALID


KEEPING = {"init": _init, "workbook": _workbook, "import": _import, "diff": _diff}


def _add_report_parser(commands) -> None:
    """`partnerships report`: the Partnerschaftsbericht as PDF, with the filters of export."""
    report = commands.add_parser("report", help="write the partnership report (PDF) for the filters and date")
    report.add_argument("path", nargs="?", metavar="PATH")
    _add_filter_arguments(report)
    report.add_argument(
        "--compare-with", type=_iso_date, default=None, metavar="YYYY-MM-DD", help="default: a year before --as-of"
    )
    report.add_argument("--lang", choices=("de", "en"), default="de", help="language of the report (default: de)")
    report.add_argument("--out", required=True, metavar="FILE.pdf", help="the PDF file to write")


def _report(args: argparse.Namespace) -> int:
    from report.build import build_report  # only this command needs typst and vl-convert

    as_of = args.as_of or date.today()
    if args.compare_with is not None and args.compare_with > as_of:
        print(f"partnerships: --compare-with {args.compare_with} lies after the as-of date {as_of}", file=sys.stderr)
        return EXIT_USAGE
    folder = os.path.dirname(os.path.abspath(args.out))
    if not os.path.isdir(folder):  # said before the work, not after it
        print(f"partnerships: cannot write {args.out}: no folder {folder}", file=sys.stderr)
        return EXIT_USAGE
    package = load_package(args.path, progress=_Progress())
    filters = _filters(args)
    pdf = build_report(package, as_of, filters, args.compare_with, args.lang)
    try:
        with open(args.out, "wb") as out:
            out.write(pdf)
    except OSError as error:
        print(f"partnerships: cannot write {args.out}: {error.strerror}", file=sys.stderr)
        return EXIT_USAGE
    print(f"report: {args.out} ({len(pdf):,} bytes)")
    return EXIT_VALID


def _add_restore_parser(commands) -> None:
    """restore: make a version kept by a save from the dashboard's edit mode the live one again."""
    restore = commands.add_parser("restore", help="make an earlier saved version of a package live again")
    restore.add_argument("path", metavar="DIR", help="the live package folder")
    restore.add_argument("version", nargs="?", metavar="VERSION", help="a kept version; none: list them")


def _restore(args: argparse.Namespace) -> int:
    from analysis.keeping.saving import restore, saved_versions

    if not args.version:
        print("\n".join(saved_versions(args.path)) or "-")
        return EXIT_VALID
    package = restore(args.path, args.version)
    print(f"restore: {args.path} -> {package.version}")
    return EXIT_VALID


def main(argv: Sequence[str] | None = None) -> int:
    settings = read_settings()  # the environment, read once
    parser = build_parser(settings)
    args = parser.parse_args(argv)
    if getattr(args, "path", "") is None:  # no PATH given: the operator's package, else the embedded one
        args.path = settings.datapackage
    if args.command == "export" and args.format == "xlsx" and not args.out:
        parser.error("--format xlsx needs --out FILE (Excel is not written to standard output)")
    try:
        if args.command in KEEPING:
            return KEEPING[args.command](args)
        if args.command == "synth":
            return _synth(args)
        if args.command == "report":
            return _report(args)
        if args.command == "restore":
            return _restore(args)
        return _validate(args) if args.command == "validate" else _export(args)
    except NotADataPackage as error:
        prefix = "kein Datenpaket" if args.lang == "de" else "not a data package"
        print(f"partnerships: {prefix}: {error.text(args.lang)}", file=sys.stderr)
        return EXIT_NOT_A_PACKAGE
    except PackageInvalid as error:
        for problem in error.problems:
            print(problem.describe(args.lang))
        print(f"partnerships: {error.where}: {len(error.problems)} problem(s)", file=sys.stderr)
        return EXIT_INVALID


if __name__ == "__main__":
    sys.exit(main())
