"""The administrators' kiosks: one per entrance, bound to a place. A kiosk is added, or given a
new set-up link, with the link shown once (and as a QR code for the tablet's camera); it can be
withdrawn, which stops the device at once.

The link is shown after a redirect (post/redirect/get): reloading its page adds no second kiosk
and issues no second link. It waits in the session for that one page only.
"""

import segno
from flask import current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from app.accounts import audit
from app.admin.forms import ButtonForm, KioskForm
from app.admin.views import bp, done, save
from app.database import utcnow
from app.extensions import db
from app.i18n import localized
from app.kiosk.devices import new_link_token, withdraw
from app.kiosk.models import Kiosk
from app.matters.models import Location


def kiosk_form() -> KioskForm:
    form = KioskForm()
    places = db.session.scalars(select(Location).order_by(Location.id))
    form.location.choices = [SelectChoice(str(place.id), localized(place.name)) for place in places]
    return form


def snapshot(kiosk: Kiosk) -> dict:
    return {"name": kiosk.name, "location_id": kiosk.location_id}


def list_page(form: KioskForm, status: int = 200):
    kiosks = db.session.scalars(
        select(Kiosk).order_by(Kiosk.revoked_at.is_not(None), Kiosk.location_id, Kiosk.id)
    )
    page = render_template("admin/kiosks.html", kiosks=kiosks, form=form, button=ButtonForm())
    return page, status


@bp.get("/kiosks")
def kiosks():
    return list_page(kiosk_form())


@bp.post("/kiosks")
def kiosk_new():
    form = kiosk_form()
    if not form.validate_on_submit():
        return list_page(form, 400)
    kiosk = Kiosk(location_id=int(form.location.data), name=form.name.data)
    db.session.add(kiosk)
    token = new_link_token(kiosk)
    db.session.flush()
    audit.record("kiosk.add", f"kiosk {kiosk.id}", after=snapshot(kiosk))
    db.session.commit()
    return show_once(kiosk, token)


@bp.post("/kiosks/<int:kiosk_id>/link")
def kiosk_link(kiosk_id: int):
    kiosk = db.get_or_404(Kiosk, kiosk_id)
    if not ButtonForm().validate_on_submit() or not kiosk.is_active:
        return done(url_for(".kiosks"))
    token = new_link_token(kiosk)
    audit.record("kiosk.link", f"kiosk {kiosk.id}", after=snapshot(kiosk))
    db.session.commit()
    return show_once(kiosk, token)


LINK_TO_SHOW = "kiosk_link_to_show"


def show_once(kiosk: Kiosk, token: str):
    session[LINK_TO_SHOW] = {"kiosk": kiosk.id, "token": token}
    return redirect(url_for(".kiosk_link_page", kiosk_id=kiosk.id), 303)


@bp.get("/kiosks/<int:kiosk_id>/link")
def kiosk_link_page(kiosk_id: int):
    """The set-up link, shown this once (only its hash is kept)."""
    kiosk = db.get_or_404(Kiosk, kiosk_id)
    waiting = session.pop(LINK_TO_SHOW, None)
    if not waiting or waiting["kiosk"] != kiosk.id:
        flash(_("A set-up link is shown only once. To set up a device, issue a new link."), "error")
        return redirect(url_for(".kiosks"), 303)
    link = current_app.config["PUBLIC_URL"].rstrip("/") + url_for(
        "kiosk.set_up", token=waiting["token"]
    )
    qr_code = Markup(segno.make(link, error="m").svg_inline(scale=6, border=2))
    return render_template("admin/kiosk_link.html", kiosk=kiosk, link=link, qr_code=qr_code)


@bp.post("/kiosks/<int:kiosk_id>/withdraw")
def kiosk_withdraw(kiosk_id: int):
    kiosk = db.get_or_404(Kiosk, kiosk_id)
    if ButtonForm().validate_on_submit() and kiosk.is_active:
        before = snapshot(kiosk)
        withdraw(kiosk, utcnow())
        audit.record("kiosk.withdraw", f"kiosk {kiosk.id}", before=before)
        save(True, _("The kiosk is withdrawn: the device no longer checks anybody in."))
    return done(url_for(".kiosks"))
