"""Accueil: registration, tickets and check-in for information sessions."""

from pathlib import Path

from flask import Flask

from config import Config, config_for_env

ROOT = Path(__file__).resolve().parent.parent


def create_app(
    config_class: type[Config] | None = None, instance_path: str | None = None, **overrides
) -> Flask:
    """Create and configure an application instance."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        instance_path=instance_path or str(ROOT / "instance"),
    )
    config_class = config_class or config_for_env()
    app.config.from_object(config_class)
    config_class.init_app(app)
    app.config.update(overrides)

    from app import auth, cli, database, errors, formats, i18n, labels, logs, operator, security
    from app.extensions import csrf, limiter, migrate

    logs.init_app(app)  # first, so that its request id is there for every other hook
    database.init_app(app)
    migrate.init_app(app, database.db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    auth.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    labels.init_app(app)
    formats.init_app(app)
    operator.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    cli.init_app(app)

    from app.api.offline import bp as api_offline_bp
    from app.api.views import bp as api_bp
    from app.checkin.views import bp as checkin_bp
    from app.events.views import bp as events_bp
    from app.exports.views import bp as exports_bp
    from app.exports.views import certificate_bp
    from app.metrics.views import bp as metrics_bp
    from app.registration.manage.views import bp as manage_bp
    from app.registration.views import bp as registration_bp
    from app.site.views import bp as site_bp
    from app.staff.views import bp as staff_bp

    app.register_blueprint(site_bp)
    app.register_blueprint(metrics_bp)
    app.register_blueprint(events_bp)
    app.register_blueprint(registration_bp)
    app.register_blueprint(manage_bp)
    app.register_blueprint(checkin_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(api_offline_bp)
    app.register_blueprint(exports_bp)
    app.register_blueprint(certificate_bp)
    app.register_blueprint(staff_bp)
    return app
