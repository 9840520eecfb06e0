"""Who publishes the site: the bloc-marque, the service's name, the legal notices' people.

Everything here comes from configuration (config.py, `OPERATOR_*` and friends), so that
another administration publishes under its own name without touching a template. What an
operator leaves unset falls back to the first meeting's publishers, DINSIC and DITP; those
defaults are written in French and translated, whereas what an operator sets is shown as
typed (like an event's title).

The pages also need the État's design system (DSFR) in app/static/dsfr, copied there by
`make install`: production refuses to start without it, development warns.
"""

import logging
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

#: The bloc-marque's official title ("intitulé officiel"), one line per item. « République
#: française » is the État's own, for interministerial services such as DINSIC and DITP; a
#: ministry writes its name instead ("Ministère|de l'Intérieur").
DEFAULT_BRAND = "République|Française"
#: The RGAA conformance an operator may declare (its words: app.labels.CONFORMANCE).
CONFORMANCE = ("none", "partial", "full")
DEFAULTS = {
    "SERVICE_NAME": _l("Réunions d'information"),
    "SERVICE_TAGLINE": _l("Inscriptions aux réunions de la DINSIC et de la DITP"),
    "OPERATOR_NAME": _l(
        "Direction interministérielle du numérique et du système d'information et de "
        "communication de l'État (DINSIC) et direction interministérielle de la "
        "transformation publique (DITP)"
    ),
    "OPERATOR_ADDRESS": "20 avenue de Ségur, 75007 Paris",
    "OPERATOR_DIRECTOR": _l(
        "Le directeur interministériel du numérique et du système d'information et de "
        "communication de l'État"
    ),
    "OPERATOR_HOST": _l("DINSIC, 20 avenue de Ségur, 75007 Paris"),
    "OPERATOR_DPO": _l(
        "Délégué à la protection des données, DINSIC, 20 avenue de Ségur, 75007 Paris"
    ),
    "OPERATOR_CONTACT": "equipe-ami-ia@data.gouv.fr",
}
#: The DSFR files every page loads (app/static/dsfr, from `make install`).
DSFR_FILES = ("dsfr/dsfr.min.css", "dsfr/dsfr.module.min.js", "dsfr/utility/icons/icons.min.css")


@dataclass(frozen=True)
class Operator:
    """The publisher as pages and e-mails show it."""

    service_name: str
    service_tagline: str
    #: The bloc-marque's lines ("République", "Française").
    brand: tuple[str, ...]
    name: str
    address: str
    director: str
    host: str
    dpo: str
    contact: str
    #: "none", "partial" or "full": the RGAA conformance the accessibility statement declares.
    conformance: str
    #: The audit the conformance comes from ("" while none was made).
    audit: str


def current_operator() -> Operator:
    """Return the operator of the running application."""
    config = current_app.config

    def value(key: str) -> str:
        return str(config.get(key) or DEFAULTS[key]).strip()

    conformance = config.get("ACCESSIBILITY_STATUS") or "none"
    return Operator(
        service_name=value("SERVICE_NAME"),
        service_tagline=value("SERVICE_TAGLINE"),
        brand=tuple(
            line.strip() for line in (config.get("OPERATOR_BRAND") or DEFAULT_BRAND).split("|")
        ),
        name=value("OPERATOR_NAME"),
        address=value("OPERATOR_ADDRESS"),
        director=value("OPERATOR_DIRECTOR"),
        host=value("OPERATOR_HOST"),
        dpo=value("OPERATOR_DPO"),
        contact=value("OPERATOR_CONTACT"),
        conformance=conformance if conformance in CONFORMANCE else "none",
        audit=(config.get("ACCESSIBILITY_AUDIT") or "").strip(),
    )


def init_app(app) -> None:
    _check_dsfr(app)
    app.context_processor(lambda: {"operator": current_operator()})


def _check_dsfr(app) -> None:
    """Refuse to serve unstyled pages in production: the DSFR is copied by `make install`."""
    static = Path(app.static_folder)
    missing = [name for name in DSFR_FILES if not (static / name).exists()]
    if not missing:
        return
    message = "the DSFR is missing from app/static (run: make install): " + ", ".join(missing)
    if app.config["APP_ENV"] == "production":
        raise RuntimeError(message)
    logging.getLogger(__name__).warning(message)
