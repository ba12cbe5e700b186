"""The analysis layer: reading and checking a package, keeping it current, the questions the pages
ask and what leaves the package. Pure Python and Polars; it imports nothing above it."""
