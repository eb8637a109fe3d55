"""Helpers of the infoline tests: a caller, and the booking form sent as an operator sends it."""

from tests.pages import Page, get

CALLER = {"name": "Jan Kowalski", "phone": "600 100 200", "email": "", "language": "pl"}


def post_form(client, url: str, page: Page, **fields):
    """Send the form of ``page`` that posts to ``url`` with its own values, changed by
    ``fields``."""
    return client.post(url, data=page.form(url).data(**fields))


def book(client, slug: str, slot: str, **caller):
    """Open the booking form for ``slot`` and send it with the caller's details."""
    url = f"/operator/matters/{slug}/book"
    form = get(client, url, query_string={"slot": slot})
    return post_form(client, url, form, **(CALLER | caller))
