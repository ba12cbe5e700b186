"""The questions the pages ask: status as of a date, the enriched view, filters, aggregates,
history, network, comparison, places."""
