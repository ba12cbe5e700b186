"""`partnerships init`, `workbook` and `import`: start a package, hand it out as one workbook to
fill in, and take the workbook back as the package's next version."""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis.keeping.changes import now_created
from analysis.package import load_package
from console.common import (
    EXIT_INVALID,
    EXIT_NOT_A_PACKAGE,
    EXIT_VALID,
    Progress,
    Refusal,
    add_force,
    add_language,
    add_path,
    checked_out,
    command_parser,
    os_reason,
    positive,
    say,
    warn,
    words,
    write_whole,
)


def add(commands, lang: str) -> None:
    init = command_parser(commands, "init", "help_init", lang)
    init.add_argument("--home", required=True, metavar="NAME", help=words("help_init_home", lang))
    init.add_argument("--country", default="DE", metavar="CC", help=words("help_init_country", lang))
    init.add_argument("--geonames-id", type=positive, metavar="N", help=words("help_geonames_id", lang))
    init.add_argument("--out", required=True, metavar="DIR", help=words("help_init_out", lang))
    add_language(init, lang, top=False)
    init.set_defaults(run=run_init)

    workbook = commands.add_parser(
        "workbook", help=words("help_workbook", lang), description=words("help_workbook", lang)
    )
    add_path(workbook, lang)
    workbook.add_argument("--out", required=True, metavar="FILE.xlsx", help=words("help_workbook_out", lang))
    add_force(workbook, lang)
    add_language(workbook, lang, top=False)
    workbook.set_defaults(run=run_workbook)

    imported = command_parser(commands, "import", "help_import", lang)
    imported.add_argument("workbook", metavar="FILE.xlsx", help=words("help_import_workbook", lang))
    imported.add_argument("--out", required=True, metavar="DIR", help=words("help_import_out", lang))
    add_language(imported, lang, top=False)
    imported.set_defaults(run=run_import)


def run_init(args: argparse.Namespace) -> int:
    from analysis.keeping.starter import StarterRefused, write_starter_package

    if not args.home.strip():
        raise Refusal("init_home_empty")
    try:
        package = write_starter_package(args.out, args.home, now_created(), args.country, args.geonames_id)
    except StarterRefused as refused:
        warn(refused.message_de if args.lang == "de" else refused.message)
        for candidate in refused.candidates:
            warn(f"  {_candidate_line(candidate, args.lang)}")
        return EXIT_INVALID
    home = package["municipalities"].row(0, named=True)
    say(words("init_written", args.lang, name=home["name"], id=home["municipality_id"], where=package.descriptor_path))
    return EXIT_VALID


def _candidate_line(place, lang: str) -> str:
    """One place to choose by, in LANG: name, admin area, country, inhabitants, coordinates, id."""
    where = ", ".join(part for part in (place.name, place.admin_area, place.country_code) if part)
    population = f"{place.population:,}".replace(",", "." if lang == "de" else ",")
    return words(
        "init_candidate",
        lang,
        where=where,
        population=population,
        latitude=f"{place.latitude:.2f}",
        longitude=f"{place.longitude:.2f}",
        id=place.geonames_id,
    )


def run_workbook(args: argparse.Namespace) -> int:
    from xlsxwriter.exceptions import FileCreateError

    from analysis.keeping.workbook import write_workbook

    out = checked_out(args.out, "xlsx", args.force)
    package = load_package(args.path, progress=Progress(args.lang))
    try:
        write_whole(out, lambda part: write_workbook(package, part))
    except FileCreateError as error:  # xlsxwriter's wrapper of the OSError that says why
        cause = error.__cause__ or error.__context__
        raise cause if isinstance(cause, OSError) else OSError(str(error)) from error
    say(words("workbook_written", args.lang, title=package.title, version=package.version, out=args.out))
    return EXIT_VALID


def run_import(args: argparse.Namespace) -> int:
    from analysis.keeping.importing import import_workbook

    try:
        with open(args.workbook, "rb") as handle:
            data = handle.read()
    except OSError as error:
        warn(f"{args.workbook}: {os_reason(error, args.lang)}")
        return EXIT_NOT_A_PACKAGE
    result = import_workbook(data, args.out, name=Path(args.workbook).name)
    title, version = result.descriptor.get("title", ""), result.descriptor.get("version", "")
    code = "import_unchanged" if result.changes is not None and not result.changes else "imported"
    say(words(code, args.lang, title=title, version=version, where=result.descriptor_path))
    return EXIT_VALID
