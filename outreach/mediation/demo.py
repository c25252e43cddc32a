"""Demo mediations: an agreement (with its PDF), one under way with a session, and one terminated.
Part of the outreach demo (``outreach.assignments.demo``), which runs them with the clock pinned."""
from datetime import datetime, time, timedelta

import sqlalchemy as sa

from desk.extensions import db
from desk.models import Case, CaseStatus
from outreach.mediation import services as mediation
from outreach.mediation.models import MediationStatus


def seed_mediations(ctx, county, demo, requester) -> None:
    """An agreement (with its PDF), a mediation under way with a session, and one terminated."""
    if requester is None:
        return
    today = ctx.today
    cases = list(db.session.scalars(sa.select(Case).where(
        Case.county_id == county.id, Case.status.in_([CaseStatus.accepted, CaseStatus.in_progress]),
        Case.other_party != "").order_by(Case.id).limit(3)))
    mediator = demo.get("mediator") or demo.get("mediator2")
    for n, case in enumerate(cases):
        started = today - timedelta(days=[12, 6, 20][n])
        ctx.clock(datetime.combine(started, time(2, 0)))
        item = mediation.start_mediation(case, actor=requester, mediator=mediator, on=started)
        names = [p.name for p in item.parties]
        mediation.record_session(item, actor=requester, held_on=started, place="台山市信访超市人民调解室",
                                 parties_present="、".join(names),
                                 positions=[(names[0], "要求对方一次性赔偿并书面道歉"),
                                            (names[-1], "愿意适当补偿，但认为金额过高")])
        if n == 0:
            agreed = started + timedelta(days=5)
            db.session.flush()
            ctx.clock(datetime.combine(agreed, time(3, 0)))
            mediation.record_agreement(
                item, actor=requester, facts=case.facts or case.title,
                disputes="赔偿金额及支付方式。", responsibilities="乙方对损失负主要责任，甲方负次要责任。",
                terms="乙方向甲方支付补偿款人民币八千元，甲方不再就此事主张其他权利。",
                performance_method="乙方通过银行转账分两期支付，每期四千元。",
                performance_deadline=agreed + timedelta(days=30), agreed_on=agreed)
        elif n == 2:
            ended = started + timedelta(days=9)
            db.session.flush()
            ctx.clock(datetime.combine(ended, time(3, 0)))
            mediation.end_without_agreement(item, actor=requester, status=MediationStatus.terminated,
                                            outcome="乙方拒绝继续参加调解。",
                                            routes_told="可向人民法院提起诉讼；劳动争议可申请劳动人事争议仲裁。", on=ended)
        db.session.flush()  # audit rows take their time at flush: write them before the clock moves on
