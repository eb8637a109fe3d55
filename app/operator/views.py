"""The operator area: see its routes below."""

from flask import Blueprint

bp = Blueprint("operator", __name__, url_prefix="/operator")
