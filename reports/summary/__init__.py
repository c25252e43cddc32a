"""The monthly PDF summary: rendered from the dashboard's measures, archived per scope, month and language."""
