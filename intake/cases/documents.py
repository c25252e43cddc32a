"""The written notices of a case as PDFs (WeasyPrint, CJK fonts embedded)."""
from flask import render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from desk import cases
from desk.errors import DomainError
from desk.models import Case, CaseStatus
from desk.pdf import render_pdf_html
from desk.timeutil import local_today

# kind -> (template, title, precondition)
DOCUMENTS = {
    "acceptance": ("pdf/acceptance_notice.html", _l("Notice of acceptance"),
                   lambda c: c.accepted_on is not None or c.status == CaseStatus.registered),
    "non_acceptance": ("pdf/non_acceptance_notice.html", _l("Notice of non-acceptance"),
                       lambda c: c.status == CaseStatus.not_accepted),
    "extension": ("pdf/extension_notice.html", _l("Notice of extension"), lambda c: c.extended_on is not None),
    "opinion": ("pdf/handling_opinion.html", _l("Written handling opinion"), lambda c: c.outcome is not None),
}


def available_documents(case: Case) -> list[tuple[str, object]]:
    return [(kind, title) for kind, (_tpl, title, ready) in DOCUMENTS.items() if ready(case)]


def render_case_document(case: Case, kind: str, locale: str | None = None) -> bytes:
    """One notice as PDF bytes, in ``locale`` (the UI language by default)."""
    if kind not in DOCUMENTS:
        raise DomainError(_l("Unknown document."))
    template, title, ready = DOCUMENTS[kind]
    if not ready(case):
        raise DomainError(_l("This document is not available for the case in its current state."))

    def render():
        return render_template(template, case=case, title=title, today=local_today(),
                               clocks={c["key"]: c for c in cases.clocks(case)},
                               review_days=cases.clock_rules()["review_request"].limit)
    if locale:
        with force_locale(locale):
            return render_pdf_html(render())
    return render_pdf_html(render())
