"""Staff messages go through the same real SMTP process as every other message."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.factories import make_event, make_registration
from tests.mail.conftest import smtp_app, smtp_server  # noqa: F401 (fixtures)


@pytest.fixture
def past_event(db):
    """A two-hour meeting that ended an hour ago."""
    starts = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
    return make_event(slug="reunion-passee", starts_at=starts)


@pytest.fixture
def people(past_event):
    """Two who came (one reads English), two confirmed who did not, one in line, one
    cancelled, and a walk-in let in without an address."""
    came = past_event.starts_at + timedelta(minutes=5)
    return {
        "came": make_registration(past_event, family_name="Lefèvre", checked_in_at=came),
        "came_en": make_registration(
            past_event, given_name="Ada", family_name="Byron", locale="en", checked_in_at=came
        ),
        "absent": make_registration(past_event, family_name="Absente"),
        "absent_2": make_registration(past_event, family_name="Absent"),
        "waiting": make_registration(
            past_event, family_name="Attente", status="waitlisted", waitlist_position=1
        ),
        "cancelled": make_registration(past_event, family_name="Annulé", status="cancelled"),
        "walk_in": make_registration(
            past_event, family_name="Sansmail", email="", checked_in_at=came
        ),
    }
