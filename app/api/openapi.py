"""The OpenAPI 3 description of the JSON API, served at /api/v1/openapi.json."""

from app.api.openapi_offline import OFFLINE_PATHS

_REGISTRATION = {
    "type": "object",
    "description": (
        "A registration, through the fields the caller's role may see: the door gets id, "
        "names, organisation, status and check-in time; viewers also the e-mail, job title, "
        "ticket code, short reference "
        "and place in line; organisers and admins also phone and accessibility "
        "needs. No role ever gets the registrant's management secret."
    ),
    "properties": {
        "id": {"type": "integer", "description": "Opaque id (the door admits by it)"},
        "code": {"type": "string", "description": "Ticket code (secret)"},
        "reference": {
            "type": "string",
            "description": "Short readable reference, unique within the event (K7MC4XRA, "
            "shown K7MC-4XRA); the check-in's code accepts it",
        },
        "given_name": {"type": "string"},
        "family_name": {"type": "string"},
        "email": {"type": ["string", "null"], "format": "email"},
        "organisation": {"type": "string"},
        "job_title": {"type": "string"},
        "status": {"type": "string", "enum": ["confirmed", "waitlisted", "cancelled"]},
        "waitlist_position": {"type": ["integer", "null"]},
        "registered_at": {"type": "string", "format": "date-time"},
        "checked_in_at": {"type": ["string", "null"], "format": "date-time"},
        "checked_in_by": {"type": ["string", "null"], "description": "Who let them in"},
        "conflict": {
            "type": "boolean",
            "description": "Two phones let this ticket in (see the event's « Conflits »)",
        },
        "phone": {"type": ["string", "null"]},
        "accessibility_needs": {"type": ["string", "null"]},
    },
    "required": ["id", "given_name", "family_name", "status"],
}

_SCAN = {
    "type": "object",
    "properties": {
        "status": {
            "type": "string",
            "enum": [
                "checked_in",
                "already_checked_in",
                "unknown",
                "cancelled",
                "waitlisted",
                "other_event",
                "malformed",
            ],
        },
        "registration": {"type": "object"},
        "checked_in_at": {"type": "string", "format": "date-time"},
        "by": {"type": ["string", "null"], "description": "Who let the person in first"},
    },
    "required": ["status"],
}

_ERROR = {
    "type": "object",
    "properties": {"status": {"type": "string"}, "error": {"type": "string"}},
    "required": ["status"],
}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


_SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
_ERRORS = {
    "401": _json(_ref("Error"), "No valid token or session"),
    "403": _json(_ref("Error"), "The account lacks the permission"),
    "404": _json(_ref("Error"), "Unknown event"),
}

OPENAPI = {
    "openapi": "3.1.0",
    "info": {
        "title": "Accueil API",
        "version": "1",
        "description": (
            "Door scanning and registration lists. Authenticate with "
            "`Authorization: Bearer <token>` (from `flask tokens create --email E`) or with "
            "a staff session cookie plus its `X-CSRFToken` header on POST."
        ),
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearer": []}, {"session": []}],
    "components": {
        "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"},
            "session": {"type": "apiKey", "in": "cookie", "name": "session"},
        },
        "schemas": {"Registration": _REGISTRATION, "Scan": _SCAN, "Error": _ERROR},
    },
    "paths": {
        "/events/{slug}/checkins": {
            "post": {
                "summary": "Check a scanned ticket in (exactly once)",
                "parameters": [_SLUG],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "code": {
                                        "type": "string",
                                        "description": (
                                            "The scanned or typed text: ticket URL, "
                                            "code, or short reference (any case, "
                                            "hyphen optional)"
                                        ),
                                    },
                                    "id": {
                                        "type": "integer",
                                        "description": "Or a door search result's id",
                                    },
                                    "nonce": {
                                        "type": "string",
                                        "maxLength": 64,
                                        "description": "Same nonce, same scan: retries are safe",
                                    },
                                },
                                "oneOf": [{"required": ["code"]}, {"required": ["id"]}],
                            }
                        }
                    },
                },
                "responses": {
                    "200": _json(_ref("Scan"), "checked_in"),
                    "409": _json(_ref("Scan"), "already_checked_in (when and by whom)"),
                    "422": _json(_ref("Scan"), "cancelled, waitlisted, other_event or malformed"),
                    **_ERRORS,
                    "404": _json(_ref("Scan"), "unknown ticket, or unknown event"),
                },
            }
        },
        "/events/{slug}/checkins/undo": {
            "post": {
                "summary": "Undo the caller's last check-in at this event",
                "description": (
                    'With {"id": <n>}, only if that last check-in was this registration\'s '
                    "(the person the door's confirmation named)."
                ),
                "parameters": [_SLUG],
                "responses": {
                    "200": _json({"type": "object"}, "undone"),
                    "409": _json(_ref("Error"), "nothing_to_undo"),
                    **_ERRORS,
                },
            }
        },
        "/events/{slug}/door": {
            "get": {
                "summary": "Live counters: checked in and confirmed",
                "parameters": [_SLUG],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "properties": {
                                "checked_in": {"type": "integer"},
                                "confirmed": {"type": "integer"},
                            },
                        },
                        "counters",
                    ),
                    **_ERRORS,
                },
            }
        },
        "/events/{slug}/search": {
            "get": {
                "summary": "Find registrants by name or organisation",
                "parameters": [
                    _SLUG,
                    {"name": "q", "in": "query", "required": True, "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": _json(
                        {"type": "object", "properties": {"results": {"type": "array"}}},
                        "matches",
                    ),
                    **_ERRORS,
                },
            }
        },
        "/events/{slug}/decode": {
            "post": {
                "summary": "Decode a QR code in a camera frame (PNG or JPEG body)",
                "parameters": [_SLUG],
                "requestBody": {
                    "required": True,
                    "content": {
                        "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
                        "image/png": {"schema": {"type": "string", "format": "binary"}},
                    },
                },
                "responses": {
                    "200": _json({"type": "object"}, "decoded text"),
                    "422": _json(_ref("Error"), "no_code or bad_image"),
                    **_ERRORS,
                },
            }
        },
        "/events/{slug}/registrations": {
            "get": {
                "summary": "The registrations of an event, page by page",
                "parameters": [
                    _SLUG,
                    {
                        "name": "status",
                        "in": "query",
                        "schema": {
                            "type": "string",
                            "enum": ["confirmed", "waitlisted", "cancelled", "checked_in"],
                        },
                    },
                    {"name": "after", "in": "query", "schema": {"type": "integer"}},
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 500},
                    },
                ],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "properties": {
                                "registrations": {"type": "array", "items": _ref("Registration")},
                                "next": {"type": ["string", "null"], "format": "uri"},
                            },
                            "required": ["registrations", "next"],
                        },
                        "a page, and the link to the next one",
                    ),
                    "400": _json(_ref("Error"), "bad status or page"),
                    **_ERRORS,
                },
            }
        },
        **OFFLINE_PATHS,
    },
}
