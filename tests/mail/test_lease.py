"""A claim is renewed while its message is being sent, and only while the claim is its own."""

from sqlalchemy import select, update

from app.database import run_in_transaction
from app.mail import sender
from app.mail import services as mail
from app.models import OutboxMessage, utcnow
from tests.factories import make_event, make_registration
from tests.worker.fixtures import wait_until


def claimed_until(db, message_id):
    value = db.session.scalar(
        select(OutboxMessage.claimed_until).where(OutboxMessage.id == message_id)
    )
    db.session.rollback()
    return value


def queued(db) -> int:
    message = mail.queue("confirmation", make_registration(make_event()))
    db.session.commit()
    return message.id


def test_a_claim_is_pushed_forward_while_sending(app, db):
    app.config["MAIL_CLAIM_LEASE"] = 3  # renewed every second
    message_id = queued(db)
    until = sender._claim(message_id, utcnow())
    assert claimed_until(db, message_id) == until
    with sender._Renewal(message_id, until):
        wait_until(lambda: claimed_until(db, message_id) > until)
    assert claimed_until(db, message_id) > until  # pushed forward while the sender lives


def test_a_lost_claim_is_not_renewed(app, db):
    app.config["MAIL_CLAIM_LEASE"] = 3
    message_id = queued(db)
    until = sender._claim(message_id, utcnow())
    # The claim lapsed and another worker took it, with its own end.
    theirs = utcnow().replace(microsecond=0) + sender.claim_lease() * 100
    statement = update(OutboxMessage).values(claimed_until=theirs)
    run_in_transaction(lambda: db.session.execute(statement))
    with sender._Renewal(message_id, until) as renewal:
        renewal.thread.join(30)  # it stops at its first renewal, finding the claim not its own
        assert not renewal.thread.is_alive()
    assert claimed_until(db, message_id) == theirs
