"""Shared models. Area models live in their own packages and are imported by the app factory."""
from desk.models.audit import AuditEntry, Notification
from desk.models.calendar import CalendarDay, DayKind
from desk.models.cases import (ACCUSATION_ROUTES, BRANCH_ROUTES, HANDLING_STATUSES, LITIGATION_ROUTES,
                               OPEN_STATUSES, REPLIED_STATUSES, Case, CaseParty, CaseStage, CaseStatus, Channel,
                               DemandBranch, GRADE_ORDER, CaseGrade, Outcome, PetitionType, Route, StageKind, Visit)
from desk.models.org import (LEVEL_ORDER, Category, Department, Level, OrgUnit, PlaceMixin, Room, Site, SiteLevel,
                             full_names)
from desk.models.people import Person
from desk.models.counters import Counter, next_number
from desk.models.files import FileStatus, PreparedFile, PreparedFilePart
from desk.models.jobs import JobLock, JobRun
from desk.models.throttle import LoginThrottle, RateCounter
from desk.models.tickets import Ticket, TicketStatus
from desk.models.users import Role, User, UserRole, grid_membership

__all__ = ["full_names", "FileStatus", "PreparedFile", "PreparedFilePart", "CalendarDay", "DayKind", "JobLock", "JobRun", "Counter", "next_number", "AuditEntry", "Notification", "OPEN_STATUSES", "HANDLING_STATUSES",
           "REPLIED_STATUSES", "ACCUSATION_ROUTES", "BRANCH_ROUTES", "LITIGATION_ROUTES", "Case", "CaseParty",
           "CaseStage", "CaseStatus", "Route", "StageKind", "GRADE_ORDER", "CaseGrade", "Channel",
           "DemandBranch", "Outcome", "PetitionType", "Visit", "LEVEL_ORDER", "Category", "Department",
           "Level", "OrgUnit", "PlaceMixin", "Room", "Site", "SiteLevel", "Person", "Role", "User", "UserRole",
           "Ticket", "TicketStatus", "grid_membership", "LoginThrottle", "RateCounter"]
