"""The streaming query: name order, status filters, local times, plain rows."""

import io
import random
from collections.abc import Iterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from app.exports.csv import csv_chunks
from app.exports.pdf import sign_in_sheet_pdf
from app.exports.rows import AttendeeRow
from app.exports.services import (
    UnknownStatusFilter,
    attendee_count,
    attendee_rows,
    event_heading,
    export_filename,
)
from app.models import Registration
from tests.exports.samples import NAMES
from tests.factories import make_event, make_registration


def names(rows) -> list[tuple[str, str]]:
    return [(row.family_name, row.given_name) for row in rows]


@pytest.fixture
def event(db):
    return make_event(slug="reunion-ami-ia")


@pytest.fixture
def crowd(event):
    """Register NAMES in a shuffled order, with a mix of statuses."""
    order = list(enumerate(NAMES))
    random.Random(3).shuffle(order)
    for n, (family, given) in order:
        status = ("confirmed", "waitlisted", "cancelled")[n % 3]
        make_registration(
            event,
            family_name=family,
            given_name=given,
            email=f"personne{n}@numerique.gouv.fr",
            status=status,
            waitlist_position=n if status == "waitlisted" else None,
            checked_in_at=datetime(2027, 4, 16, 12, n, tzinfo=UTC) if n in (0, 3) else None,
        )
    return event


def test_rows_come_in_name_order_ignoring_case_and_accents(crowd):
    assert names(attendee_rows(crowd)) == NAMES


def test_small_batches_read_every_row(crowd):
    assert names(attendee_rows(crowd, batch_size=2)) == NAMES


@pytest.mark.parametrize(
    ("status", "indexes"),
    [
        ("confirmed", {0, 3, 6, 9, 12}),
        ("waitlisted", {1, 4, 7, 10, 13}),
        ("cancelled", {2, 5, 8, 11, 14}),
        ("checked_in", {0, 3}),
        (None, set(range(15))),
    ],
)
def test_status_filter(crowd, status, indexes):
    expected = [name for n, name in enumerate(NAMES) if n in indexes]

    rows = list(attendee_rows(crowd, status))

    assert names(rows) == expected
    assert attendee_count(crowd, status) == len(expected)
    if status in ("confirmed", "waitlisted", "cancelled"):
        assert {row.status for row in rows} == {status}


def test_unknown_status_is_refused_before_reading(event):
    with pytest.raises(UnknownStatusFilter) as raised:
        attendee_rows(event, "present")

    assert raised.value.code == "unknown_status_filter"
    with pytest.raises(UnknownStatusFilter):
        attendee_count(event, "CONFIRMED")


def test_rows_are_plain_and_streamed(crowd):
    rows = attendee_rows(crowd, "waitlisted")

    assert isinstance(rows, Iterator)
    first = next(rows)
    assert type(first) is AttendeeRow
    assert not isinstance(first, Registration)
    assert first.waitlist_position == 1 and first.family_name == "Ebert"
    rows.close()


def test_other_events_are_left_out(crowd):
    other = make_event()
    make_registration(other, family_name="Ailleurs")

    assert [row.family_name for row in attendee_rows(other)] == ["Ailleurs"]
    assert "Ailleurs" not in {row.family_name for row in attendee_rows(crowd)}


@pytest.mark.parametrize(
    ("zone", "registered", "checked_in"),
    [
        ("Europe/Paris", datetime(2027, 4, 1, 10, 5), datetime(2027, 4, 16, 13, 52)),
        ("Pacific/Noumea", datetime(2027, 4, 1, 19, 5), datetime(2027, 4, 16, 22, 52)),
        ("America/Cayenne", datetime(2027, 4, 1, 5, 5), datetime(2027, 4, 16, 8, 52)),
    ],
)
def test_instants_are_in_the_event_time_zone(db, zone, registered, checked_in):
    event = make_event(timezone=zone)
    make_registration(
        event,
        code="ticket-code-for-the-json-export-00000",
        family_name="Lefèvre",
        given_name="Élodie",
        email="elodie.lefevre@culture.gouv.fr",
        organisation="Ministère de la Culture",
        job_title="Cheffe de bureau",
        created_at=datetime(2027, 4, 1, 8, 5, tzinfo=UTC),
        checked_in_at=datetime(2027, 4, 16, 11, 52, tzinfo=UTC),
    )

    (row,) = attendee_rows(event)

    assert row == AttendeeRow(
        code="ticket-code-for-the-json-export-00000",
        family_name="Lefèvre",
        given_name="Élodie",
        email="elodie.lefevre@culture.gouv.fr",
        organisation="Ministère de la Culture",
        job_title="Cheffe de bureau",
        phone=None,
        accessibility_needs=None,
        status="confirmed",
        waitlist_position=None,
        registered_at=registered.replace(tzinfo=ZoneInfo(zone)),
        checked_in_at=checked_in.replace(tzinfo=ZoneInfo(zone)),
    )
    assert row.registered_at.tzinfo == ZoneInfo(zone)
    assert row.registered_at.replace(tzinfo=None) == registered


def test_csv_and_sign_in_sheet_from_the_database(crowd):
    text = b"".join(csv_chunks(attendee_rows(crowd))).decode("utf-8-sig")
    pdf = sign_in_sheet_pdf(event_heading(crowd), attendee_rows(crowd, "confirmed"))

    lines = text.split("\r\n")
    assert [line.split(";")[0] for line in lines[1:-1]] == [family for family, _ in NAMES]
    sheet = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Réunion d'information AMI IA" in sheet
    assert "Nguyễn" in sheet and "Παπαδόπουλος" not in sheet


@pytest.mark.parametrize(
    ("content", "extension", "name"),
    [
        ("confirmed", "csv", "reunion-ami-ia-2027-04-16-confirmes.csv"),
        ("all", "xlsx", "reunion-ami-ia-2027-04-16-tous.xlsx"),
        ("waitlisted", "csv", "reunion-ami-ia-2027-04-16-liste-attente.csv"),
        ("cancelled", "csv", "reunion-ami-ia-2027-04-16-annules.csv"),
        ("checked_in", "csv", "reunion-ami-ia-2027-04-16-entres.csv"),
        ("sign_in_sheet", "pdf", "reunion-ami-ia-2027-04-16-emargement.pdf"),
        ("badges", "pdf", "reunion-ami-ia-2027-04-16-badges.pdf"),
    ],
)
def test_file_names_say_what_they_hold(event, content, extension, name):
    day = datetime(2027, 4, 16).date()

    assert export_filename(event, content, extension, day) == name
