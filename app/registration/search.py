"""One search, for the door and the staff list: every word of the query, in any order,
inside the registration's folded names and organisation, case, accents and punctuation
aside (« lefevre » finds « Lefèvre », « o'neil » finds « ONeil »).

It runs in SQL over `Registration.search_key`, which the model keeps folded whenever a
name changes: PostgreSQL answers from a trigram index, SQLite from the folded column,
so neither folds rows in Python. The door never matches e-mails, which it may not see;
the staff list does.
"""

from sqlalchemy import ColumnElement, and_, false, or_, select

from app.extensions import db
from app.folding import search_terms
from app.models import Event, Registration


def matching(query: str, *, with_email: bool = False) -> ColumnElement[bool] | None:
    """Return the condition a registration meets when it holds every word of `query`:
    None for a blank query (nothing is filtered), never true for punctuation alone."""
    if not query.strip():
        return None
    terms = search_terms(query)
    if not terms:
        return false()
    conditions = []
    for term in terms:
        # Terms are letters and digits only: no wildcard to escape.
        pattern = f"%{term}%"
        condition = Registration.search_key.like(pattern)
        if with_email:
            condition = or_(condition, Registration.email.like(pattern))
        conditions.append(condition)
    return and_(*conditions)


def find(event: Event, query: str, limit: int = 20) -> list[Registration]:
    """Return up to `limit` of the event's registrations that match `query`, by name."""
    if not search_terms(query):
        return []
    statement = (
        select(Registration)
        .where(Registration.event_id == event.id, matching(query))
        .order_by(Registration.family_name, Registration.given_name, Registration.id)
        .limit(limit)
    )
    return list(db.session.scalars(statement))
