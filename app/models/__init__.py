"""The data model, one module per capability; import models from here.

Instants are stored in UTC and always come back timezone-aware, on SQLite too.
Models hold data and small derived properties; rules live in the services.
"""

from app.models.audit import AuditEntry
from app.models.base import UTCDateTime, utcnow
from app.models.checkin import ApiToken, CheckinConflict, Scan, ScanResult
from app.models.desk import DeskEntry, DeskSending, DeskSetting, OutboxAttachment
from app.models.events import Event, EventStatus, OrganisationOverflow
from app.models.mail import OutboxMessage, OutboxStatus
from app.models.messages import Segment, StaffMessage
from app.models.registrations import APPLICANT_FIELDS, Registration, RegistrationStatus
from app.models.staff import StaffRole, StaffSession, StaffUser
from app.models.worker import ScheduledRun, WorkerHeartbeat

__all__ = [
    "APPLICANT_FIELDS",
    "ApiToken",
    "AuditEntry",
    "CheckinConflict",
    "DeskEntry",
    "DeskSending",
    "DeskSetting",
    "Event",
    "EventStatus",
    "OrganisationOverflow",
    "OutboxAttachment",
    "OutboxMessage",
    "OutboxStatus",
    "Registration",
    "RegistrationStatus",
    "Scan",
    "ScheduledRun",
    "ScanResult",
    "Segment",
    "StaffRole",
    "StaffMessage",
    "StaffSession",
    "StaffUser",
    "UTCDateTime",
    "WorkerHeartbeat",
    "utcnow",
]
