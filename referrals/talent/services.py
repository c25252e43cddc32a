"""The talent pool: edits with history, and the CSV import with a per-row report."""
import csv
import io
import threading
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from desk.access import scope_clause
from desk.audit import record_audit
from desk.extensions import db
from desk.idnumber import InvalidPhoneNumber, validate_phone
from desk.models import Category, OrgUnit, Site
from referrals.talent.models import LANGUAGES, Stationing, Talent, TalentConflict, TalentRole

CSV_HEADER = ["name", "sex", "role", "skills", "languages", "stationing", "weekdays", "capacity", "licence_no",
              "phone", "site_code", "active"]


def update_talent(talent: Talent, *, actor, name: str, role: str, skills: list[Category], languages: list[str],
                  stationing: str, weekdays: list[int], room_id: int | None, capacity: int, licence_no: str,
                  active: bool, conflicts: list[str]) -> Talent:
    before = _snapshot(talent)
    talent.name, talent.role, talent.skills = name.strip(), TalentRole(role), skills
    talent.languages = ",".join(languages) or "mandarin"
    talent.stationing = Stationing(stationing)
    talent.weekdays = ",".join(str(d) for d in sorted(weekdays)) if talent.stationing == Stationing.rotating else \
        ("0,1,2,3,4" if talent.stationing == Stationing.resident else "")
    talent.room_id, talent.capacity = room_id, capacity
    talent.licence_no, talent.active = licence_no.strip() or None, active
    wanted = {c.strip() for c in conflicts if c.strip()}
    talent.conflicts = [c for c in talent.conflicts if c.name in wanted] + \
        [TalentConflict(name=n) for n in sorted(wanted - {c.name for c in talent.conflicts})]
    after = _snapshot(talent)
    changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    record_audit(actor=actor, entity="talent", entity_id=talent.id, action="update", detail=changed)
    return talent


def _snapshot(talent: Talent) -> dict:
    return {"name": talent.name, "role": str(talent.role), "skills": sorted(c.code for c in talent.skills),
            "languages": talent.languages, "stationing": str(talent.stationing), "weekdays": talent.weekdays,
            "room": talent.room_id, "capacity": talent.capacity, "licence": talent.licence_no,
            "active": talent.active, "conflicts": sorted(c.name for c in talent.conflicts)}


@dataclass
class ImportReport:
    total: int = 0
    processed: int = 0
    imported: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)   # (row number, field, message)
    done: bool = False


def parse_row(row: dict, *, categories: dict[str, int], sites: dict[str, Site]) -> tuple[dict, list[tuple[str, str]]]:
    """Validate one CSV row; returns the talent values and the (field, message) problems."""
    problems, values = [], {}
    name = (row.get("name") or "").strip()
    if not name or len(name) > 60:
        problems.append(("name", str(_l("A name of 1 to 60 characters is required."))))
    values["name"] = name
    role = (row.get("role") or "").strip()
    if role not in {r.value for r in TalentRole}:
        problems.append(("role", str(_l("Unknown role %(value)s.", value=role))))
    values["role"] = role
    values["sex"] = (row.get("sex") or "").strip()[:1] or None
    skills = [s for s in (row.get("skills") or "").replace(";", ",").split(",") if s.strip()]
    unknown = [s for s in skills if s.strip() not in categories]
    if unknown:
        problems.append(("skills", str(_l("Unknown categories: %(codes)s", codes=", ".join(unknown)))))
    values["skill_ids"] = [categories[s.strip()] for s in skills if s.strip() in categories]
    languages = [x.strip() for x in (row.get("languages") or "mandarin").replace(";", ",").split(",") if x.strip()]
    if any(x not in LANGUAGES for x in languages):
        problems.append(("languages", str(_l("Unknown language in %(value)s.", value=",".join(languages)))))
    values["languages"] = ",".join(languages)
    stationing = (row.get("stationing") or "").strip()
    if stationing not in {s.value for s in Stationing}:
        problems.append(("stationing", str(_l("Stationing is resident, rotating or on_call."))))
    values["stationing"] = stationing
    weekdays = (row.get("weekdays") or "").replace(";", ",")
    if any(not d.strip().isdecimal() or int(d) > 6 for d in weekdays.split(",") if d.strip()):
        problems.append(("weekdays", str(_l("Weekdays are numbers 0 (Monday) to 6."))))
    values["weekdays"] = ",".join(d.strip() for d in weekdays.split(",") if d.strip())
    try:
        values["capacity"] = int(row.get("capacity") or 4)
        if not 1 <= values["capacity"] <= 50:
            raise ValueError
    except ValueError:
        problems.append(("capacity", str(_l("Capacity is a whole number from 1 to 50."))))
    values["licence_no"] = (row.get("licence_no") or "").strip() or None
    if values["role"] == "lawyer" and not values["licence_no"]:
        problems.append(("licence_no", str(_l("A lawyer needs a licence number."))))
    phone = (row.get("phone") or "").strip()
    try:
        values["phone"] = validate_phone(phone) if phone else None
    except InvalidPhoneNumber as err:
        problems.append(("phone", str(err.message)))
    site = sites.get((row.get("site_code") or "").strip())
    if site is None:
        problems.append(("site_code", str(_l("Unknown site (use the org unit code of a center or station)."))))
    values["site"] = site
    values["active"] = (row.get("active") or "1").strip().lower() not in ("0", "false", "no", "n")
    return values, problems


def import_talent_csv(text: str, *, actor, report: ImportReport, batch: int = 500) -> ImportReport:
    """Import valid rows, report invalid ones; commits per batch so progress is visible and memory stays flat."""
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    report.total = len(rows)
    categories = dict(db.session.execute(sa.select(Category.code, Category.id)).all())
    # A site code names a row only inside the importing administrator's area (the CSV column goes through
    # the same scope as any id from a request); the command line (no actor) imports anywhere.
    in_area = scope_clause(OrgUnit, actor) if actor is not None else sa.true()
    sites = {unit_code: site for site, unit_code in db.session.execute(
        sa.select(Site, OrgUnit.code).join(OrgUnit, Site.org_unit_id == OrgUnit.id).where(in_area)).all()}
    pending = []
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        values, problems = parse_row(row, categories=categories, sites=sites)
        if problems:
            report.errors.extend((number, f, m) for f, m in problems)
        else:
            pending.append(values)
        report.processed += 1
        if len(pending) >= batch or report.processed == report.total:
            _insert(pending, actor)
            report.imported += len(pending)
            pending = []
            db.session.commit()
    report.done = True
    return report


def _insert(rows: list[dict], actor) -> None:
    for values in rows:
        site = values["site"]
        talent = Talent(name=values["name"], sex=values["sex"], role=TalentRole(values["role"]),
                        languages=values["languages"], site_id=site.id, stationing=Stationing(values["stationing"]),
                        weekdays=values["weekdays"], capacity=values["capacity"], licence_no=values["licence_no"],
                        active=values["active"])
        talent.place_at(site.org_unit)
        talent.set_phone(values["phone"])
        talent.skills = [db.session.get(Category, i) for i in values["skill_ids"]]
        db.session.add(talent)
        db.session.flush()
        record_audit(actor=actor, entity="talent", entity_id=talent.id, action="import")


IMPORTS: dict[str, ImportReport] = {}


def start_background_import(app, text: str, actor_id: int, key: str) -> ImportReport:
    """Run an import in a thread with its own app context; the page polls the report for progress."""
    report = IMPORTS[key] = ImportReport()

    def run():
        with app.app_context():
            from desk.models import User
            import_talent_csv(text, actor=db.session.get(User, actor_id), report=report)
            db.session.remove()
    threading.Thread(target=run, daemon=True).start()
    return report
