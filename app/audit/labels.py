"""The words of the audit log: each action, and each value it records."""

from flask_babel import lazy_gettext as _l

from app import labels
from app.i18n import LANGUAGE

#: The actions, as the log page names them.
ACTIONS = {
    "event.create": _l("Réunion créée"),
    "event.update": _l("Réunion modifiée"),
    "event.duplicate": _l("Réunion créée par duplication"),
    "event.publish": _l("Réunion publiée"),
    "event.unpublish": _l("Réunion dépubliée"),
    "event.cancel": _l("Réunion annulée"),
    "registration.add": _l("Inscription ajoutée à la main"),
    "registration.cancel": _l("Inscription annulée"),
    "registration.promote": _l("Inscription confirmée depuis la liste d'attente"),
    "registration.resend_ticket": _l("Billet renvoyé"),
    "registration.correct": _l("Coordonnées corrigées"),
    "account.create": _l("Compte créé"),
    "account.update": _l("Compte modifié"),
    "account.password_change": _l("Mot de passe changé"),
    "account.password_reset": _l("Mot de passe réinitialisé"),
    "export.csv": _l("Liste exportée (CSV)"),
    "export.xlsx": _l("Liste exportée (Excel)"),
    "export.pdf": _l("Feuille d'émargement exportée (PDF)"),
    "export.badges": _l("Badges exportés (PDF)"),
    "export.json": _l("Liste lue par l'API (JSON)"),
}

#: The names of the values the log records.
FIELDS = {
    "slug": _l("Adresse de la page"),
    "title": _l("Titre"),
    "description": _l("Présentation"),
    "starts_at": _l("Début"),
    "ends_at": _l("Fin"),
    "timezone": _l("Fuseau horaire"),
    "venue_name": _l("Nom du lieu"),
    "street": _l("Adresse"),
    "postcode": _l("Code postal"),
    "city": _l("Ville"),
    "latitude": _l("Latitude"),
    "longitude": _l("Longitude"),
    "capacity": _l("Places"),
    "registration_opens_at": _l("Ouverture des inscriptions"),
    "registration_closes_at": _l("Clôture des inscriptions"),
    "per_organisation_limit": _l("Limite par organisation"),
    "organisation_overflow": _l("Au-delà de la limite"),
    "allowed_email_domains": _l("Domaines autorisés"),
    "waitlist_enabled": _l("Liste d'attente"),
    "status": _l("État"),
    "organiser_name": _l("Organisé par"),
    "organiser_email": _l("Contact"),
    "given_name": _l("Prénom"),
    "family_name": _l("Nom"),
    "email": _l("Adresse électronique"),
    "organisation": _l("Organisation"),
    "job_title": _l("Fonction"),
    "phone": _l("Téléphone"),
    "accessibility_needs": _l("Besoins d'accessibilité"),
    "locale": _l("Langue des messages"),
    "waitlist_position": _l("Position en liste d'attente"),
    "over_capacity": _l("Au-delà de la capacité"),
    "reason": _l("Motif"),
    "promoted": _l("Place donnée à"),
    "notified": _l("Personnes prévenues"),
    "source": _l("Dupliquée de"),
    "role": _l("Rôle"),
    "active": _l("Actif"),
    "format": _l("Format"),
    "rows": _l("Lignes"),
    "after": _l("Après l'inscription n°"),
}

#: The words for the coded values of these fields.
VALUES = {
    "status": {
        **labels.REGISTRATION_STATUS,
        **labels.EVENT_STATUS,
        "checked_in": _l("Entrées enregistrées"),
        "all": _l("Toutes"),
    },
    "role": labels.ROLE,
    "organisation_overflow": labels.ORGANISATION_OVERFLOW,
    "locale": LANGUAGE,
}
