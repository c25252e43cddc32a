"""Monthly PDF summaries: on demand for any month and scope, and the archive of scheduled ones."""
from reports.views import bp  # noqa: F401
