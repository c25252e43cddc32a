"""Deterministic demo data: a Jiangmen-sized city and the people and matters in it."""
