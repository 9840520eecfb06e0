"""Domain errors and the French error pages."""

from flask import render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError


class DomainError(Exception):
    """A rule of the domain refused an operation; `code` is stable for callers."""

    code = "domain_error"

    def __init__(self, message: str = "", **details):
        super().__init__(message or self.code)
        self.details = details


ERROR_TITLES = {
    400: "Requête invalide",
    403: "Accès refusé",
    404: "Page introuvable",
    405: "Méthode non autorisée",
    413: "Envoi trop volumineux",
    429: "Trop de tentatives",
    500: "Erreur du serveur",
}


def init_app(app) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InternalServerError, _server_error)


def _render(status: int, message: str):
    title = _(ERROR_TITLES.get(status, "Erreur"))
    return render_template("errors/error.html", status=status, title=title, message=message), status


def _csrf_error(error):
    return _render(
        400,
        _(
            "Le formulaire a expiré ou n'a pas pu être vérifié. "
            "Rechargez la page et envoyez-le à nouveau : rien n'a été enregistré."
        ),
    )


def _http_error(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    messages = {
        404: _("La page demandée n'existe pas ou n'est plus disponible."),
        405: _("Cette adresse ne peut pas être utilisée de cette façon."),
        413: _("Les données envoyées sont trop volumineuses."),
        429: _("Trop de tentatives en peu de temps. Patientez une minute, puis réessayez."),
    }
    return _render(error.code, messages.get(error.code, _("La requête n'a pas pu être traitée.")))


def _server_error(error):
    return _render(
        500,
        _("Une erreur inattendue s'est produite. Réessayez dans quelques instants."),
    )
