"""Helpers for the staff tests: the forms and text of a page, as a browser reads them."""

import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

from sqlalchemy import select

from app.accounts.models import AuditEntry
from app.booking.models import Visit
from app.extensions import db


@dataclass
class Form:
    action: str
    method: str
    hidden: dict[str, str] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)  # text, date, time, textarea …
    selects: dict[str, list[str]] = field(default_factory=dict)
    buttons: list[tuple[str | None, str | None, str]] = field(default_factory=list)

    def data(self, button: str | None = None, **values) -> dict[str, str]:
        """What the browser sends: hidden fields, the values typed, and the button pressed
        (chosen by its text) if it has a name."""
        sent = dict(self.hidden) | {name: "" for name in self.inputs} | values
        if button is not None:
            (name, value) = next(
                (n, v) for n, v, text in self.buttons if text.split(" WP-")[0] == button
            )
            if name:
                sent[name] = value
        return sent


class Page(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.forms: list[Form] = []
        self.links: list[tuple[str, str]] = []
        self._text: list[str] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._button: list | None = None
        self._link: list | None = None
        self.feed(html)
        self.close()
        self.text = squeeze(" ".join(self._text))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        form = self._form
        if tag == "form":
            self._form = Form(attrs.get("action", ""), attrs.get("method", "get").lower())
            self.forms.append(self._form)
        elif tag == "a" and "href" in attrs:
            self._link = [attrs["href"], []]
        elif form and tag == "input" and "name" in attrs:
            target = form.hidden if attrs.get("type") == "hidden" else form.inputs
            target[attrs["name"]] = attrs.get("value") or ""
        elif form and tag == "textarea":
            form.inputs[attrs["name"]] = ""
        elif form and tag == "select":
            self._select = attrs["name"]
            form.selects[self._select] = []
        elif form and tag == "option" and self._select:
            form.selects[self._select].append(attrs["value"])
        elif form and tag == "button":
            self._button = [attrs.get("name"), attrs.get("value"), []]

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "a" and self._link:
            self.links.append((self._link[0], squeeze("".join(self._link[1]))))
            self._link = None
        elif tag == "button" and self._button and self._form:
            name, value, text = self._button
            self._form.buttons.append((name, value, squeeze("".join(text))))
            self._button = None

    def handle_data(self, data):
        self._text.append(data)
        for collecting in (self._button and self._button[2], self._link and self._link[1]):
            if collecting is not None and collecting is not False:
                collecting.append(data)

    def form(self, action: str) -> Form:
        """The one form posting to ``action`` (a path)."""
        (found,) = [form for form in self.forms if form.action == action]
        return found

    def has_form(self, action: str) -> bool:
        return any(form.action == action for form in self.forms)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", unescape(text)).strip()


def page(response) -> Page:
    return Page(response.get_data(as_text=True))


def visit_by(reference: str) -> Visit:
    db.session.expire_all()
    return db.session.scalar(select(Visit).where(Visit.reference == reference))


def audit_entries(action: str | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.action != "login").order_by(AuditEntry.id)
    if action:
        query = query.where(AuditEntry.action == action)
    return list(db.session.scalars(query))
