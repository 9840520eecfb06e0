"""Fold text for comparing and sorting names: no case, no accents, ligatures spelt out."""

import unicodedata

# Letters that Unicode does not decompose but that a French reader files under plain letters.
_LETTER_FOLDS = str.maketrans(
    {"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)


def fold(text: str) -> str:
    """Fold a name: "Élodie", "elodie" and "ELODIE" alike; "Œuvray" as "oe…", "Łukasz" as
    "l…", "Đặng" as "d…", "Straße" as "strasse". Other scripts keep their own letters.
    """
    folded = text.strip().casefold().translate(_LETTER_FOLDS)
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(char for char in decomposed if not unicodedata.combining(char))
