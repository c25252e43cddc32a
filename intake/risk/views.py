"""Pages of risk early warning (placeholder until the pages land)."""
