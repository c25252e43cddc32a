"""Officials' dashboard: measures, charts, drill-down to cases, CSV and XLSX exports."""
from reports.views import bp  # noqa: F401
