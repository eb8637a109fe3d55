"""Wizyta: visit booking for the Department of Social Policy."""

import secrets
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app import config, errors, security
from app.accounts import sessions
from app.extensions import babel, csrf, db, limiter, login_manager, migrate
from app.i18n import select_locale
from app.inputs import IdConverter
from app.retry import RetryingFlask

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    app = RetryingFlask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    app.url_map.converters["int"] = IdConverter
    app.config.from_mapping(config.DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_mapping(config.from_environment())
    if test_config is not None:
        app.config.from_mapping(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config["SQLALCHEMY_DATABASE_URI"] = config.database_uri(
        app.config["SQLALCHEMY_DATABASE_URI"]
        or f"sqlite:///{Path(app.instance_path) / 'wizyta.sqlite'}"
    )
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = config.engine_options(app.config)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = instance_secret_key(app)
    if proxies := app.config["PROXY_COUNT"]:
        # The client's address and scheme as the proxies in front saw them; what the client
        # itself wrote in X-Forwarded-* (beyond the last ``proxies`` entries) is ignored.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None  # the login page says enough
    security.init_app(app)
    sessions.init_app(app)

    from app import models  # noqa: F401  (every model, for Alembic and relationships)
    from app.accounts.cli import users_cli
    from app.accounts.views import bp as accounts_bp
    from app.admin import kiosks  # noqa: F401  (its routes join the admin blueprint)
    from app.admin.views import bp as admin_bp
    from app.api.views import bp as api_bp
    from app.booking.manage import bp as manage_bp
    from app.booking.views import bp as booking_bp
    from app.demo.cli import demo_cli
    from app.display.views import bp as display_bp
    from app.health import bp as health_bp
    from app.kiosk.views import bp as kiosk_bp
    from app.matters.cli import catalog_cli
    from app.matters.views import bp as matters_bp
    from app.metrics import bp as metrics_bp
    from app.operator.views import bp as operator_bp
    from app.scheduler.cli import scheduler_cli
    from app.staff.views import bp as staff_bp
    from app.statistics.views import bp as statistics_bp
    from app.templating import init_templating
    from app.waitlist.views import bp as waitlist_bp

    app.register_blueprint(health_bp)
    app.register_blueprint(metrics_bp)
    app.register_blueprint(matters_bp)
    app.register_blueprint(waitlist_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(operator_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(statistics_bp)
    app.register_blueprint(booking_bp)
    app.register_blueprint(manage_bp)
    app.register_blueprint(kiosk_bp)
    app.register_blueprint(display_bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    csrf.exempt(api_bp)
    app.cli.add_command(catalog_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(scheduler_cli)
    app.cli.add_command(users_cli)
    init_templating(app)
    errors.init_app(app)
    return app


def instance_secret_key(app: Flask) -> str:
    """A random key kept in ``instance/secret_key`` for installs that set none.

    Never a fixed fallback: each install gets its own, and production sets ``SECRET_KEY``.
    """
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
