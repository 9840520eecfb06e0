"""The attendance certificate from the registrant's management page: read back from the PDF;
refused before the end and to those who did not come, with a sentence that says why."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.exports.pdftools import pdftotext
from tests.factories import make_event, make_registration


@pytest.fixture
def ended(db):
    starts = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=4)
    return make_event(
        slug="reunion-terminee", starts_at=starts, ends_at=starts + timedelta(hours=1, minutes=30)
    )


def came(event, **more):
    return make_registration(
        event,
        given_name="Camille",
        family_name="Lefèvre",
        organisation="Direction interministérielle du numérique",
        checked_in_at=event.starts_at + timedelta(minutes=3),
        **more,
    )


def test_the_certificate_reads_back_with_name_organisation_event_date_duration_organiser(
    client, ended
):
    registration = came(ended)

    page = client.get(f"/m/{registration.manage_secret}")
    assert "Télécharger l'attestation de présence (PDF)" in page.text.replace("&#39;", "'")
    response = client.get(f"/m/{registration.manage_secret}/attestation.pdf")

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attestation-presence-reunion-terminee-" in response.headers["Content-Disposition"]
    text = " ".join(pdftotext(response.data).split())
    for expected in (
        "Attestation de présence",
        "Camille Lefèvre",
        "Direction interministérielle du numérique",
        "Réunion d'information AMI IA",
        ended.local_start.strftime("%Y"),
        "Durée : 1 h 30",
        "Pour les organisateurs : DINSIC et DITP",
        "Délivrée par : Réunions d'information",
    ):
        assert expected in text, (expected, text)


def test_an_english_registrant_gets_it_in_english(client, ended):
    registration = came(ended, locale="en")

    text = " ".join(
        pdftotext(client.get(f"/m/{registration.manage_secret}/attestation.pdf").data).split()
    )

    assert "Certificate of attendance" in text and "Duration: 1 h 30" in text


def test_refused_before_the_end_of_the_event(client, db):
    running = make_event(starts_at=datetime.now(UTC) - timedelta(minutes=30))
    registration = came(running)

    response = client.get(f"/m/{registration.manage_secret}/attestation.pdf")

    assert response.status_code == 403
    assert "disponible à la fin de la réunion" in response.text
    page = client.get(f"/m/{registration.manage_secret}").text
    assert "sera disponible ici à la fin de la réunion" in page
    assert "attestation.pdf" not in page


def test_refused_to_those_who_did_not_come(client, ended):
    registration = make_registration(ended)

    response = client.get(f"/m/{registration.manage_secret}/attestation.pdf")

    assert response.status_code == 403
    assert "Aucune entrée n&#39;a été enregistrée à votre nom" in response.text
    assert "attestation" not in client.get(f"/m/{registration.manage_secret}").text.lower()


def test_an_unknown_secret_is_not_found(client, db):
    assert client.get(f"/m/{'x' * 24}/attestation.pdf").status_code == 404
