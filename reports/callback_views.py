"""Satisfaction callbacks (回访): the work list, recording a rating, the citizen's own rating."""
from reports.views import bp  # noqa: F401
