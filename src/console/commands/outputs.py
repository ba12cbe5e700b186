"""`partnerships export` and `partnerships report`: the enriched view as a file, the report as a PDF,
both for the dashboard's filters and an as-of date. The output file is checked before the work."""

from __future__ import annotations

import argparse
import io
import sys
from datetime import date

from analysis.outputs.export import FORMATS, write_frame
from analysis.package import load_package
from analysis.questions.enriched import enriched_view
from console.common import (
    EXIT_USAGE,
    EXIT_VALID,
    Progress,
    Refusal,
    add_filters,
    add_force,
    add_language,
    add_path,
    checked_out,
    command_parser,
    filters_of,
    iso_date,
    say,
    terminal_safe,
    words,
    write_whole,
)


def add(commands, lang: str) -> None:
    export = command_parser(commands, "export", "help_export", lang)
    add_path(export, lang)
    add_filters(export, lang)
    export.add_argument("--format", choices=FORMATS, default="csv", help=words("help_format", lang))
    export.add_argument("--out", metavar="FILE", help=words("help_export_out", lang))
    add_force(export, lang)
    add_language(export, lang, top=False)
    export.set_defaults(run=run_export)

    report = command_parser(commands, "report", "help_report", lang)
    add_path(report, lang)
    add_filters(report, lang)
    report.add_argument(
        "--compare-with", type=iso_date, default=None, metavar="YYYY-MM-DD", help=words("help_compare_with", lang)
    )
    report.add_argument("--out", required=True, metavar="FILE.pdf", help=words("help_report_out", lang))
    add_force(report, lang)
    add_language(report, lang, top=False)
    report.set_defaults(run=run_report)


def run_export(args: argparse.Namespace) -> int:
    if args.format == "xlsx" and not args.out:
        raise Refusal("xlsx_needs_out")
    out = checked_out(args.out, args.format, args.force) if args.out is not None else None
    package = load_package(args.path, progress=Progress(args.lang))
    view = enriched_view(package.frames, args.as_of or date.today(), filters_of(args), with_precision=True)
    if out is not None:
        write_whole(out, lambda part: part.write_bytes(_frame_bytes(view, args.format)))
    elif sys.stdout.isatty():  # a terminal reads text: control characters from data escaped
        say(terminal_safe(_frame_bytes(view, args.format).decode("utf-8"), keep="\n\t").rstrip("\n"))
    else:  # a pipe or a file gets the exact bytes
        write_frame(view, args.format, sys.stdout.buffer)
        sys.stdout.flush()
    return EXIT_VALID


def _frame_bytes(view, fmt: str) -> bytes:
    buffer = io.BytesIO()
    write_frame(view, fmt, buffer)
    return buffer.getvalue()


def run_report(args: argparse.Namespace) -> int:
    as_of = args.as_of or date.today()
    if args.compare_with is not None and args.compare_with > as_of:
        raise Refusal("compare_after_as_of", compare=args.compare_with, as_of=as_of)
    out = checked_out(args.out, "pdf", args.force)  # said before the work, not after it
    from report.build import build_report  # only this command needs typst and vl-convert

    package = load_package(args.path, progress=Progress(args.lang))
    pdf = build_report(package, as_of, filters_of(args), args.compare_with, args.lang)
    write_whole(out, lambda part: part.write_bytes(pdf))
    say(words("report_written", args.lang, out=args.out, size=f"{len(pdf):,}"))
    return EXIT_VALID


__all__ = ["EXIT_USAGE", "add"]
