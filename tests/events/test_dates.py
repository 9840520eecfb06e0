from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from app import i18n

PARIS = ZoneInfo("Europe/Paris")


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (paris(2026, 4, 16, 14), paris(2026, 4, 16, 16), "jeudi 16 avril 2026, de 14 h à 16 h"),
        (paris(2019, 4, 16, 14), paris(2019, 4, 16, 16), "mardi 16 avril 2019, de 14 h à 16 h"),
        (
            paris(2026, 4, 1, 9, 30),
            paris(2026, 4, 1, 12, 15),
            "mercredi 1er avril 2026, de 9 h 30 à 12 h 15",
        ),
        (
            paris(2026, 4, 16, 14),
            paris(2026, 4, 17, 12),
            "du jeudi 16 avril 2026 à 14 h au vendredi 17 avril 2026 à 12 h",
        ),
    ],
)
def test_event_dates_are_written_the_french_way(app, start, end, expected):
    with app.app_context():
        assert i18n.event_dates(start, end) == expected
