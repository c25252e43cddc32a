"""In-app notifications: created by services and jobs, counted in the navigation bar."""
from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from desk.extensions import db
from desk.models import Notification
from desk.timeutil import utcnow

# kind -> message template; params are filled in at display time, in the reader's language.
MESSAGES = {
    "case_due_soon": _l("Case %(reference)s is due on %(due)s."),
    "case_overdue": _l("Case %(reference)s is overdue (due %(due)s)."),
    "offer": _l("New offer: %(title)s"),
    "offer_expired": _l("Your offer for %(title)s expired."),
    "offer_taken": _l("%(title)s was taken by someone else."),
    "order_reminder": _l("Order %(number)s: %(what)s due on %(due)s."),
    "order_overdue": _l("Order %(number)s is overdue."),
    "order_escalated": _l("Order %(number)s has been escalated."),
    "order_issued": _l("New order %(number)s for %(department)s."),
    "order_reported": _l("Order %(number)s: the department reported back."),
    "order_returned": _l("Order %(number)s was returned: %(reason)s"),
    "order_sign_due": _l("Order %(number)s: sign for it by %(due)s."),
    "order_feedback_due": _l("Order %(number)s: report back by %(due)s."),
    "outreach_reminder": _l("Reminder: outreach %(title)s tomorrow."),
    "outreach_changed": _l("Outreach %(title)s was changed: %(what)s"),
    "judicial_confirmation": _l("Agreement %(reference)s: apply for judicial confirmation by %(due)s."),
    "report_ready": _l("Monthly summary %(title)s is ready."),
    "file_ready": _l("Your file “%(title)s” is ready to download."),
    "risk_warning": _l("Risk warning %(number)s names you as the responsible leader: please acknowledge it."),
    "info": _l("%(text)s"),
}


def notify(user_id: int, kind: str, *, link: str | None = None, dedupe_key: str | None = None, **params):
    """Queue a notice in the caller's transaction; a repeated dedupe_key is silently skipped."""
    if dedupe_key is not None:
        exists = db.session.scalar(sa.select(Notification.id).where(Notification.dedupe_key == dedupe_key))
        if exists:
            return None
    item = Notification(user_id=user_id, kind=kind, params={k: str(v) for k, v in params.items()},
                        link=link, dedupe_key=dedupe_key)
    try:
        with db.session.begin_nested():  # a concurrent sender with the same key wins; we skip
            db.session.add(item)
    except sa.exc.IntegrityError:
        return None
    return item


def message(item: Notification) -> str:
    template = MESSAGES.get(item.kind, MESSAGES["info"])
    try:
        return str(template) % item.params
    except (KeyError, TypeError, ValueError):
        return str(item.params)


# Read by every page's header: built once, not per request.
_UNREAD = sa.select(sa.func.count()).select_from(Notification).where(
    Notification.user_id == sa.bindparam("user_id"), Notification.read_at.is_(None))


def unread_count(user) -> int:
    return db.session.scalar(_UNREAD, {"user_id": user.id}) or 0


def recent_for(user, limit: int = 100) -> list[Notification]:
    return list(db.session.scalars(sa.select(Notification).where(Notification.user_id == user.id)
                                   .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)))


def mark_read(user) -> None:
    db.session.execute(sa.update(Notification).where(Notification.user_id == user.id,
                                                     Notification.read_at.is_(None)).values(read_at=utcnow()))
