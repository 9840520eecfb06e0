"""The sign-in sheet and the badges, read back with a PDF text extractor (pypdf)."""

import io
import random
import re
import unicodedata
from datetime import UTC, datetime

from pypdf import PdfReader

from app.exports.pdf import badges_pdf, sign_in_sheet_pdf
from app.exports.services import event_heading
from app.models import Event
from tests.exports.samples import HEADING, NAMES, people, row


def pages_text(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    return [unicodedata.normalize("NFC", page.extract_text()) for page in reader.pages]


def shuffled(rows: list) -> list:
    rows = list(rows)
    random.Random(7).shuffle(rows)
    return rows


def test_every_name_in_every_script_in_name_order():
    text = "\n".join(pages_text(sign_in_sheet_pdf(HEADING, shuffled(people()))))

    positions = []
    for family, given in NAMES:
        assert family in text and given in text, (family, given)
        positions.append(text.index(f"{family}\n{given}"))
    assert positions == sorted(positions)


def test_header_says_what_where_and_when():
    first = pages_text(sign_in_sheet_pdf(HEADING, people()))[0]

    assert first.startswith("Réunion d'information AMI IA\n")
    assert "vendredi 16 avril 2027, de 14 h à 16 h" in first
    assert "20 avenue de Ségur, 75007 Paris" in first
    assert f"Feuille d'émargement : {len(NAMES)} participants confirmés" in first


def test_heading_comes_from_the_event_in_its_own_time_zone():
    event = Event(
        title="Atelier IA",
        starts_at=datetime(2027, 4, 16, 3, 0, tzinfo=UTC),
        ends_at=datetime(2027, 4, 16, 5, 30, tzinfo=UTC),
        timezone="Pacific/Noumea",
        venue_name="Haut-commissariat",
        street="1 avenue du Maréchal Foch",
        postcode="98800",
        city="Nouméa",
    )

    heading = event_heading(event)

    assert heading.title == "Atelier IA"
    assert heading.dates == "vendredi 16 avril 2027, de 14 h à 16 h 30"
    assert heading.place == "Haut-commissariat, 1 avenue du Maréchal Foch, 98800 Nouméa"


def test_many_pages_repeat_the_header_and_say_page_n_of_n():
    rows = [row(f"Nom{n:03d}", "Camille") for n in range(1, 121)]

    data = sign_in_sheet_pdf(HEADING, shuffled(rows))

    pages = pages_text(data)
    total = len(pages)
    assert total >= 4
    for number, text in enumerate(pages, start=1):
        assert f"page {number} / {total}" in text
        assert re.search(r"N°\nNom\nPrénom\nOrganisation\nSignature\n", text), number
    everything = "\n".join(pages)
    found = [int(n) for n in re.findall(r"\nNom(\d{3})\n", everything)]
    assert found == list(range(1, 121))
    assert "\n120\nNom120\n" in pages[-1]


def test_unicode_font_is_embedded():
    reader = PdfReader(io.BytesIO(sign_in_sheet_pdf(HEADING, people())))

    for page in reader.pages:
        fonts = [font.get_object() for font in page["/Resources"]["/Font"].values()]
        assert fonts
        for font in fonts:
            assert font["/BaseFont"].endswith("+NotoSans-Regular"), font["/BaseFont"]
            assert "/FontFile2" in font["/FontDescriptor"].get_object(), "not embedded"


def test_markup_in_names_is_printed_as_typed():
    text = pages_text(sign_in_sheet_pdf(HEADING, [row(organisation="<b>R&D</b> & co")]))[0]

    assert "<b>R&D</b> & co" in text


def test_decomposed_accents_are_composed():
    decomposed = unicodedata.normalize("NFD", "Nguyễn")

    text = pages_text(sign_in_sheet_pdf(HEADING, [row(decomposed, "Khai")]))[0]

    assert "Nguyễn" in text


def test_an_empty_list_still_prints_the_header():
    pages = pages_text(sign_in_sheet_pdf(HEADING, []))

    assert len(pages) == 1
    assert "Feuille d'émargement : 0 participant" in pages[0]
    assert "page 1 / 1" in pages[0]


def test_one_attendee_is_singular():
    first = pages_text(sign_in_sheet_pdf(HEADING, [row()]))[0]

    assert "Feuille d'émargement : 1 participant confirmé\n" in first


def test_badges_ten_per_page_in_name_order():
    rows = shuffled(people())

    pages = pages_text(badges_pdf(HEADING, rows))

    assert len(pages) == 2
    text = "\n".join(pages)
    positions = []
    for family, given in NAMES:
        assert family in text and given in text, (family, given)
        positions.append(re.search(rf"{re.escape(given)}\n\s*{re.escape(family)}\n", text).start())
    assert positions == sorted(positions)
