"""The API document is the contract: schemathesis generates requests from it, valid and not,
runs every one of its checks on each answer (status, body, headers, Allow, never a 5xx) and
must find nothing."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig

POSITIVE, NEGATIVE = GenerationMode.POSITIVE, GenerationMode.NEGATIVE
# Each operation with requests the document allows and, where it takes input, requests it does
# not. (The document's own address is not an operation to fuzz: it takes nothing.)
CASES = [
    ("GET", "/matters", POSITIVE),
    ("GET", "/matters/{slug}/slots", POSITIVE),
    ("GET", "/matters/{slug}/slots", NEGATIVE),
    ("POST", "/visits", POSITIVE),
    ("POST", "/visits", NEGATIVE),
]
# A request the schema allows may still be refused for what only the server knows: a time
# already taken (409) or against a booking rule that depends on the day and the desks (422,
# documented as such), a range of days past the horizon of today (400).
CONFIG = {
    "operations": [
        {
            "include-path": "/visits",
            "checks": {"positive_data_acceptance": {"expected-statuses": [201, 409, 422, 429]}},
        },
        {
            "include-path": "/matters/{slug}/slots",
            "checks": {"positive_data_acceptance": {"expected-statuses": [200, 400, 404]}},
        },
    ]
}


# The booking rules speak about these fields (``app.booking.messages``, ``API_FIELDS``; a
# sign-language interpreter needs notice), and a phone number's validity is the numbering
# plans' (as documented).
RULE_FIELDS = {"start", "location", "email", "phone", "sign_language"}


def refused_only_by_the_booking_rules(_ctx, response, case):
    """A request the document allows is refused (422) for a booking rule only, never because
    a field breaks a limit the document does not state."""
    if case.operation.path == "/visits" and response.status_code == 422:
        fields = set(response.json()["errors"])
        assert fields <= RULE_FIELDS, f"refused for {fields - RULE_FIELDS}: {response.text}"


def document(app):
    config = SchemathesisConfig.from_dict(CONFIG)
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=config)


def test_every_operation_of_the_document_is_fuzzed(app, catalog):
    operations = (result.ok() for result in document(app).get_all_operations())
    fuzzed = {(method, path) for method, path, _mode in CASES}
    assert {(operation.method.upper(), operation.path) for operation in operations} == fuzzed


@pytest.mark.parametrize(("method", "path", "mode"), CASES)
def test_every_answer_is_one_the_document_describes(app, catalog, method, path, mode):
    operation = document(app)[path][method]

    @given(case=operation.as_strategy(mode))
    @settings(
        max_examples=150,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def answers_as_documented(case):
        extra = [refused_only_by_the_booking_rules] if mode is POSITIVE else []
        case.call_and_validate(additional_checks=extra)

    answers_as_documented()
