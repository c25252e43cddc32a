"""Outreach requests and assignments, field intake, service records, mediation and agreements."""
