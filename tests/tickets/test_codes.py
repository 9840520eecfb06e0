"""Ticket codes and short references: their shape, and reading a typed reference back."""

import pytest

from app.tickets.codes import (
    REFERENCE_ALPHABET,
    looks_like_code,
    new_code,
    new_reference,
    parse_reference,
)


def test_new_reference_has_eight_symbols_without_look_alikes():
    for _ in range(200):
        reference = new_reference()
        assert len(reference) == 8 and set(reference) <= set(REFERENCE_ALPHABET)
    assert not set("0O1IL2Z5S8BUVDQ") & set(REFERENCE_ALPHABET)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("K7MC-4XRA", "K7MC4XRA"),
        ("K7MC4XRA", "K7MC4XRA"),
        ("k7mc4xra", "K7MC4XRA"),
        ("k7mc-4xra", "K7MC4XRA"),
        ("  k7mc 4xra\n", "K7MC4XRA"),
        ("K7MC\u20104XRA", "K7MC4XRA"),  # a phone's keyboard may type a real hyphen
        ("K7MC\u20134XRA", "K7MC4XRA"),  # or an en dash
        ("K7MC-4XR", None),
        ("K7MC-4XRAA", None),
        ("K0MC-4XRA", None),  # 0 is not in the alphabet
        ("ABCD-EFGH", None),  # B and D are not either
        ("", None),
        ("K7MC/4XRA", None),
        (new_code(), None),
    ],
)
def test_parse_reference(typed, expected):
    assert parse_reference(typed) == expected


def test_a_reference_is_never_taken_for_a_ticket_code():
    assert not looks_like_code("K7MC4XRA") and not looks_like_code("K7MC-4XRA")
