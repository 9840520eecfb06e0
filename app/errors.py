"""Domain errors, and the error pages (in the visitor's language).

Services raise `DomainError`s with a stable `code`; views turn them into
messages. A lookup that finds nothing raises a `NotFound`, which every page
answers with 404 (the API with its JSON 404): views need no try/except for it.
"""

from flask import jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.exceptions import NotFound as HTTPNotFound


class DomainError(Exception):
    """A rule of the domain refused an operation; `code` is stable for callers."""

    code = "domain_error"

    def __init__(self, message: str = "", **details):
        super().__init__(message or self.code)
        self.details = details


class NotFound(DomainError):
    """What was asked for does not exist (or is not public): the page answers 404."""

    code = "not_found"


ERROR_TITLES = {
    400: _l("Requête invalide"),
    403: _l("Accès refusé"),
    404: _l("Page introuvable"),
    405: _l("Méthode non autorisée"),
    413: _l("Envoi trop volumineux"),
    429: _l("Trop de tentatives"),
    500: _l("Erreur du serveur"),
}
ERROR_MESSAGES = {
    404: _l("La page demandée n'existe pas ou n'est plus disponible."),
    405: _l("Cette adresse ne peut pas être utilisée de cette façon."),
    413: _l("Les données envoyées sont trop volumineuses."),
    429: _l("Trop de tentatives en peu de temps. Patientez une minute, puis réessayez."),
}


def init_app(app) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(NotFound, _not_found)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InternalServerError, _server_error)


def error_page(status: int, message: str):
    """Return the error page of a status, with a message, as a response tuple."""
    title = ERROR_TITLES.get(status) or _("Erreur")
    return render_template("errors/error.html", status=status, title=title, message=message), status


def _csrf_error(error):
    return error_page(
        400,
        _(
            "Le formulaire a expiré ou n'a pas pu être vérifié. "
            "Rechargez la page et envoyez-le à nouveau : rien n'a été enregistré."
        ),
    )


def _not_found(error):
    return _http_error(HTTPNotFound())


def _http_error(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    message = str(ERROR_MESSAGES.get(error.code) or _("La requête n'a pas pu être traitée."))
    if request.path.startswith("/api/"):
        response = jsonify({"status": _API_CODES.get(error.code, "error"), "error": message})
        response.status_code = error.code
    else:
        response = make_response(error_page(error.code, message))
    allow = dict(error.get_headers()).get("Allow")
    if allow:  # a 405 says which methods the address takes, as HTTP asks
        response.headers["Allow"] = allow
    return response


_API_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    429: "too_many_requests",
}


def _server_error(error):
    return error_page(
        500, _("Une erreur inattendue s'est produite. Réessayez dans quelques instants.")
    )
