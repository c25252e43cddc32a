from flask import Blueprint

bp = Blueprint("referrals", __name__)

from referrals import order_views  # noqa: E402,F401  (dispatch orders share this blueprint)
