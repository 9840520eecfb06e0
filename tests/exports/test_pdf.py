"""The sign-in sheet, the badges and the certificate, read back with poppler and qpdf.

Text comes back through pdftotext (NFKC; right-to-left names in either direction), badges are
rendered with pdftoppm to check that no name area is blank.
"""

import dataclasses
import logging
import random
import re
import unicodedata
from datetime import UTC, datetime

import pytest

from app.exports import pdf, typeset
from app.exports.fonts import REPLACEMENT, MissingGlyphWarning
from app.exports.pdf import badges_pdf, certificate_pdf, sign_in_sheet_pdf
from app.exports.pdfdoc import A4
from app.exports.services import event_heading
from app.models import Event
from tests.exports.pdftools import check, compact, fonts, pages, pdftotext, reads_back, render
from tests.exports.samples import HEADING, NAMES, people, row

#: (script, family name, given name, organisation): one registrant per script we print.
SCRIPTS = [
    ("Polish", "Żółć-Brzęczyszczykiewicz", "Grzegorz", "Ambasada RP w Paryżu"),
    ("Vietnamese", "Nguyễn", "Thị Minh Khai", "Đại sứ quán Việt Nam"),
    ("Greek", "Παπαδόπουλος", "Γιώργος", "Πρεσβεία της Ελλάδας"),
    ("Cyrillic", "Иванова", "Анна", "Посольство Болгарии"),
    ("Arabic", "عبد الله", "محمد", "سفارة الإمارات"),
    ("Hebrew", "כהן", "דוד", "שגרירות ישראל"),
    ("Chinese", "王", "小明", "中国大使馆"),
    ("Japanese", "山田", "たろう", "日本大使館"),
    ("Korean", "김", "민준", "대한민국 대사관"),
    ("Devanagari", "शर्मा", "अमित", "भारतीय दूतावास"),
]


def registrants() -> list:
    return [
        row(family, given, organisation=organisation, email=f"p{n}@example.org")
        for n, (_script, family, given, organisation) in enumerate(SCRIPTS)
    ]


def shuffled(rows: list) -> list:
    rows = list(rows)
    random.Random(7).shuffle(rows)
    return rows


@pytest.mark.parametrize(("script", "family", "given", "organisation"), SCRIPTS)
def test_every_script_reads_back_from_the_sheet_and_the_badges(script, family, given, organisation):
    person = [row(family, given, organisation=organisation)]

    for data in (sign_in_sheet_pdf(HEADING, person), badges_pdf(HEADING, person)):
        text = pdftotext(data)
        for value in (family, given, organisation):
            assert reads_back(value, text), (script, value, text)
        assert REPLACEMENT not in text


@pytest.mark.parametrize(("script", "family", "given", "organisation"), SCRIPTS)
def test_every_script_reads_back_from_the_certificate(script, family, given, organisation):
    data = certificate_pdf(
        HEADING, row(family, given, organisation=organisation), organiser="DINSIC", duration="2 h"
    )

    text = pdftotext(data)
    assert reads_back(f"{given} {family}", text), (script, text)
    assert reads_back(organisation, text)
    assert "Attestation de présence" in text and "Réunion d'information AMI IA" in text


def test_every_font_is_embedded_as_a_subset_with_a_unicode_map():
    data = sign_in_sheet_pdf(HEADING, registrants())

    table = fonts(data)
    names = {line[0].split("+")[1] for line in table}
    assert {"NotoSans-Regular", "NotoSansArabic-Regular", "NotoSansHebrew-Regular"} <= names
    assert "NotoSansCJKsc-Regular" in names  # Noto Sans itself draws Devanagari
    for line in table:
        assert line[-5:-2] == ["yes", "yes", "yes"], line  # embedded, subset, ToUnicode
    check(data)
    check(badges_pdf(HEADING, registrants()))


def test_badges_never_leave_a_name_area_blank():
    rows = registrants() + [row("Martin", "Camille")]

    data = badges_pdf(HEADING, rows)

    top, bottom = pdf.NAME_AREA
    for index in range(len(rows)):
        page, slot = divmod(index, 10)
        if slot == 0:
            image = render(data, page + 1)
        x = pdf.BADGE_LEFT + (slot % 2) * pdf.BADGE_WIDTH
        y = (A4[1] - pdf.BADGE_TOP) + (slot // 2) * pdf.BADGE_HEIGHT  # from the page's top
        area = image.crop((int(x + 5), int(y + top), int(x + pdf.BADGE_WIDTH - 5), int(y + bottom)))
        dark = sum(area.histogram()[:128])
        assert dark > 30, f"badge {index} ({rows[index].family_name}) has a blank name area"


def test_long_names_wrap_at_hyphens_and_spaces_never_mid_word():
    inner = pdf.SIGN_IN_WIDTHS[1] - 2 * pdf.PAD_X

    lines = typeset.wrap("Żółć-Brzęczyszczykiewicz", pdf.CELL_SIZE, inner)

    assert [line.text for line in lines] == ["Żółć-", "Brzęczyszczykiewicz"]
    organisation = "Direction interministérielle de la transformation publique"
    lines = typeset.wrap(organisation, pdf.CELL_SIZE, pdf.SIGN_IN_WIDTHS[3] - 2 * pdf.PAD_X)
    assert len(lines) > 1
    assert " ".join(line.text for line in lines) == organisation
    text = pdftotext(sign_in_sheet_pdf(HEADING, [row("Żółć-Brzęczyszczykiewicz", "Jan")]))
    assert "Żółć" in text and "Brzęczyszczykiewicz" in text
    assert "Brzęczyszczykie\n" not in text


def test_badges_shrink_to_fit_and_never_cut_a_word():
    title = (
        "Réunion d'information sur l'appel à manifestation d'intérêt pour l'intelligence "
        "artificielle dans l'administration, session de printemps"
    )
    heading = dataclasses.replace(HEADING, title=title)
    person = row("Brzęczyszczykiewicz-Żółtowska", "Marie-Amélie-Françoise", organisation=title)

    text = pdftotext(badges_pdf(heading, [person]))

    for word in re.split(r"[\s\-]+", title + " " + person.family_name):
        assert re.search(rf"(^|[\s\-]){re.escape(word)}($|[\s\-])", text, re.M), word
    assert "…" not in text
    width = pdf.BADGE_WIDTH - 2 * pdf.BADGE_PAD
    assert typeset.fit(title, 10, width, 2, 6) < 10
    word = "Wojciechowska" * 4
    assert typeset.widest_word(word) * typeset.fit(word, 16, width, 1, 8) <= width


def test_a_character_no_font_has_fails_loudly():
    with pytest.raises(MissingGlyphWarning, match=r"U\+E000"):
        sign_in_sheet_pdf(HEADING, [row("Martin\ue000x", "Camille")])


def test_in_production_it_is_logged_and_printed_as_a_replacement_mark(caplog):
    caplog.set_level(logging.WARNING, "app.exports.typeset")

    with pytest.warns(MissingGlyphWarning):
        data = sign_in_sheet_pdf(HEADING, [row("Martin\ue001y", "Camille")])

    assert "Martin\ufffdy" in pdftotext(data)
    assert "U+E001" in caplog.text


def test_names_come_in_name_order_whatever_the_order_given():
    text = pdftotext(sign_in_sheet_pdf(HEADING, shuffled(people())))

    positions = []
    for family, given in NAMES:
        match = re.search(rf"\d+ {re.escape(family)} {re.escape(given)} ", text)
        assert match, (family, given, text)
        positions.append(match.start())
    assert positions == sorted(positions)


def test_header_says_what_where_and_when():
    first = pages(sign_in_sheet_pdf(HEADING, people()))[0]

    assert first.startswith("Réunion d'information AMI IA\n")
    assert "vendredi 16 avril 2027, de 14 h à 16 h" in first
    assert "20 avenue de Ségur, 75007 Paris" in first
    assert compact(f"Feuille d'émargement : {len(NAMES)} participants confirmés") in compact(first)


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

    texts = pages(sign_in_sheet_pdf(HEADING, shuffled(rows)))

    total = len(texts)
    assert total >= 4
    for number, text in enumerate(texts, start=1):
        assert f"page {number} / {total}" in text
        assert re.search(r"N°\s+Nom\s+Prénom\s+Organisation\s+Signature", text), number
    found = [int(n) for n in re.findall(r"\bNom(\d{3})\b", "\n".join(texts))]
    assert found == list(range(1, 121))
    assert "Nom120" in texts[-1]


def test_markup_in_names_is_printed_as_typed():
    text = pdftotext(sign_in_sheet_pdf(HEADING, [row(organisation="<b>R&D</b> & co")]))

    assert "<b>R&D</b> & co" in text


def test_decomposed_accents_are_composed():
    decomposed = unicodedata.normalize("NFD", "Nguyễn")

    text = pdftotext(sign_in_sheet_pdf(HEADING, [row(decomposed, "Khai")]))

    assert "Nguyễn" in text


def test_an_empty_list_still_prints_the_header():
    texts = pages(sign_in_sheet_pdf(HEADING, []))

    assert len(texts) == 1
    assert compact("Feuille d'émargement : 0 participant") in compact(texts[0])
    assert "page 1 / 1" in texts[0]


def test_one_attendee_is_singular():
    first = pages(sign_in_sheet_pdf(HEADING, [row()]))[0]

    assert compact("Feuille d'émargement : 1 participant confirmé") + "N°" in compact(first)


def test_badges_ten_per_page_in_name_order():
    texts = pages(badges_pdf(HEADING, shuffled(people())))

    assert len(texts) == 2
    text = compact("\n".join(texts))
    positions = [text.index(compact(given + family)) for family, given in NAMES]
    assert positions == sorted(positions)


def test_the_sheet_streams_page_by_page():
    consumed = 0

    def source():
        nonlocal consumed
        for n in range(120):
            consumed += 1
            yield row(f"Nom{n:03d}", "Camille")

    chunks = pdf.sign_in_sheet_chunks(HEADING, source())
    first = next(chunks)

    assert first.startswith(b"%PDF-1.7") and consumed == 0, "bytes leave before any row is read"
    rest = list(chunks)
    assert len(rest) >= 4, "a chunk per page (the last with the fonts and the table)"
    data = first + b"".join(rest)
    check(data)
    assert len(pages(data)) == len(rest)
