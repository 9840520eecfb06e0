"""The door's copy of the tickets, for a phone that loses the network.

The phone keeps, per ticket, only what the door shows (names, organisation, status, check-in
time) and keyed hashes of the ticket code and of the short reference: never the codes. It
finds a scanned ticket by hashing what it read with the same key. The key is the event's own
(derived from SECRET_KEY): a ticket code (144 random bits) cannot be found back from its hash;
a reference could be, by trying its 3.8e10 values, but a reference is not a secret.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from app.errors import DomainError
from app.extensions import db
from app.models import Event, Registration, utcnow

#: A delta re-sends what changed a little before the cursor: a transaction that committed late
#: with an earlier time is not missed (the phone merges by id, so a repeat is harmless).
OVERLAP = timedelta(minutes=2)
#: Hex characters kept of each hash: 128 bits.
HASH_LENGTH = 32


class EventOver(DomainError):
    """The event has ended: phones drop their copy."""

    code = "event_over"


@dataclass(frozen=True)
class Copy:
    key: str
    cursor: datetime
    #: Every registration of the event (a delta: those changed since the cursor).
    tickets: list[Registration]
    #: How many registrations the event has: a phone whose count differs reloads in full.
    total: int
    full: bool


def event_key(event: Event) -> str:
    """Return the key the door hashes this event's ticket codes and references with."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"door-offline:{event.id}".encode(), hashlib.sha256).hexdigest()


def hashed(key: str, kind: str, value: str) -> str:
    """Return the hash of a ticket code (kind "code") or reference (kind "ref")."""
    digest = hmac.new(key.encode(), f"{kind}:{value}".encode(), hashlib.sha256)
    return digest.hexdigest()[:HASH_LENGTH]


def ticket_keys(key: str, registration: Registration) -> list[str]:
    """Return the hashes a phone finds this ticket by: its code's, its reference's."""
    return [hashed(key, "code", registration.code), hashed(key, "ref", registration.reference)]


def door_copy(event: Event, since: datetime | None = None, now: datetime | None = None) -> Copy:
    """Return the event's tickets for a phone's offline copy, or those changed since `since`."""
    now = now or utcnow()
    if now >= event.ends_at:
        raise EventOver()
    query = select(Registration).where(Registration.event_id == event.id)
    if since is not None:
        query = query.where(Registration.updated_at > since - OVERLAP)
    tickets = list(db.session.scalars(query.order_by(Registration.id)))
    total = db.session.scalar(
        select(func.count()).select_from(Registration).where(Registration.event_id == event.id)
    )
    return Copy(event_key(event), now, tickets, total, since is None)
