"""HTML pages as a browser without JavaScript reads them: text, links, forms and the data a
form sends back. Every test folder reads pages through this one reader.

``text`` is every piece of character data of the page, entities decoded, runs of white space
squeezed to one space; it includes the page's title and text hidden from the eye but read
aloud (``visually-hidden``) and leaves out text shown but not read (``aria-hidden="true"``),
as a screen reader hears the page.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import NamedTuple

HIDDEN_FROM_THE_EYE = "visually-hidden"
NOT_SENT = ("button", "reset", "image")  # inputs a plain press never sends
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Link(NamedTuple):
    href: str
    text: str

    @property
    def path(self) -> str:
        """The link without its #fragment, as the test client requests it."""
        return self.href.partition("#")[0]


@dataclass(frozen=True)
class Button:
    name: str | None
    value: str | None
    text: str  # as a screen reader hears it: "Confirm WP-7K3D9Q"
    label: str  # as it is shown: "Confirm"


@dataclass
class Form:
    action: str
    method: str
    hidden: dict[str, str] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)  # text, date, time, textarea …
    options: dict[str, list[str]] = field(default_factory=dict)  # of a select or radio group
    chosen: dict[str, str] = field(default_factory=dict)  # selected option, checked box
    buttons: list[Button] = field(default_factory=list)

    @property
    def fields(self) -> dict[str, str]:
        """What the form sends as it stands, before anything is typed or pressed."""
        return self.hidden | self.inputs | self.chosen

    def data(self, button: str | None = None, **values) -> dict[str, str]:
        """What the browser sends: the form's fields with the ``values`` typed, and the button
        pressed (chosen by its label) if it has a name."""
        sent = self.fields | values
        if button is not None:
            (pressed,) = [b for b in self.buttons if b.label == button]
            if pressed.name:
                sent[pressed.name] = pressed.value or ""
        return sent


class Page(HTMLParser):
    """A page's text, its links and its forms; ``part`` reads one piece of it."""

    def __init__(self, html: str):
        super().__init__()
        self.html = html
        self.links: list[Link] = []
        self.forms: list[Form] = []
        self.attributes: dict[str, dict] = {}  # a field's attributes, by its name
        self._text: list[str] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: tuple[str, list[str]] | None = None
        self._link: tuple[str, list[str]] | None = None
        self._button: tuple[dict, list[str], list[str]] | None = None
        self._hidden: list[str] = []  # the open tags of a visually hidden element
        self._unheard: list[str] = []  # the open tags of an element hidden from screen readers
        self.feed(html)
        self.close()
        self.text = squeeze(" ".join(self._text))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._follow_hidden(tag, attrs)
        if tag == "a" and "href" in attrs:
            self._link = (attrs["href"], [])
        elif tag == "form":
            self._form = Form(attrs.get("action", ""), attrs.get("method", "get").lower())
            self.forms.append(self._form)
        elif tag in ("input", "select", "textarea") and "name" in attrs:
            self.attributes[attrs["name"]] = attrs
            if self._form:
                self._field(self._form, tag, attrs)
        elif tag == "option" and self._form and self._select:
            self._form.options[self._select].append(attrs["value"])
            if "selected" in attrs or self._select not in self._form.chosen:
                self._form.chosen[self._select] = attrs["value"]
        elif tag == "button" and self._form:
            self._button = (attrs, [], [])

    def _follow_hidden(self, tag: str, attrs: dict) -> None:
        """Note an element hidden from the eye or from the ear, and the tags of its name
        nested in it."""
        if tag in VOID:
            return
        if self._unheard:
            if tag == self._unheard[0]:
                self._unheard.append(tag)
        elif attrs.get("aria-hidden") == "true":
            self._unheard.append(tag)
        if self._hidden:
            if tag == self._hidden[0]:
                self._hidden.append(tag)
        elif HIDDEN_FROM_THE_EYE in (attrs.get("class") or "").split():
            self._hidden.append(tag)

    def _field(self, form: Form, tag: str, attrs: dict) -> None:
        name, kind, value = attrs["name"], attrs.get("type", "text"), attrs.get("value") or ""
        if tag == "select":
            self._select = name
            form.options[name] = []
        elif tag == "textarea":
            self._textarea = (name, [])
        elif kind == "hidden":
            form.hidden[name] = value
        elif kind in ("radio", "checkbox"):
            form.options.setdefault(name, []).append(attrs.get("value", "on"))
            if "checked" in attrs:
                form.chosen[name] = attrs.get("value", "on")
        elif kind == "submit":
            form.buttons.append(Button(name, value, value, value))
        elif kind not in NOT_SENT:
            form.inputs[name] = value

    def handle_endtag(self, tag):
        if self._hidden and tag == self._hidden[-1]:
            self._hidden.pop()
        if self._unheard and tag == self._unheard[-1]:
            self._unheard.pop()
        if tag == "a" and self._link:
            href, text = self._link
            self.links.append(Link(href, squeeze("".join(text))))
            self._link = None
        elif tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea and self._form:
            name, text = self._textarea
            self._form.inputs[name] = "".join(text).removeprefix("\n")  # as browsers do
            self._textarea = None
        elif tag == "button" and self._button and self._form:
            attrs, heard, shown = self._button
            self._form.buttons.append(
                Button(
                    attrs.get("name"),
                    attrs.get("value"),
                    squeeze("".join(heard)),
                    squeeze("".join(shown)),
                )
            )
            self._button = None

    def handle_data(self, data):
        heard = not self._unheard
        if heard:
            self._text.append(data)
        if self._link and heard:
            self._link[1].append(data)
        if self._textarea:
            self._textarea[1].append(data)
        if self._button:
            if heard:
                self._button[1].append(data)
            if not self._hidden:
                self._button[2].append(data)

    def link(self, containing: str) -> Link:
        """The one link whose text contains ``containing``."""
        found = [link for link in self.links if containing in link.text]
        assert len(found) == 1, f"{len(found)} links with {containing!r}: {found}"
        return found[0]

    def hrefs(self, prefix: str) -> list[str]:
        """The targets of the links that start with ``prefix``, in the page's order."""
        return [link.href for link in self.links if link.href.startswith(prefix)]

    def form(self, action: str) -> Form:
        """The one form posting to ``action`` (a path; "" for a form without an action)."""
        (found,) = [form for form in self.forms if form.action == action]
        return found

    def has_form(self, action: str) -> bool:
        return any(form.action == action for form in self.forms)

    @property
    def fields(self) -> dict[str, str]:
        """The fields of every form on the page together (a page of one form besides the
        log-out button is read and sent back this way)."""
        return {name: value for form in self.forms for name, value in form.fields.items()}

    @property
    def options(self) -> dict[str, list[str]]:
        """The choices of every select and radio group on the page, by name."""
        return {name: values for form in self.forms for name, values in form.options.items()}

    def part(self, start: str, end: str) -> str:
        """The text from the first match of the pattern ``start`` to the next ``end``."""
        match = re.search(f"{start}.*?{end}", self.html, re.S)
        return Page(match.group()).text if match else ""

    def section(self, heading_id: str) -> "Page":
        """The ``<section>`` labelled by the heading ``heading_id``, as a page of its own (up to
        its first ``</section>``: a section nested in it ends it)."""
        pattern = f'<section[^>]*aria-labelledby="{heading_id}"[^>]*>.*?</section>'
        match = re.search(pattern, self.html, re.S)
        assert match, f"no section labelled by #{heading_id}"
        return Page(match.group())

    def errors_of(self, field: str) -> str:
        """The messages shown at the field ``field`` (its id)."""
        return self.part(f'<ul class="errors" id="{field}-error"', "</ul>")

    @property
    def messages(self) -> str:
        """The flashed messages at the top of the page."""
        return self.part(r'<div class="messages"', "</div>")


def squeeze(text: str) -> str:
    return " ".join(text.split())


def page(response, status: int | None = None) -> Page:
    """The page a response carries; with ``status``, first check that it is that, in HTML."""
    html = response.get_data(as_text=True)
    if status is not None:
        assert response.status_code == status, (
            response.status_code,
            response.location,
            html[-2000:],
        )
        assert response.mimetype == "text/html"
    return Page(html)


def get(client, url: str, status: int = 200, **kwargs) -> Page:
    """The page at ``url``, which must answer ``status``; ``kwargs`` go to ``client.get``."""
    return page(client.get(url, **kwargs), status)
