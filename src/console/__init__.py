"""The `partnerships` command: an entry point above analysis and report."""
