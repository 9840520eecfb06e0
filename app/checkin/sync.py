"""Scans a phone made offline, brought back in one batch: first scan in time wins.

The batch is one unit of work: if any scan in it is refused (unknown ticket, another
event's ticket, a time outside the event's day or in the future, a nonce already used for
another scan), nothing of it is kept. A scan already received (same nonce, same content) is
answered again as it was: a phone retries until it hears back.

A ticket that another phone let in too is a conflict: both scans are kept, the earlier one
holds the check-in (with its own time), and staff see the pair on the event's page.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import select, update

from app.checkin.services import CONTROL, parse_code
from app.database import run_in_transaction
from app.errors import DomainError
from app.extensions import db
from app.models import (
    CheckinConflict,
    Event,
    Registration,
    RegistrationStatus,
    Scan,
    ScanResult,
    StaffUser,
    utcnow,
)

#: A phone's clock may run a little fast: no more than this ahead of the server's.
CLOCK_SKEW = timedelta(minutes=2)
#: The door opens at most this long before the start: an earlier scan is refused.
DOOR_OPENS = timedelta(hours=4)
#: Browsers give times to the millisecond: a replay carries the same one.
MS = timedelta(milliseconds=1)


class SyncRefused(DomainError):
    """One scan of the batch cannot be taken: nothing of the batch is."""

    def __init__(self, code: str, index: int):
        super().__init__(code, index=index)
        self.code = code
        self.index = index


@dataclass(frozen=True)
class OfflineScan:
    nonce: str
    scanned_at: datetime
    registration_id: int | None = None
    code: str | None = None


@dataclass(frozen=True)
class Synced:
    nonce: str
    result: ScanResult
    registration: Registration
    #: The other scan of the same ticket, when two phones let it in.
    conflict: CheckinConflict | None


def event_day(event: Event) -> tuple[datetime, datetime]:
    """Return the event's day(s) in its time zone: local midnight to the next midnight."""
    start = datetime.combine(event.local_start.date(), time(), tzinfo=event.tz)
    end = datetime.combine(event.local_end.date() + timedelta(days=1), time(), tzinfo=event.tz)
    return start, end


def _check_time(event: Event, scanned_at: datetime, index: int, now: datetime) -> None:
    day_start, day_end = event_day(event)
    if scanned_at > now + CLOCK_SKEW:
        raise SyncRefused("time_in_future", index)
    if not day_start <= scanned_at < day_end:
        raise SyncRefused("time_outside_event", index)
    if scanned_at < event.starts_at - DOOR_OPENS:
        raise SyncRefused("before_door_opened", index)


def _ticket(event: Event, scan: OfflineScan, index: int) -> Registration:
    if scan.registration_id is not None:
        found = Registration.id == scan.registration_id
    else:
        found = Registration.code == (parse_code(scan.code or "") or "")
    registration = db.session.scalar(select(Registration).where(found))
    if registration is None:
        raise SyncRefused("unknown_ticket", index)
    if registration.event_id != event.id:
        raise SyncRefused("other_event", index)
    return registration


def _holder(registration: Registration) -> Scan | None:
    """Return the scan that let this ticket in (the last check-in not undone)."""
    return db.session.scalar(
        select(Scan)
        .where(
            Scan.registration_id == registration.id,
            Scan.result.in_([ScanResult.CHECKED_IN, ScanResult.UNDONE]),
        )
        .order_by(Scan.created_at.desc(), Scan.id.desc())
        .limit(1)
    )


def _take_check_in(registration: Registration, when: datetime, actor, current) -> bool:
    """Set the check-in to `when` if it is still `current` (empty or later); tell if it did."""
    held = (
        Registration.checked_in_at.is_(None)
        if current is None
        else Registration.checked_in_at == current
    )
    result = db.session.execute(
        update(Registration)
        .where(
            Registration.id == registration.id,
            Registration.status == RegistrationStatus.CONFIRMED,
            held,
        )
        .values(checked_in_at=when, checked_in_by_id=actor.id if actor else None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _record(event: Event, scan: OfflineScan, registration: Registration, actor, origin) -> Synced:
    """Let the ticket in at its scan time (or say who was first) and keep the scan."""
    holder = conflict = None
    result = ScanResult(registration.status) if registration.status != "confirmed" else None
    if result is None:
        holder = _holder(registration) if registration.checked_in_at else None
        current = registration.checked_in_at
        if current is None or scan.scanned_at < current:
            taken = _take_check_in(registration, scan.scanned_at, actor, current)
            result = ScanResult.CHECKED_IN if taken else ScanResult.ALREADY_CHECKED_IN
        else:
            result = ScanResult.ALREADY_CHECKED_IN
    row = Scan(
        event_id=event.id,
        registration_id=registration.id,
        scanned=f"#{registration.id}",
        result=result,
        staff_user_id=actor.id if actor else None,
        api_token_id=origin[0],
        device=CONTROL.sub("", origin[1])[:200],
        nonce=scan.nonce,
        created_at=scan.scanned_at,
        synced_at=utcnow(),
    )
    db.session.add(row)
    db.session.flush()
    if holder is not None and holder.result == ScanResult.CHECKED_IN:
        first, second = sorted([holder, row], key=lambda s: (s.created_at, s.id))
        conflict = CheckinConflict(
            event_id=event.id, registration_id=registration.id, first_scan=first, second_scan=second
        )
        db.session.add(conflict)
    db.session.refresh(registration)
    return Synced(scan.nonce, result, registration, conflict)


def _replayed(event: Event, scan: OfflineScan, registration: Registration, index: int):
    earlier = db.session.scalar(
        select(Scan).where(Scan.event_id == event.id, Scan.nonce == scan.nonce)
    )
    if earlier is None:
        return None
    # A scan the phone sent online, whose answer the network lost, comes back in the batch
    # with its nonce and the phone's time: the same scan, whatever the time says.
    same_time = earlier.synced_at is None or abs(earlier.created_at - scan.scanned_at) < MS
    if earlier.registration_id != registration.id or not same_time:
        raise SyncRefused("nonce_reused", index)
    conflict = db.session.scalar(
        select(CheckinConflict).where(
            (CheckinConflict.first_scan_id == earlier.id)
            | (CheckinConflict.second_scan_id == earlier.id)
        )
    )
    return Synced(scan.nonce, ScanResult(earlier.result), registration, conflict)


def sync_offline(
    event: Event,
    scans: list[OfflineScan],
    *,
    actor: StaffUser | None,
    token_id: int | None = None,
    device: str = "",
    now: datetime | None = None,
) -> list[Synced]:
    """Take a phone's offline scans, in the order they happened; all of them or none."""
    now = now or utcnow()
    for index, scan in enumerate(scans):
        _check_time(event, scan.scanned_at, index, now)
    order = sorted(range(len(scans)), key=lambda index: scans[index].scanned_at)

    def unit() -> list[Synced]:
        answers: dict[int, Synced] = {}
        for index in order:
            scan = scans[index]
            registration = _ticket(event, scan, index)
            answers[index] = _replayed(event, scan, registration, index) or _record(
                event, scan, registration, actor, (token_id, device)
            )
        return [answers[index] for index in range(len(scans))]

    return run_in_transaction(unit)


def conflicts(event: Event) -> list[CheckinConflict]:
    """Return the event's door conflicts, earliest first."""
    query = select(CheckinConflict).where(CheckinConflict.event_id == event.id)
    return list(db.session.scalars(query.order_by(CheckinConflict.created_at)))
