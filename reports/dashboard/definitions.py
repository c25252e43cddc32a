"""The measures' titles and definitions, written once (DOMAIN.md) and shown as footnotes everywhere.

The dashboard, the exports and the monthly PDF all read these, so a figure and the sentence that
explains it cannot drift apart.
"""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Definition:
    key: str
    title: object        # lazy translated
    text: object         # lazy translated: what is counted, over what, and which dates decide


_ALL = [
    Definition("visits", _l("Visits"),
               _l("Contacts received in the period (walk-in, phone, letter, online, grid, hotline, outreach), "
                  "counted by the date of the visit; a group visit counts once.")),
    Definition("new_cases", _l("New cases"),
               _l("Matters received in the period, counted by the date of receipt.")),
    Definition("accepted", _l("Accepted"),
               _l("Matters accepted in the period, counted by the date of the acceptance decision.")),
    Definition("concluded", _l("Concluded"),
               _l("Matters concluded in the period (first written reply given), by the date of that reply; a "
                  "later review or re-review reply does not count the matter again.")),
    Definition("closure_rate", _l("Closure rate"),
               _l("Closure rate (办结率) = matters concluded in the period / matters accepted in the period. "
                  "Both counts fall in the period, so the rate can exceed 100% when older matters are cleared.")),
    Definition("timely_acceptance", _l("Timely acceptance"),
               _l("Matters whose registration deadline (15 days from receipt by default) fell in the period and "
                  "that were decided (accepted or not accepted) by it / all matters whose deadline fell in the "
                  "period.")),
    Definition("on_time_reply", _l("On-time reply"),
               _l("Matters whose handling deadline (60 days from acceptance, or the extended deadline) fell in "
                  "the period and that were concluded by it / all matters whose handling deadline fell in "
                  "the period.")),
    Definition("satisfaction_rate", _l("Satisfaction rate"),
               _l("(Satisfied + basically satisfied) / matters rated, for matters concluded in the period "
                  "(the rating of the first reply).")),
    Definition("participation_rate", _l("Participation rate"),
               _l("Matters rated / matters concluded in the period.")),
    Definition("not_rated_in_time", _l("Not rated in time"),
               _l("Matters concluded in the period whose rating window closed without a rating (超期未评价).")),
    Definition("awaiting_rating", _l("Awaiting a rating"),
               _l("Matters concluded in the period whose rating window is still open, with no rating yet: "
                  "the participation and satisfaction rates can still change until these windows close.")),
    Definition("repeat_rate", _l("Repeat-visit rate"),
               _l("Visits in the period that are repeat visits (same person, same matter) / all visits in "
                  "the period.")),
    Definition("repeat_after_conclusion", _l("Repeats after conclusion"),
               _l("Repeat visits in the period on a matter that had already been concluded (已办结重复信访), "
                  "shown on their own; they are also part of the repeat-visit rate.")),
    Definition("median_days", _l("Handling days (median)"),
               _l("Days from receipt to conclusion for matters concluded in the period: the middle value. "
                  "A median, not a mean, so one very fast or very slow matter does not move it.")),
    Definition("p90_days", _l("Handling days (90th percentile)"),
               _l("Nine in ten matters concluded in the period took at most this many days from receipt "
                  "(when it falls between two matters, the figure lies between their days).")),
    Definition("median_wait", _l("Waiting at the desk (median minutes)"),
               _l("Queue tickets taken in the period: minutes from taking the ticket to being called, middle "
                  "value; tickets never called are left out.")),
    Definition("backlog", _l("Backlog by age"),
               _l("Matters open at the end of the period: not yet decided, or being handled, reviewed or "
                  "re-reviewed then, rebuilt from the dated stages; by days since receipt.")),
    Definition("overdue", _l("Overdue"),
               _l("Open matters whose running deadline (registration, handling, review reply or re-review "
                  "opinion) had passed at the end of the period.")),
    Definition("outreach", _l("Outreach person-times"),
               _l("Outreach services done in the period, in person-times (人次), by service kind: legal advice, "
                  "psychological counseling, social work, mediation, policy explanation; kinds with none show 0.")),
    Definition("outreach_satisfaction", _l("Outreach satisfaction"),
               _l("People served by outreach in the period who were asked how satisfied they were and said "
                  "satisfied or basically satisfied / all people served in the period who were asked "
                  "(群众满意度). People who were not asked are not counted.")),
    Definition("mediation_success_rate", _l("Mediation success rate"),
               _l("Disputes whose people's mediation ended in the period with an agreement / disputes whose "
                  "mediation ended in the period, by the day it ended (化解率). A dispute mediated twice in the "
                  "month counts once. “—” when no mediation ended.")),
    Definition("orders", _l("Dispatch orders"),
               _l("Orders issued in the period, by lead department: signed on time (by the signing limit) and "
                  "fed back on time (by the feedback deadline the town set, in working days); the on-time "
                  "feedback rate is fed back on time / orders fed back or past that deadline; returned and "
                  "verified. Overdue at the end of the month counts every order then past its signing or "
                  "feedback limit, whenever it was issued, rebuilt from the orders' dated history.")),
    Definition("routes", _l("Matters sent on another route"),
               _l("Matters decided in the period that are not heard on the petition track, by route: the five "
                  "statutory kinds not accepted (court, procuratorate and police matters, marked ⚖, leave the "
                  "petition track: 诉访分离) and reports and accusations transferred to the competent body.")),
    Definition("channels", _l("By channel"),
               _l("Visits, new matters and matters concluded in the period by the channel they came through: at "
                  "the desk, by phone or letter, online, from grid members, from the 12345 hotline and 110 "
                  "transfers, and on outreach. A matter counts under the channel of its first contact; each "
                  "later contact counts under its own.")),
    Definition("grid_events", _l("Grid events"),
               _l("Events grid members reported in the period (网格事件), and of those: closed by the end of the "
                  "period (closure rate 办结率 = closed / reported; an event that became a petition case is not "
                  "counted as closed), handled by then, and handled within the handling limit from dispatch "
                  "(on-time handling rate = handled on time / handled).")),
    Definition("risk", _l("Risk early warnings"),
               _l("Warnings raised in the period, by kind and by the day raised, and of them yellow, orange and red "
                  "by the level reached by the end of the period (a level rises as evidence joins a warning); "
                  "warnings acknowledged (签收) and warnings closed (处置) in the period, whenever raised; and "
                  "warnings open at the end of the period (raised by then and not yet closed), of which not yet "
                  "acknowledged. Counted from each warning's dated history, so a past month's figures do not "
                  "change later.")),
    Definition("top_issues", _l("Top issues"),
               _l("Issues (the categories as recorded, e.g. unpaid wages) with the most new matters in the "
                  "period; equal counts share a rank, and all issues tied at the tenth place are shown.")),
]

DEFINITIONS: dict[str, Definition] = {d.key: d for d in _ALL}


def footnotes(keys) -> list[Definition]:
    """The definitions for ``keys`` (unknown keys skipped), in the order given, each once."""
    seen, notes = set(), []
    for key in keys:
        if key in DEFINITIONS and key not in seen:
            seen.add(key)
            notes.append(DEFINITIONS[key])
    return notes
