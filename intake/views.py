from flask import Blueprint

bp = Blueprint("intake", __name__)

from intake import case_views  # noqa: E402,F401  (case pages share this blueprint)
