"""The words of the audit log: each action, and each value it records; the one place they
live (app.audit.description puts an entry into words with them).

A new action needs its words in ACTIONS; a new recorded value its name in FIELDS, and, if
it is coded (an enum, a keyword), its words in VALUES. `audit.record` warns about a missing
one, which the tests turn into an error; tests/audit/test_wording.py renders every action.
"""

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
    "registration.walk_in": _l("Inscription sur place, à la porte"),
    "registration.cancel": _l("Inscription annulée"),
    "registration.promote": _l("Inscription confirmée depuis la liste d'attente"),
    "registration.resend_ticket": _l("Billet renvoyé"),
    "registration.correct": _l("Coordonnées corrigées"),
    "registration.erase": _l("Données personnelles effacées"),
    "account.create": _l("Compte créé"),
    "account.update": _l("Compte modifié"),
    "account.password_change": _l("Mot de passe changé"),
    "account.password_reset": _l("Mot de passe réinitialisé"),
    "export.csv": _l("Export CSV"),
    "export.xlsx": _l("Export Excel"),
    "export.pdf": _l("Export de la feuille d'émargement (PDF)"),
    "export.badges": _l("Export des badges (PDF)"),
    "export.json": _l("Liste lue par l'API (JSON)"),
    "desk.settings": _l("Accueil sécurité : adresses ou heure d'envoi changées"),
    "desk.list": _l("Liste envoyée à l'accueil sécurité"),
    "desk.addendum": _l("Changements envoyés à l'accueil sécurité"),
    "desk.resend": _l("Envoi à l'accueil sécurité renouvelé"),
    "message.send": _l("Message envoyé aux inscrits"),
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
    "recipients": _l("Destinataires"),
    "cutoff_at": _l("Heure d'envoi"),
    "desk_recipients": _l("Adresses de l'accueil sécurité"),
    "desk_cutoff_at": _l("Envoi de la liste à l'accueil sécurité"),
    "added": _l("Ajouts"),
    "removed": _l("Retraits"),
    "resent": _l("Envoi renouvelé n°"),
    "kind": _l("Envoi"),
    "requested_by": _l("Demandé par"),
    "segment": _l("Envoyé à"),
    "subject": _l("Objet"),
    "sent": _l("Messages"),
    "skipped": _l("Sans adresse électronique"),
    "certificate": _l("Attestation jointe"),
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
    "kind": labels.DESK_SENDING,
    "segment": labels.SEGMENT,
    "organisation_overflow": labels.ORGANISATION_OVERFLOW,
    "locale": LANGUAGE,
    "format": {
        "csv": _l("CSV"),
        "xlsx": _l("Excel"),
        "pdf": _l("feuille d'émargement (PDF)"),
        "badges": _l("badges (PDF)"),
        "json": _l("API (JSON)"),
    },
    "requested_by": {
        "registrant": _l("la personne inscrite"),
        "operator": _l("l'exploitant (ligne de commande)"),
    },
}

#: An export's `status` filter, said of the people it lists (« statut : confirmés »).
EXPORT_STATUS = {
    "all": _l("tous"),
    "confirmed": _l("confirmés"),
    "waitlisted": _l("en liste d'attente"),
    "cancelled": _l("annulés"),
    "checked_in": _l("entrés"),
}

#: Values an action says in its headline, after its words, rather than listed below it:
#: « Export CSV, 7 lignes, statut : confirmés » (the format is in the action's words).
HEADLINE_VALUES = {
    action: ("format", "rows", "status") for action in ACTIONS if action.startswith("export.")
}
