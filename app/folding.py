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


#: The longest search key stored: three fields of at most 200 letters fold to less, but
#: NFKD may widen a few characters; the cap keeps an index entry small on any backend.
SEARCH_KEY_LENGTH = 600
#: The words of a query that count; more only make it slower.
MAX_SEARCH_TERMS = 10


def search_key(*texts: str | None) -> str:
    """Fold texts into one line of words to search: no case, no accents, and no punctuation
    inside a word, so that "O'Neil" and "ONeil" both read "oneil", "Jean-Pierre"
    "jeanpierre". Words stay apart, so a query word never spans two of them.
    """
    words = (_NON_WORD.sub("", word) for text in texts if text for word in fold(text).split())
    return " ".join(word for word in words if word)[:SEARCH_KEY_LENGTH]


def search_terms(query: str) -> list[str]:
    """Split a query into the folded pieces that must all be found in a search key.

    Punctuation splits a piece ("jean-pierre" gives "jean" and "pierre"), which the key's
    "jeanpierre" and "jean pierre" both contain. The pieces hold only letters and digits:
    never a LIKE wildcard (`%`, `_`) nor an escape character.
    """
    pieces = [piece for piece in _NON_WORD.split(fold(query)) if piece]
    return list(dict.fromkeys(piece[:100] for piece in pieces))[:MAX_SEARCH_TERMS]
