"""Fold text for comparing and sorting: names and organisations, no case, no accents."""

import re
import unicodedata

# Letters that Unicode does not decompose but that a French reader files under plain letters.
_LETTER_FOLDS = str.maketrans(
    {"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
# Words that carry no identity: "Ministère de l'Intérieur" = "ministère intérieur".
_STOP_WORDS = {"de", "du", "des", "la", "le", "les", "l", "d", "et", "en", "au", "aux"}
_ABBREVIATIONS = {"min": "ministere", "minist": "ministere", "ministeres": "ministere"}
_NON_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Fold a name: "Élodie", "elodie" and "ELODIE" alike; "Œuvray" as "oe…", "Łukasz" as
    "l…", "Đặng" as "d…", "Straße" as "strasse". Other scripts keep their own letters.
    """
    folded = text.strip().casefold().translate(_LETTER_FOLDS)
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def organisation_key(name: str) -> str:
    """Fold an organisation's name so that spelling variants count as one organisation.

    Lower case, no accents, no articles, single spaces:

    >>> organisation_key("Ministère de l’Intérieur") == organisation_key("MINISTERE INTERIEUR")
    True
    """
    words = _NON_WORD.sub(" ", fold(name)).split()
    words = [_ABBREVIATIONS.get(word, word) for word in words if word not in _STOP_WORDS]
    return " ".join(words)[:200]
