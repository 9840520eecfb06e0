"""How stored text and instants are written into pages."""

from datetime import UTC, datetime

import pytest

from app.formats import html_datetime, normalise_newlines, paragraphs, spaced_reference


@pytest.mark.parametrize(
    "text",
    [
        "Un.\n\nDeux.",
        "Un.\r\n\r\nDeux.",
        "Un.\r\rDeux.",
        "Un.\u2029\u2029Deux.",
        "  Un.\r\n  \r\n\r\nDeux.  ",
    ],
    ids=["unix", "windows", "old-mac", "unicode", "blank-lines-with-spaces"],
)
def test_paragraphs_whatever_the_line_endings(text):
    assert paragraphs(text) == "<p>Un.</p><p>Deux.</p>"


def test_a_single_line_break_stays_inside_its_paragraph_and_html_is_escaped():
    assert paragraphs("<b>Un</b>\r\ndeux") == "<p>&lt;b&gt;Un&lt;/b&gt;<br>\ndeux</p>"
    assert paragraphs("") == "" and paragraphs(None) == ""
    assert normalise_newlines("a\r\nb\rc") == "a\nb\nc" and normalise_newlines(None) is None


def test_datetime_attributes_have_at_most_three_fractional_digits():
    # HTML's valid global date and time string: the Nu checker refuses microseconds.
    moment = datetime(2026, 4, 16, 12, 0, 5, 123456, tzinfo=UTC)
    assert html_datetime(moment) == "2026-04-16T12:00:05.123+00:00"
    assert html_datetime(moment.replace(microsecond=0)) == "2026-04-16T12:00:05+00:00"


def test_references_read_in_two_groups_of_four():
    assert spaced_reference("K7MC4XRA") == "K7MC-4XRA"
    assert spaced_reference(None) == ""
