from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.auth.accounts import authenticate
from app.mail import services as mail
from app.models import Event, OutboxMessage, Registration, StaffUser
from tests.factories import make_event, make_registration


def test_events_seed_defaults(runner, db):
    result = runner.invoke(args=["events", "seed"])
    assert result.exit_code == 0, result.output
    event = db.session.scalars(select(Event)).one()
    assert event.capacity == 150
    assert (event.local_start.month, event.local_start.day) == (4, 16)
    assert event.local_start.hour == 14 and event.local_end.hour == 16
    assert event.starts_at > datetime.now(UTC)
    assert f"/e/{event.slug}" in result.output


def test_events_seed_options_and_idempotence(runner, db):
    args = ["events", "seed", "--date", "2031-04-16", "--capacity", "40", "--slug", "ami-ia"]
    first = runner.invoke(args=args)
    second = runner.invoke(args=args)
    assert first.exit_code == second.exit_code == 0
    assert "Created /e/ami-ia (2031-04-16 14:00 CEST, 40 seats)" in first.output
    assert "Already there" in second.output
    assert len(db.session.scalars(select(Event)).all()) == 1


def test_events_seed_rejects_bad_options(runner, db):
    assert runner.invoke(args=["events", "seed", "--date", "16/04/2031"]).exit_code == 2
    assert runner.invoke(args=["events", "seed", "--capacity", "-1"]).exit_code == 2


def test_users_create_reads_the_password_from_stdin(runner, db):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "Admin@Numerique.gouv.fr",
            "--role",
            "admin",
            "--password-stdin",
        ],
        input="un mot de passe solide\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalars(select(StaffUser)).one()
    assert user.email == "admin@numerique.gouv.fr" and user.role == "admin"
    assert user.password_hash.startswith("$argon2id$")
    assert authenticate("admin@numerique.gouv.fr", "un mot de passe solide") is not None
    assert authenticate("admin@numerique.gouv.fr", "mauvais") is None


def test_users_create_refuses_short_passwords_and_duplicates(runner, db):
    base = ["users", "create", "--email", "a@b.fr", "--role", "viewer", "--password-stdin"]
    assert runner.invoke(args=base, input="court\n").exit_code == 1
    assert runner.invoke(args=base, input="assez long pour passer\n").exit_code == 0
    again = runner.invoke(args=base, input="assez long pour passer\n")
    assert again.exit_code == 1 and "already exists" in again.output
    bad_role = runner.invoke(args=[*base[:5], "root", "--password-stdin"], input="x" * 20)
    assert bad_role.exit_code == 2


def test_users_demo_prints_working_credentials(runner, db):
    result = runner.invoke(args=["users", "demo"])
    assert result.exit_code == 0
    email, password = result.output.strip().rsplit(": ", 1)[1].split(" / ")
    assert authenticate(email, password).role == "admin"
    # Running it again resets the password: the old one stops working.
    runner.invoke(args=["users", "demo"])
    assert authenticate(email, password) is None


def test_data_purge_deletes_old_registrations_only(runner, db):
    long_ago = datetime.now(UTC) - timedelta(days=181)
    old = make_event(starts_at=long_ago, registration_closes_at=None)
    recent = make_event(starts_at=datetime.now(UTC) - timedelta(days=179))
    old_registration = make_registration(old)
    mail.queue("confirmation", old_registration)
    db.session.commit()
    kept = make_registration(recent)

    result = runner.invoke(args=["data", "purge"])
    assert result.exit_code == 0
    assert "Deleted 1 registrations" in result.output
    assert "0 messages to the security desk" in result.output
    db.session.expire_all()
    assert db.session.scalars(select(Registration.id)).all() == [kept.id]
    assert db.session.scalars(select(OutboxMessage)).all() == []
    assert db.session.get(Event, old.id) is not None
