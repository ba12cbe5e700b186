"""One module per command group; each adds its subcommands to the parser with `add(commands, lang)`
and sets `run`, the function `console.main` calls with the parsed arguments."""
