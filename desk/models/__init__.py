"""Shared models. Area models live in their own packages and are imported by the app factory."""
from desk.models.audit import AuditEntry, Notification
from desk.models.cases import (GRADE_ORDER, OPEN_STATUSES, Case, CaseGrade, CaseParty, CaseStatus, Channel, DemandBranch, Outcome,
                               PetitionType, Visit)
from desk.models.org import LEVEL_ORDER, Category, Department, Level, OrgUnit, PlaceMixin, Room, Site, SiteLevel
from desk.models.people import Person
from desk.models.counters import Counter, next_number
from desk.models.jobs import JobLock, JobRun
from desk.models.throttle import LoginThrottle
from desk.models.tickets import Ticket, TicketStatus
from desk.models.users import Role, User, UserRole

__all__ = ["JobLock", "JobRun", "Counter", "next_number", "AuditEntry", "Notification", "GRADE_ORDER", "OPEN_STATUSES", "Case", "CaseGrade", "CaseParty", "CaseStatus", "Channel",
           "DemandBranch", "Outcome", "PetitionType", "Visit", "LEVEL_ORDER", "Category", "Department",
           "Level", "OrgUnit", "PlaceMixin", "Room", "Site", "SiteLevel", "Person", "Role", "User", "UserRole",
           "Ticket", "TicketStatus", "LoginThrottle"]
