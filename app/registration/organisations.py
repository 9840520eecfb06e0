"""Fold an organisation's name so that spelling variants count as one organisation."""

import re

from app.folding import fold

# Words that carry no identity: "Ministère de l'Intérieur" = "ministère intérieur".
_STOP_WORDS = {"de", "du", "des", "la", "le", "les", "l", "d", "et", "en", "au", "aux"}
_ABBREVIATIONS = {"min": "ministere", "minist": "ministere", "ministeres": "ministere"}
_NON_WORD = re.compile(r"[\W_]+")


def organisation_key(name: str) -> str:
    """Return the folded key: lower case, no accents, no articles, single spaces.

    >>> organisation_key("Ministère de l’Intérieur") == organisation_key("MINISTERE INTERIEUR")
    True
    """
    words = _NON_WORD.sub(" ", fold(name)).split()
    words = [_ABBREVIATIONS.get(word, word) for word in words if word not in _STOP_WORDS]
    return " ".join(words)[:200]
