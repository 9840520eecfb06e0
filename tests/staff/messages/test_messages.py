"""Messages by attendance: counts per segment, a preview, one outbox row per recipient, the
audit entry, and one sending per form however often (and however fast) it is posted."""

import threading
import uuid

import pytest
from sqlalchemy import func, select

from app.extensions import db as _db
from app.models import AuditEntry, OutboxMessage, StaffMessage, StaffUser
from app.staff.messages import services
from app.staff.messages.services import Draft
from tests.conftest import csrf_token
from tests.factories import audit_entries, log_in, make_staff

BODY = "Merci d'être venus.\n\nLes supports sont en ligne : <script>alert(1)</script> & co."


def message_form(segment="checked_in", **more) -> dict:
    return {
        "segment": segment,
        "subject": "Les supports de la réunion",
        "body": BODY,
        "submission_key": uuid.uuid4().hex,
        **more,
    }


def post(client, url: str, data: dict):
    token = csrf_token(client.get("/staff/events/reunion-passee/messages/new").text)
    return client.post(url, data={"csrf_token": token, **data})


def send(client, data: dict):
    return post(client, "/staff/events/reunion-passee/messages/send", data)


def test_each_segment_counts_its_recipients_and_those_without_an_address(
    client, organiser, past_event, people
):
    reach = services.segment_reach(past_event)

    assert reach == {
        "confirmed": services.Reach(4, 1),
        "waitlisted": services.Reach(1, 0),
        "checked_in": services.Reach(2, 1),
        "no_show": services.Reach(2, 0),
    }
    page = client.get("/staff/events/reunion-passee/messages/new").text
    assert "Venus (entrée enregistrée) (2\u00a0personnes, 1\u00a0sans adresse)" in page or (
        "Venus (entrée enregistrée) (2 personnes, 1 sans adresse)" in page
    )
    assert "Confirmés mais pas venus (2 personnes)" in page


def test_the_preview_shows_the_count_and_the_message_as_the_first_recipient_reads_it(
    client, organiser, past_event, people, outbox
):
    page = post(client, "/staff/events/reunion-passee/messages/preview", message_form())

    assert page.status_code == 200
    assert "2 destinataires" in page.text
    assert "1 personne de ce groupe n'a pas d'adresse électronique" in page.text
    assert "Bonjour Camille Lefèvre," in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text  # escaped, shown as typed
    assert "Envoyer à 2 personnes" in page.text
    assert outbox() == [] and audit_entries("message.send") == []  # nothing sent yet


def test_sending_writes_one_outbox_row_per_recipient_and_the_audit_entry(
    client, organiser, past_event, people, outbox
):
    response = send(client, message_form("no_show"))

    assert response.status_code == 303
    rows = outbox("message")
    assert sorted(row.registration_id for row in rows) == sorted(
        [people["absent"].id, people["absent_2"].id]
    )
    assert {row.recipient for row in rows} == {people["absent"].email, people["absent_2"].email}
    assert all(row.subject == "Les supports de la réunion" for row in rows)
    [entry] = audit_entries("message.send")
    assert entry.actor_id == organiser.id and entry.event_id == past_event.id
    assert entry.after == {
        "segment": "no_show",
        "subject": "Les supports de la réunion",
        "sent": 2,
        "skipped": 0,
        "certificate": False,
    }
    page = client.get(response.headers["Location"]).text
    assert "Le message part à 2 personnes." in page


def test_a_walk_in_without_an_address_is_skipped_and_counted(
    client, organiser, past_event, people, outbox
):
    response = send(client, message_form("checked_in"))

    assert response.status_code == 303
    assert len(outbox("message")) == 2
    message = _db.session.scalar(select(StaffMessage))
    assert (message.recipients, message.skipped) == (2, 1)
    assert (
        "1 personne sans adresse électronique n'a rien reçu."
        in client.get(response.headers["Location"]).text
    )


def test_a_form_posted_twice_sends_once(client, organiser, past_event, people, outbox):
    form = message_form("confirmed")

    first = send(client, form)
    second = send(client, form)

    assert first.headers["Location"] == second.headers["Location"]
    assert len(outbox("message")) == 4
    assert len(audit_entries("message.send")) == 1
    # A new form (a new key) is a new message.
    send(client, message_form("confirmed"))
    assert len(outbox("message")) == 8


def test_two_simultaneous_posts_of_one_form_send_once(app, db, past_event, people):
    actor_id = make_staff("organiser").id  # read once: the test's session is not shared
    key = uuid.uuid4().hex
    draft = Draft("confirmed", "Les supports", "Merci.")
    barrier = threading.Barrier(4)
    ids, errors = [], []

    def post_it():
        with app.app_context():
            try:
                barrier.wait()
                user = _db.session.get(StaffUser, actor_id)
                ids.append(services.send_message("reunion-passee", draft, key, user).id)
            except Exception as error:  # reported below
                errors.append(error)

    threads = [threading.Thread(target=post_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(ids) == 4 and len(set(ids)) == 1
    _db.session.rollback()  # read after the threads' commits, not from an older snapshot
    assert _db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 4
    assert _db.session.scalar(select(func.count()).select_from(StaffMessage)) == 1
    actions = select(func.count()).where(AuditEntry.action == "message.send")
    assert _db.session.scalar(actions) == 1


def test_fixed_parts_are_in_each_recipients_language_and_the_text_is_escaped(
    client, organiser, past_event, people, outbox
):
    send(client, message_form("checked_in"))

    by_person = {row.registration_id: row for row in outbox("message")}
    french, english = by_person[people["came"].id], by_person[people["came_en"].id]
    assert french.body_text.startswith("Bonjour Camille Lefèvre,\n\nMerci d'être venus.")
    assert english.body_text.startswith("Dear Ada Byron,\n\nMerci d'être venus.")
    assert "Votre inscription (coordonnées" in french.body_text
    assert "Your registration (" in english.body_text
    assert f"/m/{people['came_en'].manage_secret}" in english.body_text
    assert "<script>alert(1)</script> & co." in english.body_text  # plain text, as typed
    assert "<script>" not in english.body_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co." in english.body_html
    assert english.body_html.count("<p>") >= 2  # the blank line made two paragraphs


@pytest.mark.parametrize("role", ["viewer", "checkin"])
def test_viewers_and_door_staff_may_not_write(client, db, past_event, people, role, outbox):
    log_in(client, make_staff(role))

    assert client.get("/staff/events/reunion-passee/messages/new").status_code == 403
    token = csrf_token(client.get("/staff/login").text)
    data = {"csrf_token": token, **message_form()}
    assert client.post("/staff/events/reunion-passee/messages/send", data=data).status_code == 403
    assert outbox() == []


def test_certificates_go_only_to_those_who_came_after_the_event(
    client, organiser, past_event, people, outbox
):
    refused = send(client, message_form("confirmed", with_certificate="y"))

    assert refused.status_code == 422
    assert "aux personnes venues, une fois la réunion terminée" in refused.text
    assert outbox() == []
    assert send(client, message_form("checked_in", with_certificate="y")).status_code == 303
    assert {row.kind for row in outbox()} == {"message_certificate"}


def test_an_empty_segment_is_refused(client, organiser, past_event, outbox):
    page = post(client, "/staff/events/reunion-passee/messages/preview", message_form("waitlisted"))

    assert page.status_code == 422
    assert "Personne à qui écrire dans ce groupe." in page.text


def test_editing_after_the_preview_keeps_what_was_typed(client, organiser, past_event, people):
    form = message_form("no_show")

    page = post(client, "/staff/events/reunion-passee/messages/new", form)

    assert page.status_code == 200
    assert 'value="Les supports de la réunion"' in page.text
    assert f'value="{form["submission_key"]}"' in page.text  # still the same sending
    assert '<input checked id="segment-3" name="segment" required type="radio"' in page.text


def test_the_audit_log_reads_the_sending_in_words(client, admin, past_event, people):
    send(client, message_form("checked_in", with_certificate="y"))

    page = client.get("/staff/audit").text

    assert "Message envoyé aux inscrits" in page
    assert "Venus (entrée enregistrée)" in page and "checked_in" not in page
    assert "Sans adresse électronique" in page and "Attestation jointe" in page
