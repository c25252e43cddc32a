"""Case pages: detail with clocks and actions, documents, lists."""
from intake.views import bp  # noqa: F401
