"""The reports area's blueprint; its pages live in the modules imported at the bottom."""
from flask import Blueprint

bp = Blueprint("reports", __name__)

from reports import dashboard_views  # noqa: E402,F401  (measures, dashboard, drill-down, exports)
from reports import callback_views  # noqa: E402,F401  (callbacks and the citizen's rating)
from reports import summary_views  # noqa: E402,F401  (monthly PDF summaries)
