"""`partnerships synth`: a synthetic package of any size, the same bytes for the same seed (load tests)."""

from __future__ import annotations

import argparse

from console.common import EXIT_VALID, add_language, command_parser, positive, say, words


def add(commands, lang: str) -> None:
    synth = command_parser(commands, "synth", "help_synth", lang)
    synth.add_argument("--partnerships", type=positive, required=True, metavar="N", help=words("help_synth_n", lang))
    synth.add_argument("--seed", type=int, default=1, help=words("help_synth_seed", lang))
    synth.add_argument("--out", required=True, metavar="DIR", help=words("help_synth_out", lang))
    add_language(synth, lang, top=False)
    synth.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from analysis.synth import write_synthetic_package  # only this command needs it

    descriptor = write_synthetic_package(args.out, args.partnerships, args.seed)
    say(words("synth_written", args.lang, n=f"{args.partnerships:,}", seed=args.seed, where=descriptor))
    return EXIT_VALID
