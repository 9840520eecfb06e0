"""The CSV file, read back with the csv module as Excel and LibreOffice would read it."""

import csv
import io
from datetime import datetime

import pytest

from app.exports.csv import CHUNK_ROWS, csv_chunks, neutralise
from app.exports.rows import DESK_COLUMNS
from tests.exports.samples import FORMULAS, NAMES, PARIS, people, row

HEADER = [
    "Nom",
    "Prénom",
    "Adresse électronique",
    "Organisation",
    "Fonction",
    "Téléphone",
    "Besoins d'accessibilité",
    "Statut",
    "Position en liste d'attente",
    "Inscrit le",
    "Entrée le",
]


def build(rows, separator=";") -> bytes:
    return b"".join(csv_chunks(rows, separator=separator))


def read(data: bytes, separator=";") -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte order mark"
    text = data[3:].decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True))


@pytest.mark.parametrize("separator", [";", ","])
def test_every_name_in_every_script_survives(separator):
    data = build(people(), separator)

    table = read(data, separator)

    assert table[0] == HEADER
    assert [(line[0], line[1]) for line in table[1:]] == NAMES
    assert table[1][2] == "personne0@numerique.gouv.fr"
    assert table[1][3:8] == ["Ministère de l'Intérieur", "Cheffe de projet", "", "", "Confirmée"]


@pytest.mark.parametrize("separator", [";", ","])
def test_lines_end_in_crlf_and_separators_in_values_are_quoted(separator):
    tricky = row(
        organisation='Direction "Numérique"; Bureau A, B',
        job_title="Chef\nde projet",
    )

    data = build([tricky, row()], separator)

    text = data.decode("utf-8-sig")
    assert text.count("\r\n") == 3
    assert text.replace("\r\n", "").count("\n") == 1, "only the quoted value has a bare LF"
    assert f"Martin{separator}Camille{separator}" in text
    table = read(data, separator)
    assert len(table) == 3
    assert table[1][3] == 'Direction "Numérique"; Bureau A, B'
    assert table[1][4] == "Chef\nde projet"
    assert '"Direction ""Numérique""; Bureau A, B"' in text


def test_semicolon_is_the_default():
    data = b"".join(csv_chunks([row()]))

    assert data.decode("utf-8-sig").startswith("Nom;Prénom;Adresse électronique;")


def test_unknown_separator_is_refused():
    with pytest.raises(ValueError):
        build([row()], "\t")


def test_status_position_and_iso_8601_local_times():
    rows = [
        row(
            status="waitlisted",
            waitlist_position=3,
            registered_at=datetime(2027, 4, 16, 14, 5, tzinfo=PARIS),
        ),
        row(status="cancelled", registered_at=datetime(2027, 1, 2, 9, 0, tzinfo=PARIS)),
        row(
            registered_at=datetime(2027, 3, 1, 8, 0, tzinfo=PARIS),
            checked_in_at=datetime(2027, 4, 16, 13, 52, tzinfo=PARIS),
        ),
    ]

    table = read(build(rows))

    assert [line[7:] for line in table[1:]] == [
        ["En liste d'attente", "3", "2027-04-16 14:05", ""],
        ["Annulée", "", "2027-01-02 09:00", ""],
        ["Confirmée", "", "2027-03-01 08:00", "2027-04-16 13:52"],
    ]


def test_phone_and_accessibility_needs_for_organisers_only_the_desk_s_columns_otherwise():
    person = row(phone="+33 6 12 34 56 78", accessibility_needs="Fauteuil roulant")

    full = read(build([person]))
    desk = read(b"".join(csv_chunks([person], columns=DESK_COLUMNS)))

    assert full[1][5:7] == ["'+33 6 12 34 56 78", "Fauteuil roulant"]
    assert desk[0] == ["Nom", "Prénom", "Organisation", "Statut", "Entrée le"]
    assert desk[1] == ["Martin", "Camille", "Ministère de l'Intérieur", "Confirmée", ""]


def test_ticket_code_is_never_written():
    data = build([row(code="SECRET-ticket-code-0123456789abcdef")])

    assert b"SECRET-ticket-code" not in data


@pytest.mark.parametrize("value", FORMULAS)
def test_formula_like_values_are_neutralised_not_stripped(value):
    rows = [
        row(
            family_name=value,
            given_name=value,
            email=value,
            organisation=value,
            job_title=value,
        )
    ]

    table = read(build(rows))

    assert table[1][:5] == ["'" + value] * 5


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x","clic")', '\'=HYPERLINK("http://x","clic")'),
        ("+33 1 23 45 67 89", "'+33 1 23 45 67 89"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Ministère de l'Intérieur", "Ministère de l'Intérieur"),
        ("Jean-Pierre", "Jean-Pierre"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_rows_stream_in_chunks_as_they_are_read():
    consumed = 0

    def source():
        nonlocal consumed
        for n in range(3 * CHUNK_ROWS):
            consumed += 1
            yield row(f"Nom{n:05d}")

    chunks = csv_chunks(source())
    header = next(chunks)
    first = next(chunks)

    assert header.decode("utf-8-sig").startswith("Nom;Prénom;")
    assert consumed <= CHUNK_ROWS + 1
    assert first.count(b"\r\n") == CHUNK_ROWS
    rest = list(chunks)
    assert consumed == 3 * CHUNK_ROWS
    assert len(read(header + first + b"".join(rest))) == 3 * CHUNK_ROWS + 1


def test_an_empty_list_still_has_its_header():
    assert read(build([])) == [HEADER]
