"""The OpenAPI 3 document for API v1, describing exactly the endpoints in ``views.py``."""

from app.booking.needs import Companion, SignLanguage
from app.i18n import DEFAULT_LANGUAGE, LANGUAGE_NAMES
from app.matters.models import ChannelKind

ERRORS = {
    "type": "object",
    "properties": {
        "errors": {
            "type": "object",
            "description": "Messages per invalid field.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        }
    },
    "required": ["errors"],
}
ERROR = {
    "type": "object",
    "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
    "required": ["error"],
}
LOCATION = {
    "type": "object",
    "properties": {
        "slug": {"type": "string"},
        "name": {"type": "string"},
        "address": {"type": "string"},
    },
    "required": ["slug", "name", "address"],
}
CHANNEL = {
    "type": "object",
    "properties": {
        "kind": {"type": "string", "enum": [kind.value for kind in ChannelKind]},
        "value": {"type": "string"},
        "label": {"type": "string"},
        "hours": {"type": "string"},
    },
    "required": ["kind", "value"],
}
MATTER = {
    "type": "object",
    "properties": {
        "slug": {"type": "string"},
        "title": {"type": "string"},
        "unit": {"type": "string"},
        "visit_policy": {"type": "string", "enum": ["online", "by_phone", "none"]},
        "confirmation": {"type": "string", "enum": ["auto", "staff"]},
        "locations": {"type": "array", "items": {"$ref": "#/components/schemas/Location"}},
        "channels": {"type": "array", "items": {"$ref": "#/components/schemas/Channel"}},
        "languages": {
            "type": "array",
            "description": "The languages the matter is served in besides Polish.",
            "items": {
                "type": "string",
                "enum": [code for code in LANGUAGE_NAMES if code != DEFAULT_LANGUAGE],
            },
        },
    },
    "required": [
        "slug",
        "title",
        "unit",
        "visit_policy",
        "confirmation",
        "locations",
        "channels",
        "languages",
    ],
}
TIME = {"type": "string", "format": "date-time", "example": "2026-12-01T10:00:00+01:00"}
SLOT = {
    "type": "object",
    "properties": {
        "start": TIME,
        "end": TIME,
        "location": {"type": "string"},
        "free": {"type": "integer", "minimum": 1},
    },
    "required": ["start", "end", "location", "free"],
}
# A name as the server takes it (``app.inputs``): spaces around it are trimmed, what is left
# begins and ends with a visible character and holds no control character, C0 or C1. (Nor half
# of a UTF-16 pair, which the description says: not every regex engine can state it.)
CONTROL = "\\u0000-\\u001f\\u007f-\\u009f"
NAME = f"^ *[^\\s{CONTROL}][^{CONTROL}]*[^\\s{CONTROL}] *$"


def one_of(values: list[str]) -> dict:
    return {"enum": values} if values else {}  # an empty enum is not a schema (no catalog yet)


def visit_request(matters: list[str], locations: list[str]) -> dict:
    """The body of a request; the matters and places that take online requests now."""
    return {
        "type": "object",
        "properties": {
            "matter": {"type": "string"} | one_of(matters),
            "location": {"type": "string", "description": "One of the matter's locations."}
            | one_of(locations),
            "start": TIME
            | {
                "description": "A free slot's start (listSlots). The booking rules are checked "
                "when the request is made: lead time, horizon, reception hours and closures, a "
                "free desk, and per person (by e-mail or phone) one active visit per matter "
                "and a few in all."
            },
            "name": {
                "type": "string",
                "minLength": 2,
                "maxLength": 120,
                "pattern": NAME,
                "description": "The one person who comes: 2 to 120 characters once the spaces "
                "around are trimmed, no control characters and no lone UTF-16 surrogates.",
            },
            "email": {"type": "string", "format": "email", "maxLength": 254},
            "phone": {
                "type": "string",
                "maxLength": 32,
                "pattern": "^[+0-9 ()./-]*$",
                "description": "A Polish number, or an international one with +; checked "
                "against the numbering plans (422 when it is not a number in use).",
            },
            "language": {"type": "string", "enum": ["pl", "en", "uk", "ru"], "default": "pl"},
            "companion": {
                "type": "string",
                "enum": [kind.value for kind in Companion],
                "description": "The one person who may come with the visitor, where the rules "
                "allow it: a parent or guardian of a minor, an assistant, an interpreter of a "
                "spoken language. Without it one person comes.",
            },
            "sign_language": {
                "type": "string",
                "enum": [kind.value for kind in SignLanguage],
                "description": "A sign-language interpreter the office arranges (PJM, SJM or "
                "SKOGN): only for a start at least 3 working days ahead (422 on this field "
                "otherwise).",
            },
            "step_free": {"type": "boolean", "default": False},
            "more_time": {"type": "boolean", "default": False},
            "case_reference": {
                "type": "string",
                "maxLength": 40,
                "pattern": f"^ *([^\\s{CONTROL}]([^{CONTROL}]*[^\\s{CONTROL}])?)? *$",
                "description": "The case's reference (znak sprawy), kept only where the matter "
                "asks for it; spaces around are trimmed.",
            },
        },
        "required": ["matter", "location", "start", "name", "email"],
    }


VISIT = {
    "type": "object",
    "properties": {
        "reference": {"type": "string", "example": "WP-7K3D9Q"},
        "status": {"type": "string", "enum": ["held"]},
        "matter": {"type": "string"},
        "location": {"type": "string"},
        "start": TIME,
        "end": TIME,
    },
    "required": ["reference", "status", "matter", "location", "start", "end"],
}


def json_response(description: str, schema: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


TOO_MANY_REQUESTS = json_response(
    "Too many requests from this address (BOOKING_RATE_LIMIT), or too many of its requests "
    "waiting for their e-mail link (HOLDS_PER_SOURCE); wait as long as Retry-After says.",
    "Error",
) | {
    "headers": {
        "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}},
    }
}


def date_parameter(name: str, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": True,
        "description": description + " Between 2000-01-01 and 2999-12-31.",
        "schema": {
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        },
    }


def openapi_document(server_url: str, matters: list[str], locations: list[str]) -> dict:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Wizyta API",
            "version": "1",
            "description": "Visits to the Department of Social Policy: matters, free slots, "
            "visit requests. Times are ISO 8601 with the Europe/Warsaw offset.",
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/matters": {
                "get": {
                    "summary": "The catalog of matters",
                    "operationId": "listMatters",
                    "responses": {
                        "200": {
                            "description": "Every matter with its locations and channels.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "matters": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/Matter"},
                                            }
                                        },
                                        "required": ["matters"],
                                    }
                                }
                            },
                        }
                    },
                }
            },
            "/matters/{slug}/slots": {
                "get": {
                    "summary": "Free slots of a matter (only slots with a free desk)",
                    "operationId": "listSlots",
                    "parameters": [
                        {
                            "name": "slug",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                        date_parameter("from", "First local day, YYYY-MM-DD."),
                        date_parameter(
                            "to",
                            "Last local day, YYYY-MM-DD: not before from, and within the "
                            "matter's horizon (today plus its horizon days).",
                        ),
                        {
                            "name": "location",
                            "in": "query",
                            "required": False,
                            "description": "Only this location of the matter.",
                            "schema": {"type": "string"},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "Free slots in time order.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "slots": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/Slot"},
                                            }
                                        },
                                        "required": ["slots"],
                                    }
                                }
                            },
                        },
                        "400": json_response(
                            "A date missing or not YYYY-MM-DD, from after to, to past the "
                            "horizon, or a location the matter is not handled at.",
                            "Error",
                        ),
                        "404": json_response("No such matter.", "Error"),
                    },
                }
            },
            "/visits": {
                "post": {
                    "summary": "Request a visit; it is held until the e-mail link is opened",
                    "operationId": "requestVisit",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/VisitRequest"}
                            }
                        },
                    },
                    "responses": {
                        "201": json_response("The visit, held.", "Visit"),
                        "400": json_response("The body is not a JSON object.", "Error"),
                        "409": json_response("No desk is left (error: slot_taken).", "Error"),
                        "422": json_response(
                            "Invalid fields, or a booking rule refused the request (see start), "
                            "with messages per field.",
                            "Errors",
                        ),
                        "429": TOO_MANY_REQUESTS,
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "summary": "This document",
                    "operationId": "openapi",
                    "responses": {"200": {"description": "The OpenAPI document."}},
                }
            },
        },
        "components": {
            "schemas": {
                "Location": LOCATION,
                "Channel": CHANNEL,
                "Matter": MATTER,
                "Slot": SLOT,
                "VisitRequest": visit_request(matters, locations),
                "Visit": VISIT,
                "Error": ERROR,
                "Errors": ERRORS,
            }
        },
    }
