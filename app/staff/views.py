"""The staff area: see its routes below."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")
