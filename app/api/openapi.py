"""The OpenAPI 3 document for API v1, describing exactly the endpoints in ``views.py``."""

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
        "kind": {"type": "string", "enum": ["email", "phone", "infoline", "epuap", "form", "post"]},
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
    },
    "required": ["slug", "title", "unit", "visit_policy", "confirmation", "locations", "channels"],
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
VISIT_REQUEST = {
    "type": "object",
    "properties": {
        "matter": {"type": "string"},
        "location": {"type": "string"},
        "start": TIME,
        "name": {"type": "string", "maxLength": 120},
        "email": {"type": "string", "format": "email"},
        "phone": {"type": "string"},
        "language": {"type": "string", "enum": ["pl", "en", "uk", "ru"], "default": "pl"},
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
    "Too many requests from this address (BOOKING_RATE_LIMIT); wait as long as Retry-After says.",
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
        "description": description,
        "schema": {"type": "string", "format": "date"},
    }


def openapi_document(server_url: str) -> dict:
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
                        date_parameter("to", "Last local day, YYYY-MM-DD; within the horizon."),
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
                        "400": json_response("Bad dates or a range past the horizon.", "Error"),
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
                        "422": json_response("Invalid fields, with messages.", "Errors"),
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
                "VisitRequest": VISIT_REQUEST,
                "Visit": VISIT,
                "Error": ERROR,
                "Errors": ERRORS,
            }
        },
    }
