"""An event's address (/e/<slug>) made from its title, when staff leave it empty.

static/js/slug.js proposes the same slug in the form as one types the title; this is the
server's fallback, and the rule both follow: fold accents and case, words joined by hyphens,
at most SUGGESTED_LENGTH characters cut between words.
"""

import re
from collections.abc import Callable

from app.folding import fold

#: Room is left under the 80 allowed for a "-2" or a duplicate's "-2031-11-13".
SUGGESTED_LENGTH = 60
FALLBACK = "reunion"
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def suggest(title: str) -> str:
    """Return a slug for a title: "Réunion d'information" → "reunion-d-information"."""
    slug = _NOT_SLUG.sub("-", fold(title)).strip("-")
    if len(slug) > SUGGESTED_LENGTH:
        cut = slug[: SUGGESTED_LENGTH + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut else cut[:SUGGESTED_LENGTH]
    return slug.strip("-") or FALLBACK


def first_free(base: str, is_free: Callable[[str], bool], reserved=frozenset()) -> str:
    """Return `base`, or `base-2`, `base-3`… the first that is free and not reserved."""
    candidate, number = base, 2
    while candidate in reserved or not is_free(candidate):
        candidate = f"{base}-{number}"
        number += 1
    return candidate
