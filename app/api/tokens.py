"""API tokens: random, shown once, stored as a hash, revocable."""

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.auth.accounts import find_account
from app.database import run_in_transaction
from app.errors import DomainError
from app.extensions import db
from app.models import ApiToken, StaffUser, utcnow

TOKEN_PREFIX = "acc_"


class UnknownAccount(DomainError):
    code = "unknown_account"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(email: str) -> tuple[ApiToken, str]:
    """Create a token for an active staff account; return it and its only clear copy."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)

    def unit() -> ApiToken:
        user = find_account(email)
        if user is None or not user.active:
            raise UnknownAccount(email)
        record = ApiToken(user=user, token_hash=_digest(token), prefix=token[:12])
        db.session.add(record)
        return record

    return run_in_transaction(unit), token


def revoke_token(prefix: str) -> int:
    """Revoke the live tokens that start with `prefix`; return how many."""

    def unit() -> int:
        tokens = db.session.scalars(
            select(ApiToken).where(ApiToken.prefix == prefix[:12], ApiToken.revoked_at.is_(None))
        ).all()
        for token in tokens:
            token.revoked_at = utcnow()
        return len(tokens)

    return run_in_transaction(unit)


def authenticate(token: str) -> tuple[StaffUser, ApiToken] | None:
    """Return the active account and the live token behind a bearer token, or None."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    # The token and its account in one query: every scan at the door starts here.
    query = select(ApiToken).options(joinedload(ApiToken.user))
    record = db.session.scalar(query.where(ApiToken.token_hash == _digest(token)))
    if record is None or record.revoked_at is not None or not record.user.active:
        return None
    return record.user, record
