"""The security desk on the event's pages: its fields on the edit form, what was sent."""

from datetime import UTC, datetime

from app.desk import services as desk
from app.i18n import french_typography as fr
from tests.factories import audit_entries, log_in, make_event, make_registration, make_staff
from tests.staff.events.test_events import FORM

STARTS = datetime(2031, 4, 16, 12, 0, tzinfo=UTC)


def test_the_edit_form_sets_the_desk_addresses_and_cutoff(client, db, post_form, organiser):
    event = make_event(slug=FORM["slug"], starts_at=STARTS, status="draft")
    form = FORM | {
        "desk_recipients": "Securite@Segur.gouv.fr, poste@segur.gouv.fr",
        "desk_cutoff_at": "2031-04-15T17:30",
    }

    response = post_form(f"/staff/events/{event.slug}/edit", form)

    assert response.status_code == 303
    setting = desk.setting(event)
    assert setting.addresses == ["Securite@segur.gouv.fr", "poste@segur.gouv.fr"]
    assert setting.cutoff_at == datetime(2031, 4, 15, 15, 30, tzinfo=UTC)
    [entry] = audit_entries("event.update")
    assert entry.after["desk_recipients"] == "Securite@segur.gouv.fr,poste@segur.gouv.fr"
    page = client.get(f"/staff/events/{event.slug}/edit").text
    assert 'value="Securite@segur.gouv.fr, poste@segur.gouv.fr"' in page
    assert 'value="2031-04-15T17:30"' in page


def test_bad_desk_addresses_are_refused_next_to_the_field(client, db, post_form, organiser):
    event = make_event(slug=FORM["slug"], starts_at=STARTS, status="draft")

    response = post_form(f"/staff/events/{event.slug}/edit", FORM | {"desk_recipients": "x@"})

    assert response.status_code == 422
    assert fr("Indiquez des adresses électroniques séparées par des virgules") in response.text
    assert desk.setting(event) is None


def test_the_event_page_shows_what_was_sent_and_offers_to_send_again(client, db, post_form):
    event = make_event(starts_at=STARTS)
    make_registration(event, family_name="Nguyễn")
    desk.set_desk(event.slug, ["securite@segur.gouv.fr"], None, None)
    viewer = make_staff("viewer")
    log_in(client, viewer)
    page = client.get(f"/staff/events/{event.slug}").text
    assert "Rien n'a encore été envoyé." in page
    assert fr("mercredi 15 avril 2031 à 12 h") in page or "15 avril 2031" in page

    [sending] = desk.send_due(now=datetime(2031, 4, 15, 10, 0, tzinfo=UTC))
    page = client.get(f"/staff/events/{event.slug}").text
    assert "Liste des personnes attendues" in page and "securite@segur.gouv.fr" in page
    assert "Envoyer à nouveau" not in page, "viewers do not send"

    log_in(client, make_staff("organiser"))
    url = f"/staff/events/{event.slug}/desk/{sending.id}/resend"
    assert "Envoyer à nouveau" in client.get(f"/staff/events/{event.slug}").text
    response = post_form(url, {}, page=f"/staff/events/{event.slug}")
    assert response.status_code == 303
    assert [e.action for e in audit_entries() if e.action.startswith("desk.")][-1] == "desk.resend"
    assert "Nouvel envoi" in client.get(f"/staff/events/{event.slug}").text
    log_in(client, viewer)
    assert client.post(url).status_code in (400, 403)
