"""Kuza course server: the Flask application factory."""
from __future__ import annotations

import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from lms import config as config_module
from lms.courseware.django_support import configure_django
from lms.extensions import init_extensions
from lms.limits import init_limits
from lms.security import init_security
from lms.templating import init_templating


def create_app(config: type[config_module.Config] | str | None = None, **overrides) -> Flask:
    """Build the app: config, then extensions, then blueprints, then CLI commands.

    ``config`` is a config class, the name of one (``"default"``, ``"production"``,
    ``"testing"``) or ``None`` to read ``KUZA_CONFIG`` from the environment.
    """
    # The instance folder holds the embedded database and keys; KUZA_INSTANCE_PATH moves it.
    instance = os.environ.get("KUZA_INSTANCE_PATH")
    app = Flask(__name__, instance_relative_config=True, instance_path=os.path.abspath(instance) if instance else None)
    config_class = config_module.resolve(config)
    app.config.from_object(config_class)
    app.config.update(overrides)
    config_class.init_app(app)

    if app.config["KUZA_PROXY_COUNT"]:
        count = app.config["KUZA_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)

    configure_django()
    _import_models()
    # Registered first so its after_request runs last, once every cookie has been set.
    init_security(app)
    init_extensions(app)
    init_limits(app)
    init_templating(app)
    _register_blueprints(app)
    _connect_signals(app)
    _offer_block_services(app)
    _register_error_pages(app)

    from lms.cli import register_commands

    register_commands(app)
    return app


def _import_models() -> None:
    """Import every domain's models, so the metadata (create_all, Alembic) sees all tables."""
    from lms.accounts import models as _accounts  # noqa: F401
    from lms.catalog import models as _catalog  # noqa: F401
    from lms.courseware import models as _courseware  # noqa: F401
    from lms.plans import models as _plans  # noqa: F401
    from lms.certificates import models as _certificates  # noqa: F401
    from lms.authoring import models as _authoring  # noqa: F401
    from lms.cohorts import models as _cohorts  # noqa: F401


def _register_blueprints(app: Flask) -> None:
    from lms.accounts.views import bp as accounts_bp
    from lms.catalog.views import bp as catalog_bp
    from lms.courseware.views import bp as courseware_bp
    from lms.plans.views import bp as plans_bp
    from lms.certificates.views import bp as certificates_bp
    from lms.library.views import bp as library_bp
    from lms.authoring.views import bp as authoring_bp
    from lms.cohorts.views import bp as cohorts_bp

    for bp in (accounts_bp, catalog_bp, courseware_bp, plans_bp, certificates_bp, library_bp, authoring_bp,
               cohorts_bp):
        app.register_blueprint(bp)


def _connect_signals(app: Flask) -> None:
    """Later domains react to earlier ones' signals: new progress may earn a certificate."""
    from lms.certificates.views import issue_on_progress
    from lms.courseware.signals import progress_recorded

    progress_recorded.connect(issue_on_progress, sender=app)


def _offer_block_services(app: Flask) -> None:
    """Later domains offer blocks services through courseware's runtime: plans gives plan blocks their reviews."""
    from lms.courseware.services import offer_block_service
    from lms.plans.views import review_service

    offer_block_service(app, "plans", review_service)


def _register_error_pages(app: Flask) -> None:
    from flask import render_template
    from flask_wtf.csrf import CSRFError

    def error_page(error):
        code = getattr(error, "code", 500)
        return render_template("error.html", code=code, error=error), code

    def too_many_requests(error):
        from lms.limits import retry_after

        return render_template("error.html", code=429, error=error), 429, {"Retry-After": str(retry_after())}

    for code in (400, 403, 404, 405, 413):
        app.register_error_handler(code, error_page)
    app.register_error_handler(429, too_many_requests)
    app.register_error_handler(CSRFError, error_page)
