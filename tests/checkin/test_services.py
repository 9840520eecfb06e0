"""The door's rules: what each scan means, exactly once, retries, undo."""

import pytest
from sqlalchemy import select

from app.checkin import services as door
from app.models import Scan, ScanResult
from tests.factories import make_event, make_registration, make_staff

BASE = "http://accueil.test/t/"


@pytest.mark.parametrize(
    ("scanned", "expected"),
    [
        ("AbCdEfGhIjKlMnOpQrStUvWx", "AbCdEfGhIjKlMnOpQrStUvWx"),
        ("  AbCdEfGhIjKlMnOpQrStUvWx\n", "AbCdEfGhIjKlMnOpQrStUvWx"),
        (BASE + "AbCdEfGhIjKlMnOpQrStUvWx", "AbCdEfGhIjKlMnOpQrStUvWx"),
        (BASE + "AbCdEfGhIjKlMnOpQrStUvWx/", "AbCdEfGhIjKlMnOpQrStUvWx"),
        (BASE + "AbCdEfGhIjKlMnOpQrStUvWx?utm=x", "AbCdEfGhIjKlMnOpQrStUvWx"),
        ("https://other.example/t/AbCdEfGhIjKlMnOpQrStUvWx", "AbCdEfGhIjKlMnOpQrStUvWx"),
        ("", None),
        ("court", None),
        ("javascript:alert(1)", None),
        (BASE + "AbCd/../etc", None),
        ("x" * 5000, None),
        ("AbCdEfGhIjKl\x00MnOpQrStUvWx", None),
    ],
)
def test_parse_code(scanned, expected):
    assert door.parse_code(scanned) == expected


@pytest.fixture
def scene(db):
    event = make_event()
    other = make_event(title="Une autre réunion")
    return {
        "event": event,
        "staff": make_staff("checkin"),
        "confirmed": make_registration(event, given_name="Zoé"),
        "cancelled": make_registration(event, status="cancelled"),
        "waitlisted": make_registration(event, status="waitlisted", waitlist_position=1),
        "other": make_registration(other),
    }


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("confirmed", ScanResult.CHECKED_IN),
        ("cancelled", ScanResult.CANCELLED),
        ("waitlisted", ScanResult.WAITLISTED),
        ("other", ScanResult.OTHER_EVENT),
    ],
)
def test_each_kind_of_ticket(scene, who, expected):
    registration = scene[who]
    outcome = door.check_in(scene["event"], BASE + registration.code, actor=scene["staff"])
    assert outcome.result == expected
    assert outcome.registration.id == registration.id
    checked_in = outcome.registration.checked_in_at is not None
    assert checked_in is (expected == ScanResult.CHECKED_IN)


def test_unknown_and_malformed(scene):
    unknown = door.check_in(scene["event"], "A" * 24, actor=scene["staff"])
    malformed = door.check_in(scene["event"], "pas un billet", actor=scene["staff"])
    assert (unknown.result, malformed.result) == (ScanResult.UNKNOWN, ScanResult.MALFORMED)
    assert unknown.registration is None and malformed.registration is None


def test_second_scan_says_already_when_and_by_whom(db, scene):
    code = scene["confirmed"].code
    first = door.check_in(scene["event"], code, actor=scene["staff"])
    second_staff = make_staff("organiser")
    second = door.check_in(scene["event"], code, actor=second_staff)
    assert second.result == ScanResult.ALREADY_CHECKED_IN
    assert second.checked_in_at == first.registration.checked_in_at
    assert second.checked_in_by == "checkin@numerique.gouv.fr"
    scans = db.session.scalars(select(Scan).order_by(Scan.id)).all()
    assert [s.result for s in scans] == ["checked_in", "already_checked_in"]
    assert [s.staff_user_id for s in scans] == [scene["staff"].id, second_staff.id]


def test_a_retried_scan_with_the_same_nonce_is_the_same_scan(db, scene):
    code = scene["confirmed"].code
    first = door.check_in(scene["event"], code, actor=scene["staff"], nonce="n-1")
    again = door.check_in(scene["event"], code, actor=scene["staff"], nonce="n-1")
    assert first.result == again.result == ScanResult.CHECKED_IN
    assert len(db.session.scalars(select(Scan)).all()) == 1


def test_undo_the_last_check_in(db, scene):
    event, staff = scene["event"], scene["staff"]
    door.check_in(event, scene["confirmed"].code, actor=staff)
    undone = door.undo_last(event, actor=staff)
    assert undone.id == scene["confirmed"].id
    db.session.expire_all()
    assert scene["confirmed"].checked_in_at is None
    with pytest.raises(door.NothingToUndo):
        door.undo_last(event, actor=staff)
    # Once undone, the ticket can get in again.
    assert door.check_in(event, scene["confirmed"].code, actor=staff).result == "checked_in"
    results = db.session.scalars(select(Scan.result).order_by(Scan.id)).all()
    assert results == ["checked_in", "undone", "checked_in"]


def test_undo_concerns_only_ones_own_check_ins(db, scene):
    door.check_in(scene["event"], scene["confirmed"].code, actor=scene["staff"])
    with pytest.raises(door.NothingToUndo):
        door.undo_last(scene["event"], actor=make_staff("organiser"))


def test_counts_and_search(db, scene):
    door.check_in(scene["event"], scene["confirmed"].code, actor=scene["staff"])
    assert door.door_counts(scene["event"]) == {"checked_in": 1, "confirmed": 1}
    make_registration(
        scene["event"], given_name="Élodie", family_name="Lefèvre", organisation="DGFiP"
    )
    assert [r.family_name for r in door.search(scene["event"], "elodie LEFEVRE")] == ["Lefèvre"]
    assert [r.family_name for r in door.search(scene["event"], "dgfip")] == ["Lefèvre"]
    assert door.search(scene["event"], "   ") == []


@pytest.mark.parametrize(
    "typed", ["{upper}", "{lower}", "{upper_plain}", "{lower_plain}", " {lower} "]
)
def test_a_typed_short_reference_counts_as_a_scan(scene, db, typed):
    registration, reference = scene["confirmed"], scene["confirmed"].reference
    text = typed.format(
        upper=f"{reference[:4]}-{reference[4:]}",
        lower=f"{reference[:4]}-{reference[4:]}".lower(),
        upper_plain=reference,
        lower_plain=reference.lower(),
    )
    outcome = door.check_in(scene["event"], text, actor=scene["staff"])
    assert (outcome.result, outcome.registration) == (ScanResult.CHECKED_IN, registration)
    again = door.check_in(scene["event"], reference.lower(), actor=scene["staff"])
    assert again.result == ScanResult.ALREADY_CHECKED_IN
    scans = db.session.scalars(select(Scan).order_by(Scan.id)).all()
    assert [s.result for s in scans] == ["checked_in", "already_checked_in"]
    assert scans[0].scanned.strip() == text.strip()


def test_another_events_reference_is_unknown_here(scene):
    other = scene["other"]
    outcome = door.check_in(scene["event"], other.reference.lower(), actor=scene["staff"])
    assert outcome.result == ScanResult.UNKNOWN and outcome.registration is None
