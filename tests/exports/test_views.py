"""Export routes: who may export, what comes out, and the audit trail of each export."""

import csv
import io
from urllib.parse import urlsplit

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.models import utcnow
from tests.factories import audit_entries, log_in, make_event, make_registration, make_staff

FORMATS = ["attendees.csv", "attendees.xlsx", "sign-in-sheet.pdf", "badges.pdf"]
#: What each download's file name ends with: what it holds.
FILE_NAMES = {
    "attendees.csv": "confirmes.csv",
    "attendees.xlsx": "confirmes.xlsx",
    "sign-in-sheet.pdf": "emargement.pdf",
    "badges.pdf": "badges.pdf",
}


@pytest.fixture
def event(db):
    event = make_event(slug="reunion-ami-ia")
    make_registration(
        event, family_name="Œuvray", given_name="Zoé", organisation='=HYPERLINK("http://x","clic")'
    )
    make_registration(event, family_name="Łukasiewicz", given_name="Jan")
    make_registration(event, family_name="Annulé", status="cancelled")
    return event


@pytest.mark.parametrize("role", ["viewer", "organiser", "admin"])
@pytest.mark.parametrize("name", FORMATS)
def test_exporting_roles_can_export(client, event, role, name):
    log_in(client, make_staff(role))
    response = client.get(f"/staff/events/{event.slug}/{name}")
    assert response.status_code == 200 and response.data
    assert response.headers["Cache-Control"] == "no-store"
    today = utcnow().astimezone(event.tz).date().isoformat()
    expected = f'attachment; filename="reunion-ami-ia-{today}-{FILE_NAMES[name]}"'
    assert response.headers["Content-Disposition"] == expected


@pytest.mark.parametrize("name", FORMATS)
def test_door_staff_and_anonymous_cannot_export(app, client, event, name):
    assert app.test_client().get(f"/staff/events/{event.slug}/{name}").status_code == 302
    log_in(client, make_staff("checkin"))
    assert client.get(f"/staff/events/{event.slug}/{name}").status_code == 403
    assert audit_entries() == []


def test_csv_reads_back_with_the_csv_module(client, event):
    log_in(client, make_staff("viewer"))
    response = client.get(f"/staff/events/{event.slug}/attendees.csv?status=confirmed")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    raw = response.data
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0][:2] == ["Nom", "Prénom"]
    assert sorted(r[0] for r in rows[1:]) == ["Łukasiewicz", "Œuvray"]
    organisation = next(r[2] for r in rows[1:] if r[0] == "Œuvray")  # a viewer's columns
    assert organisation.startswith("'=HYPERLINK")
    comma = client.get(f"/staff/events/{event.slug}/attendees.csv?sep=,").data.decode("utf-8-sig")
    assert comma.splitlines()[0].startswith("Nom,Prénom,")
    assert client.get(f"/staff/events/{event.slug}/attendees.csv?sep=|").status_code == 400
    assert client.get(f"/staff/events/{event.slug}/attendees.csv?status=x").status_code == 400


def test_xlsx_and_pdf_open_in_real_readers(client, event):
    log_in(client, make_staff("organiser"))
    xlsx = client.get(f"/staff/events/{event.slug}/attendees.xlsx").data
    sheet = load_workbook(io.BytesIO(xlsx)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Nom" and len(values) == 3  # the cancelled person is not expected
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    pdf = PdfReader(io.BytesIO(client.get(f"/staff/events/{event.slug}/sign-in-sheet.pdf").data))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "Łukasiewicz" in text and "Œuvray" in text and "Annulé" not in text
    assert text.index("Łukasiewicz") < text.index("Œuvray")


def test_every_export_is_audited(client, event):
    viewer = make_staff("viewer")
    log_in(client, viewer)
    client.get(f"/staff/events/{event.slug}/attendees.csv?status=confirmed")
    client.get(f"/staff/events/{event.slug}/attendees.xlsx")
    client.get(f"/staff/events/{event.slug}/sign-in-sheet.pdf")
    entries = audit_entries()
    assert [e.action for e in entries] == ["export.csv", "export.xlsx", "export.pdf"]
    assert {e.actor_id for e in entries} == {viewer.id}
    assert {e.event_id for e in entries} == {event.id}
    assert [e.after["rows"] for e in entries] == [2, 2, 2]
    assert entries[0].after["status"] == "confirmed"


def test_json_export_pages_with_a_next_link(client, event):
    log_in(client, make_staff("viewer"))
    url = f"/api/v1/events/{event.slug}/registrations?limit=2"
    first = client.get(url).json
    assert [r["family_name"] for r in first["registrations"]] == ["Œuvray", "Łukasiewicz"]
    assert set(first["registrations"][0]) == {
        "id",
        "code",
        "reference",
        "given_name",
        "family_name",
        "email",
        "organisation",
        "job_title",
        "status",
        "waitlist_position",
        "registered_at",
        "checked_in_at",
        "checked_in_by",
        "conflict",
    }  # a viewer's fields: no phone, no accessibility needs
    assert first["next"].startswith("http://accueil.test/api/v1/")  # from BASE_URL
    second = client.get(urlsplit(first["next"])._replace(scheme="", netloc="").geturl()).json
    assert [r["status"] for r in second["registrations"]] == ["cancelled"]
    assert second["next"] is None
    confirmed = client.get(f"/api/v1/events/{event.slug}/registrations?status=confirmed").json
    assert len(confirmed["registrations"]) == 2
    assert client.get(f"/api/v1/events/{event.slug}/registrations?limit=0").status_code == 400
    assert [e.after["rows"] for e in audit_entries("export.json")] == [2, 1, 2]


def test_json_export_refuses_door_staff(client, event):
    log_in(client, make_staff("checkin"))
    assert client.get(f"/api/v1/events/{event.slug}/registrations").status_code == 403


def test_default_lists_hold_the_people_expected_other_statuses_through_the_filter(client, event):
    make_registration(event, family_name="Venue", checked_in_at=utcnow())
    make_registration(event, family_name="Attente", status="waitlisted", waitlist_position=1)
    log_in(client, make_staff("organiser"))

    def families(query: str = "") -> list[str]:
        response = client.get(f"/staff/events/{event.slug}/attendees.csv{query}")
        rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
        return sorted(r[0] for r in rows[1:])

    assert families() == ["Venue", "Łukasiewicz", "Œuvray"]
    assert families("?status=waitlisted") == ["Attente"]
    assert families("?status=cancelled") == ["Annulé"]
    assert families("?status=checked_in") == ["Venue"]
    assert len(families("?status=all")) == 5
    name = client.get(f"/staff/events/{event.slug}/attendees.csv?status=all").headers[
        "Content-Disposition"
    ]
    assert name.endswith('-tous.csv"')


@pytest.mark.parametrize(
    ("role", "header"),
    [
        ("viewer", ["Nom", "Prénom", "Organisation", "Statut", "Entrée le"]),
        ("organiser", None),
        ("admin", None),
    ],
)
def test_columns_per_role(client, event, role, header):
    make_registration(
        event, family_name="Besoins", phone="+33 6 12 34 56 78", accessibility_needs="Boucle"
    )
    log_in(client, make_staff(role))

    for name in ("attendees.csv", "attendees.xlsx"):
        data = client.get(f"/staff/events/{event.slug}/{name}").data
        if name.endswith(".csv"):
            rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
        else:
            sheet = load_workbook(io.BytesIO(data)).active
            rows = [
                ["" if c is None else str(c) for c in r] for r in sheet.iter_rows(values_only=True)
            ]
        text = "\n".join(";".join(r) for r in rows)
        if header:
            assert rows[0] == header
            assert "+33 6" not in text and "Boucle" not in text and "@" not in text
        else:
            assert {"Téléphone", "Besoins d'accessibilité", "Adresse électronique"} <= set(rows[0])
            assert "+33 6 12 34 56 78" in text and "Boucle" in text
