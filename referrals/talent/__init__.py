"""The talent pool: members, rotation, matching a case to members, administration and CSV import."""
