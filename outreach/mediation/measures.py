"""Mediation figures for the reports area (the mediation success rate, 化解率) and the mediators who handled
a case (credited with its callback's rating). Reads the mediation table only: status, ended_on, case_id and
mediator_id."""
from datetime import date

import sqlalchemy as sa

from desk.caseworkers import case_worker_finder
from desk.extensions import db
from desk.models import Case
from outreach.mediation.models import Mediation, MediationStatus

ENDED = (MediationStatus.agreement, MediationStatus.no_agreement, MediationStatus.terminated)


def ended_mediation_cases(case_scope, start: date, end: date, *, agreement_only: bool = False) -> sa.Select:
    """A SELECT of the ids of cases (inside ``case_scope``, a clause on Case) whose mediation ended in
    [start, end); with ``agreement_only``, of those whose mediation ended with an agreement.

    Counted by case, so a matter mediated twice in a month counts once, and it counts as resolved when one
    of its mediations reached an agreement: the figure and the list of cases behind it are the same."""
    statuses = [MediationStatus.agreement] if agreement_only else list(ENDED)
    return sa.select(Case.id).where(case_scope, Case.id.in_(
        sa.select(Mediation.case_id).where(Mediation.status.in_(statuses), Mediation.ended_on >= start,
                                           Mediation.ended_on < end)))


def mediation_outcomes(case_scope, start: date, end: date) -> dict:
    """{"ended": cases whose mediation ended in the period, "agreements": of which with an agreement}."""
    def count(select):
        return db.session.scalar(sa.select(sa.func.count()).select_from(select.subquery())) or 0
    return {"ended": count(ended_mediation_cases(case_scope, start, end)),
            "agreements": count(ended_mediation_cases(case_scope, start, end, agreement_only=True))}


@case_worker_finder
def mediators_of(case_ids: list[int]):
    """(case id, member id) of the mediator of each mediation of the cases, whatever its outcome."""
    return db.session.execute(sa.select(Mediation.case_id, Mediation.mediator_id).where(
        Mediation.case_id.in_(case_ids), Mediation.mediator_id.is_not(None))).all()


__all__ = ["ENDED", "ended_mediation_cases", "mediation_outcomes", "mediators_of"]
