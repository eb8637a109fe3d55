"""Helpers for the infoline tests: pages as a browser without JavaScript reads them."""

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from sqlalchemy import select

from app.accounts.models import AuditEntry
from app.booking.models import Visit
from app.extensions import db

REFERENCE = re.compile(r"WP-[23456789ABCDEFGHJKMNPQRSTWXYZ]{6}")


@dataclass(frozen=True)
class Link:
    href: str
    text: str


class Page(HTMLParser):
    """What a reader gets from an HTML page: its text, links and form fields."""

    def __init__(self, html: str):
        super().__init__()
        self.html = html
        self.links: list[Link] = []
        self.fields: dict[str, str] = {}
        self.options: dict[str, list[str]] = {}
        self._select: str | None = None
        self._text: list[str] = []
        self._link: tuple[str, list[str]] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "href" in attrs:
            self._link = (attrs["href"], [])
        elif tag == "input" and "name" in attrs and attrs.get("type") != "radio":
            self.fields[attrs["name"]] = attrs.get("value") or ""
        elif tag == "input" and attrs.get("type") == "radio":
            self.options.setdefault(attrs["name"], []).append(attrs["value"])
        elif tag == "select":
            self._select = attrs["name"]
            self.options[self._select] = []
        elif tag == "option" and self._select:
            self.options[self._select].append(attrs["value"])
            if "selected" in attrs or self._select not in self.fields:
                self.fields[self._select] = attrs["value"]

    def handle_endtag(self, tag):
        if tag == "a" and self._link:
            href, text = self._link
            self.links.append(Link(href, squeeze("".join(text))))
            self._link = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        self._text.append(data)
        if self._link:
            self._link[1].append(data)

    @property
    def text(self) -> str:
        return squeeze(" ".join(self._text))

    def link(self, containing: str) -> Link:
        """The one link whose text contains ``containing``."""
        found = [link for link in self.links if containing in link.text]
        assert len(found) == 1, f"{len(found)} links with {containing!r}: {found}"
        return found[0]

    def hrefs(self, prefix: str) -> list[str]:
        return [link.href for link in self.links if link.href.startswith(prefix)]

    def part(self, start: str, end: str) -> str:
        match = re.search(f"{start}.*?{end}", self.html, re.S)
        return Page(match.group()).text if match else ""

    def errors_of(self, field: str) -> str:
        return self.part(f'<ul class="errors" id="{field}-error"', "</ul>")


def squeeze(text: str) -> str:
    return " ".join(text.split())


def page_of(response, status: int = 200) -> Page:
    assert response.status_code == status, (response.status_code, response.location)
    assert response.mimetype == "text/html"
    return Page(response.get_data(as_text=True))


def get(client, url: str, status: int = 200, **kwargs) -> Page:
    return page_of(client.get(url, **kwargs), status)


def visits() -> list[Visit]:
    db.session.expire_all()
    return list(db.session.scalars(select(Visit).order_by(Visit.id)))


def audit_entries() -> list[AuditEntry]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


CALLER = {"name": "Jan Kowalski", "phone": "600 100 200", "email": "", "language": "pl"}


def post_form(client, url: str, page: Page, **fields):
    """Send the form of ``page`` to ``url`` with its own values, changed by ``fields``."""
    return client.post(url, data=page.fields | fields)


def book(client, slug: str, slot: str, **caller):
    """Open the booking form for ``slot`` and send it with the caller's details."""
    url = f"/operator/matters/{slug}/book"
    form = get(client, url, query_string={"slot": slot})
    return post_form(client, url, form, **(CALLER | caller))
