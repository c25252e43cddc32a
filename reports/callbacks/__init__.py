"""Callbacks (回访): the satisfaction work list, recording a rating, the citizen's own rating by tracking code."""
