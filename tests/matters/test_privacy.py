"""The privacy notice (RODO art. 13): linked from every page, true to the catalog's retention."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.matters.models import Matter
from tests.pages import page

pytestmark = pytest.mark.usefixtures("clock")
FORM_URL = "/matters/fami/book?location=fami-krakow&start=2026-12-10T10:00:00%2B01:00"


@pytest.mark.parametrize("path", ["/", "/matters/fami", FORM_URL, "/login", "/no-such-page"])
def test_every_page_links_to_the_privacy_notice(client, catalog, path):
    shown = page(client.get(path))
    assert "/privacy" in shown.hrefs("/privacy")


def test_the_notice_names_each_matter_with_visits_and_how_long_its_data_is_kept(client, catalog):
    disability = db.session.scalar(
        select(Matter).where(Matter.slug == "orzekanie-o-niepelnosprawnosci")
    )
    disability.retention_days = 45
    db.session.commit()

    shown = page(client.get("/privacy?lang=en"))

    assert "Disability assessment 45 days" in shown.text
    assert "FAMI project) 90 days" in shown.text
    assert "Prevention of domestic violence" not in shown.text  # no visits, no data
    assert "Article 6(1)(e) GDPR" in shown.text and "ul. Stawki 2" in shown.text


def test_the_notice_gives_the_controller_and_the_data_protection_officer(app, client, catalog):
    shown = page(client.get("/privacy?lang=pl"))
    assert "Administratorem Pani/Pana danych osobowych jest: Wojewoda Małopolski" in shown.text
    assert "z dopiskiem „Inspektor Ochrony Danych”" in shown.text

    app.config["DATA_PROTECTION_OFFICER"] = "iod@urzad.example"
    shown = page(client.get("/privacy?lang=uk"))
    assert "Зв’язатися з інспектором із захисту даних можна за адресою: iod@urzad.example" in (
        shown.text
    )


def test_the_forms_line_says_when_the_data_goes(client, catalog):
    shown = page(client.get(FORM_URL + "&lang=en"))
    assert "delete them 90 days after it." in shown.text
