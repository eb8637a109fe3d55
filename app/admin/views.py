"""The admin area: see its routes below."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
