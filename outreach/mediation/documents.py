"""The mediation agreement (调解协议书) as a PDF: WeasyPrint with the CJK font, like the case notices."""
from flask import render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from desk.errors import DomainError
from desk.pdf import render_pdf_html
from outreach.mediation.models import Mediation, MediationStatus


def render_agreement(mediation: Mediation, locale: str | None = None) -> bytes:
    """The agreement with every element the People's Mediation Law (art. 29) requires, as PDF bytes: each
    party's details and signature/fingerprint block, the mediator's signature, the committee's seal, the
    effect clause, the copies (one per party plus one kept) and the judicial-confirmation note (art. 33)."""
    if mediation.status != MediationStatus.agreement:
        raise DomainError(_l("There is no agreement to print."))

    def render():
        return render_template("pdf/mediation_agreement.html", m=mediation, case=mediation.case,
                               title=_l("People's mediation agreement"))
    if locale:
        with force_locale(locale):
            return render_pdf_html(render())
    return render_pdf_html(render())
