"""The two lists administrators keep for risk early warning (DOMAIN.md, "Risk early warning"): sensitive dates
(敏感节点), during which every threshold is lowered, and words of extreme intent (极端言行词库), matched in the
facts in either script. Both lists hold for the whole deployment (they carry no place), so, like the national
holiday calendar, they are changed by an administrator at the top of the tree (the city) and read by every
administrator.

Each change is audited in the caller's transaction; the view commits and then tells intake.risk.rules
(``lists_changed``), which keeps the lists in memory, so the next registration already sees the change.
"""
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from desk.audit import record_audit
from desk.errors import DomainError, NotAllowed
from desk.extensions import db
from desk.models import AuditEntry, Level
from intake.risk import rules
from intake.risk.models import RiskLevel, RiskTerm, RiskWarning, SensitiveDate

DATE_ENTITY, TERM_ENTITY = "risk_sensitive_date", "risk_term"
MAX_NAME, MAX_NOTE, MAX_TERM = 80, 500, 40
MIN_TERM = 2          # a single character (堵, 死) would match far too much ordinary text


def may_change_lists(user) -> bool:
    """The lists hold everywhere, so only an administrator of the city changes them (as with the holidays)."""
    return user.org_unit.level == Level.city


def _check_actor(actor) -> None:
    if not may_change_lists(actor):
        raise NotAllowed(_l("The risk lists hold for the whole city: an administrator of the city keeps them."))


# --- sensitive dates -------------------------------------------------------------------------------------------

@dataclass
class DateInput:
    name: str
    starts_on: date
    ends_on: date
    note: str = ""


def _clean_date(data: DateInput, *, editing: SensitiveDate | None = None) -> DateInput:
    name, note = (data.name or "").strip(), (data.note or "").strip()
    if not name:
        raise DomainError(_l("Name the sensitive period."), field="name")
    if len(name) > MAX_NAME:
        raise DomainError(_l("At most %(n)s characters.", n=MAX_NAME), field="name")
    if len(note) > MAX_NOTE:
        raise DomainError(_l("At most %(n)s characters.", n=MAX_NOTE), field="note")
    if data.ends_on < data.starts_on:
        raise DomainError(_l("The last day is before the first day."), field="ends_on")
    twin = db.session.scalar(sa.select(SensitiveDate.id).where(
        SensitiveDate.name == name, SensitiveDate.starts_on == data.starts_on, SensitiveDate.ends_on == data.ends_on,
        SensitiveDate.id != (editing.id if editing else 0)))
    if twin is not None:
        raise DomainError(_l("This period is already on the list."), field="name")
    return DateInput(name, data.starts_on, data.ends_on, note)


def _date_detail(row: SensitiveDate) -> dict:
    return {"name": row.name, "starts_on": row.starts_on.isoformat(), "ends_on": row.ends_on.isoformat()}


def add_sensitive_date(*, actor, data: DateInput) -> SensitiveDate:
    """Put a sensitive period on the list; its note (why the period is sensitive) is kept on the audit row."""
    _check_actor(actor)
    data = _clean_date(data)
    row = SensitiveDate(name=data.name, starts_on=data.starts_on, ends_on=data.ends_on, created_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    record_audit(actor=actor, entity=DATE_ENTITY, entity_id=row.id, action="create", reason=data.note or None,
                 detail=_date_detail(row))
    return row


def edit_sensitive_date(row: SensitiveDate, *, actor, data: DateInput) -> SensitiveDate:
    """Change a period's name, days or note; the audit row keeps what it was."""
    _check_actor(actor)
    data = _clean_date(data, editing=row)
    before = _date_detail(row)
    row.name, row.starts_on, row.ends_on = data.name, data.starts_on, data.ends_on
    db.session.flush()
    record_audit(actor=actor, entity=DATE_ENTITY, entity_id=row.id, action="update", reason=data.note or None,
                 detail={"before": before, **_date_detail(row)})
    return row


def warnings_raised_during(row: SensitiveDate) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(RiskWarning)
                             .where(RiskWarning.sensitive_date_id == row.id))


def remove_sensitive_date(row: SensitiveDate, *, actor) -> None:
    """Take a period off the list, unless warnings were raised under its lowered thresholds: it is their record
    (why their threshold was lower), so it stays, and its last day can be moved instead."""
    _check_actor(actor)
    raised = warnings_raised_during(row)
    if raised:
        raise DomainError(_l("%(n)s warnings were raised under this period's lowered thresholds, so it stays on "
                             "the list as their record; change its days instead.", n=raised))
    record_audit(actor=actor, entity=DATE_ENTITY, entity_id=row.id, action="remove", detail=_date_detail(row))
    db.session.delete(row)
    db.session.flush()


def sensitive_dates() -> list[SensitiveDate]:
    """Every period, latest first."""
    return list(db.session.scalars(sa.select(SensitiveDate).order_by(SensitiveDate.starts_on.desc(),
                                                                     SensitiveDate.id.desc())))


def date_notes(ids) -> dict[int, str]:
    """Each period's note: the reason on its latest add or edit audit row that has one."""
    ids = list(ids)
    if not ids:
        return {}
    rows = db.session.execute(sa.select(AuditEntry.entity_id, AuditEntry.reason).where(
        AuditEntry.entity == DATE_ENTITY, AuditEntry.entity_id.in_(ids), AuditEntry.action.in_(("create", "update")))
        .order_by(AuditEntry.at, AuditEntry.id)).all()
    notes = {}
    for entity_id, reason in rows:
        notes[entity_id] = reason or ""
    return {k: v for k, v in notes.items() if v}


# --- words of extreme intent -----------------------------------------------------------------------------------

def _has_han(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)


def other_scripts(term: str) -> list[str]:
    """The forms of ``term`` in the other script that match too (跳楼 → 跳樓), as rules matches them."""
    return [v for v in rules._variants(term) if v != term]


def _clean_term(term: str) -> str:
    term = "".join((term or "").split())          # 跳 楼 and 跳楼 are one word in a matter's text
    if not term:
        raise DomainError(_l("Write the word or phrase."), field="term")
    if len(term) > MAX_TERM:
        raise DomainError(_l("At most %(n)s characters.", n=MAX_TERM), field="term")
    if len(term) < MIN_TERM:
        raise DomainError(_l("Write a phrase of at least %(n)s characters: a single character matches far too much "
                             "ordinary text.", n=MIN_TERM), field="term")
    if not _has_han(term):
        raise DomainError(_l("Write the word in Chinese characters, simplified or traditional."), field="term")
    forms = set(rules._variants(term))
    for kept in db.session.scalars(sa.select(RiskTerm.term)):
        if forms & set(rules._variants(kept)):
            raise DomainError(_l("“%(term)s” is already on the list (as “%(kept)s”).", term=term, kept=kept),
                              field="term")
    return term


def add_term(*, actor, term: str, level: RiskLevel | str) -> RiskTerm:
    """Put a word on the list, active; it matches in both scripts. A word already there (in either script) is
    refused, also when another administrator adds it at the same moment (the column is unique)."""
    _check_actor(actor)
    term = _clean_term(term)
    try:
        level = RiskLevel(level)
    except ValueError:
        raise DomainError(_l("Choose the warning level."), field="level") from None
    row = RiskTerm(term=term, level=level, active=True, created_by_id=actor.id)
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except sa.exc.IntegrityError:
        raise DomainError(_l("“%(term)s” is already on the list (as “%(kept)s”).", term=term, kept=term),
                          field="term") from None
    record_audit(actor=actor, entity=TERM_ENTITY, entity_id=row.id, action="create",
                 detail={"term": term, "level": level.value})
    return row


def set_term_active(row: RiskTerm, *, actor, active: bool) -> RiskTerm:
    """Switch a word off (kept on the list, matched no more) or on again."""
    _check_actor(actor)
    if row.active == active:
        raise DomainError(_l("The word is already switched on.") if active else
                          _l("The word is already switched off."))
    row.active = active
    db.session.flush()
    record_audit(actor=actor, entity=TERM_ENTITY, entity_id=row.id, action="reactivate" if active else "deactivate",
                 detail={"term": row.term, "level": row.level.value})
    return row


def remove_term(row: RiskTerm, *, actor) -> None:
    """Take a word off the list. Warnings it raised keep the word in their evidence (their detail)."""
    _check_actor(actor)
    record_audit(actor=actor, entity=TERM_ENTITY, entity_id=row.id, action="remove",
                 detail={"term": row.term, "level": row.level.value, "active": row.active})
    db.session.delete(row)
    db.session.flush()


def terms() -> list[RiskTerm]:
    """Every word, active first, then by level (red first) and as added."""
    level_rank = sa.case((RiskTerm.level == RiskLevel.red, 0), (RiskTerm.level == RiskLevel.orange, 1), else_=2)
    return list(db.session.scalars(sa.select(RiskTerm).order_by(RiskTerm.active.desc(), level_rank, RiskTerm.id)))


# --- the thresholds, read-only ---------------------------------------------------------------------------------

# (setting, title, the Thresholds field it becomes, shown as a number of what)
THRESHOLD_ROWS = [
    ("RISK_GROUP_SIZE", _l("People in one group visit"), "group_size"),
    ("RISK_SAME_MATTER_PEOPLE", _l("People on similar matters"), "same_matter_people"),
    ("RISK_SAME_MATTER_DAYS", _l("… within days"), "same_matter_days"),
    ("RISK_SAME_MATTER_SIMILARITY", _l("… with text at least this similar (0 to 1)"), "similarity"),
    ("RISK_FREQUENT_VISITS", _l("Visits by one person"), "frequent_visits"),
    ("RISK_FREQUENT_DAYS", _l("… within days"), "frequent_days"),
    ("RISK_SPIKE_MIN_COUNT", _l("New matters of a town and category, at least"), "spike_min_count"),
    ("RISK_SPIKE_DAYS", _l("… within the last days"), "spike_days"),
    ("RISK_SPIKE_SIGMAS", _l("… above the mean by standard deviations"), "spike_sigmas"),
    ("RISK_SPIKE_WEEKS", _l("… of the weeks before"), "spike_weeks"),
    ("RISK_ORANGE_FACTOR", _l("Orange at this many times the threshold"), "orange_factor"),
    ("RISK_RED_FACTOR", _l("Red at this many times the threshold"), "red_factor"),
]


def threshold_rows(day: date) -> dict:
    """The settings as in force normally and during a sensitive period, and the period ``day`` falls in."""
    normal = rules.thresholds_on(day, sensitive=None)
    # A stand-in period (never added to the session): what any sensitive period makes of the settings.
    lowered = rules.thresholds_on(day, sensitive=SensitiveDate(name="", starts_on=day, ends_on=day))
    rows = [{"setting": setting, "title": title, "normal": getattr(normal, field),
             "sensitive": getattr(lowered, field), "lowered": getattr(lowered, field) != getattr(normal, field)}
            for setting, title, field in THRESHOLD_ROWS]
    return {"rows": rows, "factor": float(current_app.config["RISK_SENSITIVE_FACTOR"]),
            "today": rules.sensitive_date_on(day)}


# --- the lists' history ------------------------------------------------------------------------------------------

def history(limit: int = 30) -> list[AuditEntry]:
    """The latest changes to either list, newest first."""
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.entity.in_((DATE_ENTITY, TERM_ENTITY)))
                                   .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)))
