"""Measures, callbacks, dashboards, charts, monthly PDF summaries, exports and report jobs."""
