"""The bytes themselves: CRLF, 75-octet folding that keeps UTF-8 whole, and no ticket code."""

from datetime import UTC, datetime

import pytest

from tests.calendar.objects import (
    BUILDERS,
    TICKET_CODE,
    cancel,
    feed,
    invite,
    make_event,
    make_registration,
    public,
)
from tests.calendar.parsers import PARSERS, read

#: Two-, three- and four-octet characters, a ZWJ sequence, combining accents and line breaks,
#: long enough to be folded many times at every possible offset.
LONG_TEXT = (
    (
        "Réunion d'information « Intelligence artificielle » — où, quand, comment ? "
        "Ça se passe à l'hôtel de Brienne, près de l'École militaire : café, thé, jus. "
        "Prévoyez 10 € pour le vestiaire 🧥, un badge 🎫 et votre pièce d'identité 🪪. "
        "Équipe 👩‍💻👨‍🔬 ; contact : ŒUVRE, Ærø, naïve, Noël, Zoë, e\u0301te\u0301.\n"
    )
    * 6
    + "🇫🇷" * 40
    + "é" * 77
    + "€" * 51
)


def every_output() -> dict[str, bytes]:
    event = make_event(title="Séance 🎓 : " + "é€😀" * 20, description=LONG_TEXT)
    registration = make_registration(given_name="Zoé 😀 Ñúñez" * 6)
    return {
        "invite": invite(event, registration),
        "cancel": cancel(event, registration),
        "public": public(event),
        "feed": feed(event, make_event(slug="autre", status="cancelled")),
    }


@pytest.mark.parametrize("builder", BUILDERS)
def test_lines_end_with_crlf_and_nothing_else(builder):
    data = every_output()[builder]
    assert data.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"\r" not in data.replace(b"\r\n", b"")


@pytest.mark.parametrize("builder", BUILDERS)
def test_lines_are_folded_at_75_octets_without_splitting_a_character(builder):
    data = every_output()[builder]
    lines = data.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    folded = [line for line in lines if line.startswith(b" ")]
    assert len(folded) >= 5
    for line in lines:
        line.decode("utf-8")  # a split character would leave a stray octet at either end
    # The long lines were really cut near the limit, not at some smaller width.
    assert max(len(line) for line in folded) >= 72


@pytest.mark.parametrize("parser", PARSERS)
def test_folded_text_reads_back_exactly(parser):
    event = make_event(title="Séance 🎓 : " + "é€😀" * 20, description=LONG_TEXT)
    parsed = read(parser, public(event))
    [read_back] = parsed.events
    assert read_back.summary == event.title
    assert read_back.description.endswith(LONG_TEXT.strip())


def test_the_output_is_utf8_with_accents_as_such():
    data = invite()
    text = data.decode("utf-8")
    assert "Réunions d'information" in text
    assert 'CN="Zoé Lefèvre-Ñúñez"' in text


@pytest.mark.parametrize("builder", BUILDERS)
def test_the_ticket_code_is_never_in_an_ics(builder):
    data = every_output()[builder]
    unfolded = data.replace(b"\r\n ", b"").lower()
    assert TICKET_CODE.lower().encode() not in unfolded
    assert b"/t/" not in unfolded
    assert b"/cancel" not in unfolded


def test_the_ticket_code_is_not_read_from_the_registration():
    """A registration without a code builds the same invite: the code is never touched."""

    class NoCode:
        id = 42
        given_name = "Zoé"
        family_name = "Lefèvre-Ñúñez"
        email = "zoe.lefevre@interieur.gouv.fr"
        status = "confirmed"

        @property
        def code(self):
            raise AssertionError("the builders read the ticket code")

    event = make_event(starts_at=datetime(2026, 4, 16, 12, 0, tzinfo=UTC))
    assert invite(event, NoCode()) == invite(event, make_registration())
    assert cancel(event, NoCode()) == cancel(event, make_registration())
