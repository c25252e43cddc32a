"""The order sheet (指令单) as a PDF (WeasyPrint, the CJK font embedded as for the case notices)."""
from flask import render_template
from flask_babel import lazy_gettext as _l

from desk.timeutil import local_today
from desk.pdf import render_pdf_html
from referrals.orders.models import DispatchOrder


def render_order_sheet(order: DispatchOrder) -> bytes:
    """One order sheet: number, case, departments, what must be done, deadlines, signatures."""
    html = render_template("pdf/dispatch_order.html", order=order, title=_l("Dispatch order sheet"),
                           today=local_today())
    return render_pdf_html(html)
