"""Demo mediations: an agreement among four parties with every detail art. 29 asks for (its PDF prints
"一式5份" and a signature block per party), one under way with a session and a consented extension, and one
terminated. Part of the outreach demo (``outreach.assignments.demo``), which runs them with the clock pinned."""
from datetime import datetime, time, timedelta

import sqlalchemy as sa

from desk.extensions import db
from desk.models import Case, CaseStatus, PetitionType
from outreach.mediation import services as mediation
from outreach.mediation.models import ConsentMethod, MediationStatus
from outreach.mediation.services import Consent

# What the agreement states of each party, filled in by the mediator at the first session.
APPLICANT = dict(ethnicity="汉族", occupation="务工人员", address="台山市台城街道石龙村12号")
ORGANIZATION = dict(is_organization=True, address="台山市台城街道环北大道88号", representative="李建国（总经理）")
PERSON = dict(sex="M", age=46, ethnicity="汉族", occupation="个体经营者", address="台山市台城街道桥湖路5号")
MORE_PARTIES = [  # the agreement's mediation has two more parties, one on each side
    ("a", "陈秀英", dict(sex="F", age=52, ethnicity="汉族", occupation="务农", address="台山市台城街道石龙村15号")),
    ("b", "台山市某劳务派遣有限公司", dict(is_organization=True, address="台山市台城街道舜德路20号",
                                            representative="王志强（法定代表人）")),
]


def _complete_parties(item, requester) -> None:
    for party in list(item.parties):
        if party.side == "a":
            fields = dict(APPLICANT, sex=party.sex or "M", birth_date=party.birth_date,
                          age=None if party.birth_date else 38)
        elif any(word in party.name for word in ("公司", "厂", "店", "中心", "委员会")):
            fields = ORGANIZATION
        else:
            fields = PERSON
        mediation.update_party(item, party, actor=requester, name=party.name, details=party.details,
                               id_number=party.id_number or "", phone=party.phone or "", **fields)


def seed_mediations(ctx, county, demo, requester) -> None:
    """An agreement (with its PDF), a mediation under way with a session, and one terminated."""
    mediator = demo.get("mediator") or demo.get("mediator2")
    if requester is None or mediator is None:
        return
    today = ctx.today
    cases = list(db.session.scalars(sa.select(Case).where(
        Case.county_id == county.id, Case.status.in_([CaseStatus.accepted, CaseStatus.in_progress]),
        Case.petition_type != PetitionType.accusation, Case.other_party != "").order_by(Case.id).limit(3)))
    for n, case in enumerate(cases):
        started = today - timedelta(days=[12, 6, 20][n])
        ctx.clock(datetime.combine(started, time(2, 0)))
        consents = [Consent("a", "、".join(p.name for p in case.petitioners), started - timedelta(days=1),
                            ConsentMethod.application),
                    Consent("b", case.other_party, started, ConsentMethod.written)]
        item = mediation.start_mediation(case, actor=requester, mediator=mediator, on=started, consents=consents)
        if n == 0:
            for side, name, fields in MORE_PARTIES:
                mediation.add_party(item, actor=requester, side=side, name=name, **fields)
        _complete_parties(item, requester)
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
        elif n == 1:
            db.session.flush()
            new_due = mediation.usual_completion(item) + timedelta(days=15)
            mediation.extend_mediation(item, actor=requester, new_due=new_due, consents=[
                Consent("a", names[0], started + timedelta(days=2), ConsentMethod.written),
                Consent("b", names[-1], started + timedelta(days=2), ConsentMethod.oral)])
        elif n == 2:
            ended = started + timedelta(days=9)
            db.session.flush()
            ctx.clock(datetime.combine(ended, time(3, 0)))
            mediation.end_without_agreement(item, actor=requester, status=MediationStatus.terminated,
                                            outcome="乙方拒绝继续参加调解。",
                                            routes_told="可向人民法院提起诉讼；劳动争议可申请劳动人事争议仲裁。", on=ended)
        db.session.flush()  # audit rows take their time at flush: write them before the clock moves on
