"""The door offline in the OpenAPI document: the tickets' copy and the batch of offline scans."""

_SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_REFUSAL = {
    "type": "object",
    "properties": {
        "status": {"type": "string"},
        "error": {"type": "string"},
        "index": {"type": "integer", "description": "The refused scan's place in the batch"},
    },
    "required": ["status", "error"],
}

_TICKET = {
    "type": "object",
    "description": "A ticket as a door phone keeps it: no code, no e-mail, no phone.",
    "properties": {
        "id": {"type": "integer"},
        "keys": {
            "type": "array",
            "items": {"type": "string"},
            "description": (
                "HMAC-SHA-256 (hex, first 32 characters) with `key` of `code:<ticket code>` "
                "and of `ref:<reference, upper case, no hyphen>`"
            ),
        },
        "given_name": {"type": "string"},
        "family_name": {"type": "string"},
        "organisation": {"type": "string"},
        "status": {"type": "string", "enum": ["confirmed", "waitlisted", "cancelled"]},
        "checked_in_at": {"type": ["string", "null"], "format": "date-time"},
    },
}

_SCAN_SEEN = {
    "type": "object",
    "properties": {
        "at": {"type": "string", "format": "date-time"},
        "by": {"type": ["string", "null"]},
        "device": {"type": "string"},
        "offline": {"type": "boolean"},
    },
}

OFFLINE_PATHS = {
    "/events/{slug}/door/tickets": {
        "get": {
            "summary": "The event's tickets for a door phone's offline copy (or what changed)",
            "parameters": [
                _SLUG,
                {
                    "name": "since",
                    "in": "query",
                    "schema": {"type": "string", "format": "date-time"},
                    "description": "The `cursor` of the last copy: only what changed since",
                },
            ],
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "properties": {
                            "key": {"type": "string", "description": "The hashes' HMAC key"},
                            "cursor": {"type": "string", "format": "date-time"},
                            "full": {"type": "boolean"},
                            "total": {
                                "type": "integer",
                                "description": "The event's tickets: reload in full if the "
                                "copy holds another number",
                            },
                            "ends_at": {"type": "string", "format": "date-time"},
                            "tickets": {"type": "array", "items": _TICKET},
                        },
                    },
                    "the copy, or the changes since the cursor",
                ),
                "400": _json(_REFUSAL, "bad_cursor"),
                "410": _json(_REFUSAL, "event_over: the phone wipes its copy"),
            },
        }
    },
    "/events/{slug}/checkins/offline": {
        "post": {
            "summary": "Scans a phone made offline, with their times: all taken, or none",
            "description": (
                "Taken in the order of `scanned_at`; the first scan in time holds the check-in, "
                "with its own time. A ticket another scan let in too is a `conflict` (both scans "
                "are kept and listed on the event's staff page). Sending the same batch again "
                "is safe: a nonce already received answers as before."
            ),
            "parameters": [_SLUG],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "scans": {
                                    "type": "array",
                                    "minItems": 1,
                                    "maxItems": 500,
                                    "items": {
                                        "type": "object",
                                        "properties": {
                                            "nonce": {"type": "string", "maxLength": 64},
                                            "id": {"type": "integer"},
                                            "code": {"type": "string"},
                                            "scanned_at": {
                                                "type": "string",
                                                "format": "date-time",
                                                "description": "With its offset",
                                            },
                                        },
                                        "required": ["nonce", "scanned_at"],
                                    },
                                }
                            },
                            "required": ["scans"],
                        }
                    }
                },
            },
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "properties": {
                            "status": {"const": "synced"},
                            "scans": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "nonce": {"type": "string"},
                                        "status": {"type": "string"},
                                        "registration": {"type": "object"},
                                        "checked_in_at": {"type": ["string", "null"]},
                                        "conflict": {
                                            "type": ["object", "null"],
                                            "properties": {
                                                "first": _SCAN_SEEN,
                                                "second": _SCAN_SEEN,
                                            },
                                        },
                                    },
                                },
                            },
                        },
                    },
                    "each scan's result, in the batch's order",
                ),
                "409": _json(_REFUSAL, "nonce_reused: a nonce already used for another scan"),
                "413": _json(_REFUSAL, "batch_too_large"),
                "422": _json(
                    _REFUSAL,
                    "malformed, unknown_ticket, other_event, time_in_future, "
                    "time_outside_event (not on the event's day), before_door_opened "
                    "(more than 4 hours before the start)",
                ),
            },
        }
    },
}
