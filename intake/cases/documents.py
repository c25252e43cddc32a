"""The written notices of a case as PDFs (WeasyPrint, CJK fonts embedded)."""
from flask import render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from desk import cases, stages
from desk.errors import DomainError
from desk.extensions import db
from desk.models import Case, CaseStatus, OrgUnit, StageKind
from desk.pdf import render_pdf_html
from desk.timeutil import local_today

# kind -> (template, title, precondition); the three opinions are the replies of the three stages.
DOCUMENTS = {
    "acceptance": ("pdf/acceptance_notice.html", _l("Notice of acceptance"),
                   lambda c: c.accepted_on is not None or c.status == CaseStatus.registered),
    "non_acceptance": ("pdf/non_acceptance_notice.html", _l("Notice of non-acceptance"),
                       lambda c: c.status in (CaseStatus.not_accepted, CaseStatus.transferred)),
    "extension": ("pdf/extension_notice.html", _l("Notice of extension"), lambda c: c.extended_on is not None),
    "opinion": ("pdf/handling_opinion.html", _l("Written handling opinion"),
                lambda c: _replied(c, StageKind.handling)),
    "review_opinion": ("pdf/handling_opinion.html", _l("Review opinion"), lambda c: _replied(c, StageKind.review)),
    "rereview_opinion": ("pdf/handling_opinion.html", _l("Re-review opinion"),
                         lambda c: _replied(c, StageKind.rereview)),
}
STAGE_OF = {"opinion": StageKind.handling, "review_opinion": StageKind.review, "rereview_opinion": StageKind.rereview}


def _replied(case: Case, kind: StageKind) -> bool:
    st = stages.stage(case, kind)
    return st is not None and st.ended_on is not None


def _stage_context(case: Case, kind: str) -> dict:
    """What an opinion says about the next step: the stage after it, the body and the window."""
    if kind not in STAGE_OF:
        return {}
    st = stages.stage(case, STAGE_OF[kind])
    later = stages.NEXT_STAGE.get(st.kind) if cases.is_reviewable(case) else None
    body = stages.unit_above(db.session.get(OrgUnit, st.body_unit_id)) if st.body_unit_id else None
    window = cases.clock_rules()[stages.REQUEST_RULE[later]] if later else None
    due = cases.due(stages.REQUEST_RULE[later], st.delivered_on) if later and st.delivered_on else None
    return {"stage": st, "next_kind": later, "next_body": body.full_name if body else "",
            "request_days": window.limit if window else None, "request_due": due}


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
                               **_stage_context(case, kind))
    if locale:
        with force_locale(locale):
            return render_pdf_html(render())
    return render_pdf_html(render())
