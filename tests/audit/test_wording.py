"""The audit log speaks French (and English through the catalogue), never raw keys or codes:
every known action is rendered with sample values of every kind it may record."""

import re
from pathlib import Path

import pytest

from app import audit, labels
from app.audit.description import describe, headline
from app.audit.labels import ACTIONS, EXPORT_STATUS, FIELDS, HEADLINE_VALUES, VALUES
from app.extensions import db as _db
from app.i18n import french_typography as fr
from app.models import AuditEntry
from tests.factories import make_event, make_registration

APP = Path(__file__).resolve().parents[2] / "app"
INSTANTS = {"starts_at", "ends_at", "registration_opens_at", "registration_closes_at"}
NUMBERS = {"capacity", "per_organisation_limit", "waitlist_position", "notified", "rows"}
NUMBERS |= {"after", "resent", "latitude", "longitude"}
FLAGS = {"waitlist_enabled", "over_capacity", "active"}
LISTS = {"promoted", "added", "removed"}
#: Raw codes that are also French words ("en liste d'attente", "badges (PDF)").
EVERYDAY_WORDS = {"en", "fr", "badges"}


def sample(key: str, code=None):
    """A value of the kind `key` records: an instant, a number, a flag, a code or text."""
    if code is not None:
        return code
    if key in INSTANTS:
        return "2031-04-16T12:00:00+00:00"
    if key in NUMBERS:
        return 7
    if key in FLAGS:
        return True
    if key in LISTS:
        return ["Zoé Nguyễn", "Jean-Pierre Dupont"]
    return "Valeur d'exemple"


def samples() -> list[dict]:
    """Every recorded value once with a plain sample, then every code of each coded value."""
    plain = {key: sample(key) for key in FIELDS if key not in VALUES}
    coded = [
        {key: code}
        for key, words in {**VALUES, "status": {**VALUES["status"], **EXPORT_STATUS}}.items()
        for code in words
    ]
    return [plain, *coded]


def raw_codes(values: dict) -> set[str]:
    return {str(value) for key, value in values.items() if key in VALUES} - EVERYDAY_WORDS


def assert_in_words(entry: AuditEntry, values: dict) -> None:
    """No raw key as a label or in the headline, no raw code as a value."""
    said, changes = headline(entry), describe(entry)
    assert said and "_" not in said and "Action sans description" not in said
    for change in changes:
        assert change.label not in FIELDS and "_" not in change.label, change
    for key in FIELDS:
        assert not re.search(rf"\b{key}\b", said), (entry.action, key, said)
    shown = " | ".join([said, *(f"{c.before or ''} {c.after}" for c in changes)])
    assert "None" not in shown
    for code in raw_codes(values):
        assert not re.search(rf"\b{re.escape(code)}\b", shown), (entry.action, code, shown)


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_every_action_reads_in_words_with_any_value(app, action):
    for values in samples():
        created = AuditEntry(action=action, target="Réunion", before=None, after=values)
        changed = AuditEntry(action=action, target="Réunion", before=values, after=values)
        with app.test_request_context():
            assert_in_words(created, values)
            assert_in_words(changed, values)
    # English words may equal a code ("confirmed"): the page test below reads them.


def test_exports_read_as_one_sentence(app):
    entry = AuditEntry(
        action="export.csv", before=None, after={"format": "csv", "status": "confirmed", "rows": 7}
    )
    one = AuditEntry(
        action="export.xlsx", before=None, after={"format": "xlsx", "status": "all", "rows": 1}
    )
    with app.test_request_context():
        assert headline(entry) == fr("Export CSV, 7 lignes, statut : confirmés")
        assert headline(one) == fr("Export Excel, 1 ligne, statut : tous")
        assert describe(entry) == []  # nothing left to list below the sentence
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        assert headline(entry) == "CSV export, 7 rows, status: confirmed"


def recorded_actions() -> set[str]:
    """The actions the application's code records, as literals ("event.create")."""
    families = "|".join({action.split(".")[0] for action in ACTIONS} | {"message", "checkin"})
    literal = re.compile(rf"[\"']((?:{families})\.[a-z_]+)[\"']")
    found = set()
    for path in APP.rglob("*.py"):
        source = path.read_text()
        if "audit" in source:
            found |= set(literal.findall(source))
    return {name for name in found if not name.endswith(".id")}  # ForeignKey("event.id")


def test_every_action_the_code_records_has_words(app):
    actions = recorded_actions() - app.view_functions.keys()  # "registration.ticket" is a page
    assert {"event.create", "registration.erase", "desk.settings"} <= actions
    made_up = {f"export.{f}" for f in ("csv", "xlsx", "pdf", "badges", "json")}
    made_up |= {f"desk.{kind}" for kind in labels.DESK_SENDING}
    assert sorted((actions | made_up) - ACTIONS.keys()) == []
    assert set(HEADLINE_VALUES) <= ACTIONS.keys()


def test_a_value_without_words_is_caught_when_recorded(app):
    with app.test_request_context(), pytest.warns(audit.UnlabelledAuditValue, match="'colour'"):
        audit.record(None, "event.update", target="x", before=None, after={"colour": "red"})
    with app.test_request_context(), pytest.warns(audit.UnlabelledAuditValue, match="door.dance"):
        audit.record(None, "door.dance", target="x", before=None, after=None)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_log_page_shows_no_raw_key_or_code(client, staff, language):
    staff("admin")
    event = make_event(title="Printemps")
    registration = make_registration(event, given_name="Zoé", family_name="Nguyễn")
    plain, *coded = samples()
    for action in sorted(ACTIONS):
        for values in (plain, *coded):
            person = registration if action.startswith("registration.") else None
            _db.session.add(
                AuditEntry(
                    action=action,
                    event=event,
                    registration=person,
                    target="Printemps",
                    before=None,
                    after=values,
                )
            )
    _db.session.commit()
    client.set_cookie("lang", language)
    pages = -(-len(ACTIONS) * len(samples()) // 50)
    body_of_all = ""
    for number in range(1, pages + 1):
        page = client.get("/staff/audit", query_string={"page": number}).text
        body_of_all += page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    # What the reader sees, but the addresses in "who" (admin@…), which are not words.
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<td>[^<]*@[^<]*</td>", "", body_of_all))
    assert text.count("Printemps") >= len(ACTIONS) * len(samples())
    # Each value is listed as "label : value": the label is never a raw key.
    for item in re.findall(r"<li>(.*?)</li>", body_of_all, re.S):
        shown_label = re.sub(r"<[^>]+>", "", item).split(":", 1)[0].strip()
        assert shown_label not in FIELDS and "_" not in shown_label, item
    if language == "fr":  # English words may equal a code ("confirmed")
        codes = {str(code) for values in coded for code in values.values()} - EVERYDAY_WORDS
        for code in codes:
            assert not re.search(rf"\b{re.escape(code)}\b", text), code
