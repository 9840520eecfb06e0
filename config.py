"""Configuration classes; every secret and address comes from the environment.

`APP_ENV` picks the class (`development` by default, `testing`, `production`).
Nothing here is read at import time by the application: `create_app` calls
`Config.init_app(app)` with the application's instance path.
"""

import os
import secrets
import socket
from datetime import timedelta
from pathlib import Path


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def database_url(url: str) -> str:
    """Point plain PostgreSQL URLs at the psycopg 3 driver we ship."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


#: The publisher's settings, each read from the environment variable of the same name.
OPERATOR_SETTINGS = (
    "SERVICE_NAME",
    "SERVICE_TAGLINE",
    "OPERATOR_BRAND",
    "OPERATOR_NAME",
    "OPERATOR_ADDRESS",
    "OPERATOR_DIRECTOR",
    "OPERATOR_HOST",
    "OPERATOR_DPO",
    "OPERATOR_CONTACT",
    "ACCESSIBILITY_STATUS",
    "ACCESSIBILITY_AUDIT",
)


class Config:
    APP_ENV = "development"
    SECRET_KEY: str | None = None
    BASE_URL: str | None = None

    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    #: Seconds a SQLite writer waits for the lock before "database is locked".
    SQLITE_BUSY_TIMEOUT = 15

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    MAX_CONTENT_LENGTH = 1024 * 1024
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Paris"

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False

    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    #: Replies go to each event's organisers (Reply-To), not to this address.
    MAIL_DEFAULT_SENDER = "Réunions d'information <reunions@accueil.localhost>"
    MAIL_SUPPRESS_SEND = False
    #: Seconds a worker's claim on a message lasts; renewed while it sends, taken over after.
    MAIL_CLAIM_LEASE = 20
    #: Seconds smtplib waits on each exchange with the relay (a slow relay is waited for).
    MAIL_TIMEOUT = 60
    #: Seconds before the first retry of a message the relay did not take; doubles each time.
    MAIL_RETRY_AFTER = 60

    #: This machine's name in the worker's heartbeat (/readyz): the host name by default.
    NODE_NAME: str | None = None
    #: Seconds between the worker's heartbeats; /readyz fails after three missed.
    WORKER_HEARTBEAT_INTERVAL = 10

    REDIS_URL: str | None = None
    #: How many reverse proxies stand in front of the app (X-Forwarded-For/-Proto hops).
    TRUSTED_PROXIES = 0
    RATELIMIT_STORAGE_URI = "memory://"
    #: Should Redis fail, limits go on in each process's memory (logged), never a 500.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}

    #: A staff session ends after this long without a request, and this long after login.
    STAFF_SESSION_IDLE = timedelta(hours=4)
    STAFF_SESSION_LIFETIME = timedelta(hours=12)

    #: The level of the JSON log lines (app/logs.py): DEBUG, INFO, WARNING...
    LOG_LEVEL = "INFO"
    #: The bearer token that opens /metrics; unset, /metrics answers 404 to everyone.
    METRICS_TOKEN: str | None = None

    #: Days a registration is kept after its event, then purged.
    RETENTION_DAYS = 180

    #: Who publishes the site (app/operator.py): unset, the first meeting's DINSIC and DITP.
    #: OPERATOR_BRAND is the bloc-marque's official title, lines separated by "|".
    SERVICE_NAME: str | None = None
    SERVICE_TAGLINE: str | None = None
    OPERATOR_BRAND: str | None = None
    OPERATOR_NAME: str | None = None
    OPERATOR_ADDRESS: str | None = None
    OPERATOR_DIRECTOR: str | None = None
    OPERATOR_HOST: str | None = None
    OPERATOR_DPO: str | None = None
    OPERATOR_CONTACT: str | None = None
    #: The RGAA conformance declared ("none", "partial", "full") and the audit behind it.
    ACCESSIBILITY_STATUS = "none"
    ACCESSIBILITY_AUDIT: str | None = None

    @classmethod
    def init_app(cls, app) -> None:
        """Fill the configuration from the environment and the instance folder."""
        env = os.environ
        instance = Path(app.instance_path)
        instance.mkdir(parents=True, exist_ok=True)
        config = app.config

        config["SECRET_KEY"] = env.get("SECRET_KEY") or config.get("SECRET_KEY")
        config["BASE_URL"] = env.get("BASE_URL") or config.get("BASE_URL")
        default_db = f"sqlite:///{instance / 'accueil.sqlite3'}"
        config["SQLALCHEMY_DATABASE_URI"] = database_url(
            env.get("DATABASE_URL") or config.get("SQLALCHEMY_DATABASE_URI") or default_db
        )
        config["MAIL_SERVER"] = env.get("MAIL_SERVER") or config["MAIL_SERVER"]
        config["MAIL_PORT"] = _env_int("MAIL_PORT", config["MAIL_PORT"])
        config["MAIL_USE_TLS"] = _env_bool("MAIL_USE_TLS", config["MAIL_USE_TLS"])
        config["MAIL_USE_SSL"] = _env_bool("MAIL_USE_SSL", config["MAIL_USE_SSL"])
        config["MAIL_USERNAME"] = env.get("MAIL_USERNAME") or config["MAIL_USERNAME"]
        config["MAIL_PASSWORD"] = env.get("MAIL_PASSWORD") or config["MAIL_PASSWORD"]
        config["MAIL_DEFAULT_SENDER"] = (
            env.get("MAIL_DEFAULT_SENDER") or config["MAIL_DEFAULT_SENDER"]
        )
        config["MAIL_SUPPRESS_SEND"] = _env_bool("MAIL_SUPPRESS_SEND", config["MAIL_SUPPRESS_SEND"])
        config["MAIL_CLAIM_LEASE"] = _env_int("MAIL_CLAIM_LEASE", config["MAIL_CLAIM_LEASE"])
        config["MAIL_TIMEOUT"] = _env_int("MAIL_TIMEOUT", config["MAIL_TIMEOUT"])
        config["MAIL_RETRY_AFTER"] = _env_int("MAIL_RETRY_AFTER", config["MAIL_RETRY_AFTER"])
        config["WORKER_HEARTBEAT_INTERVAL"] = _env_int(
            "WORKER_HEARTBEAT_INTERVAL", config["WORKER_HEARTBEAT_INTERVAL"]
        )
        config["NODE_NAME"] = env.get("NODE_NAME") or config["NODE_NAME"] or socket.gethostname()
        config["REDIS_URL"] = env.get("REDIS_URL") or config["REDIS_URL"]
        for name in OPERATOR_SETTINGS:
            config[name] = env.get(name, "").strip() or config.get(name)
        config["LOG_LEVEL"] = env.get("LOG_LEVEL", "").strip().upper() or config["LOG_LEVEL"]
        config["METRICS_TOKEN"] = env.get("METRICS_TOKEN", "").strip() or config["METRICS_TOKEN"]
        config["TRUSTED_PROXIES"] = _env_int("TRUSTED_PROXIES", config["TRUSTED_PROXIES"])
        if config["REDIS_URL"]:
            config["RATELIMIT_STORAGE_URI"] = config["REDIS_URL"]


class DevelopmentConfig(Config):
    @classmethod
    def init_app(cls, app) -> None:
        super().init_app(app)
        if not app.config["SECRET_KEY"]:
            app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
        app.config["BASE_URL"] = app.config["BASE_URL"] or "http://127.0.0.1:{}".format(
            os.environ.get("PORT", "5000")
        )


class TestingConfig(Config):
    APP_ENV = "testing"
    TESTING = True
    SECRET_KEY = "testing-only-secret"
    BASE_URL = "http://accueil.test"
    MAIL_SUPPRESS_SEND = True
    RATELIMIT_ENABLED = False
    #: Test-only canaries: take no seat lock / check in without the conditional write,
    #: to show that the race tests can fail. No other configuration has these switches.
    SEAT_LOCK_DISABLED = False
    CHECKIN_GUARD_DISABLED = False

    @classmethod
    def init_app(cls, app) -> None:
        super().init_app(app)
        app.config["SEAT_LOCK_DISABLED"] = _env_bool("ACCUEIL_TEST_DISABLE_SEAT_LOCK")
        app.config["CHECKIN_GUARD_DISABLED"] = _env_bool("ACCUEIL_TEST_DISABLE_CHECKIN_GUARD")


class ProductionConfig(Config):
    APP_ENV = "production"
    SESSION_COOKIE_SECURE = True

    @classmethod
    def init_app(cls, app) -> None:
        super().init_app(app)
        missing = [name for name in ("SECRET_KEY", "BASE_URL") if not app.config[name]]
        # Without a relay, mail would quietly pile up on disk: say so, unless asked not to send.
        if not app.config["MAIL_SERVER"] and os.environ.get("MAIL_SUPPRESS_SEND") is None:
            missing.append("MAIL_SERVER (or MAIL_SUPPRESS_SEND=1)")
        if missing:
            raise RuntimeError(
                "APP_ENV=production requires these environment variables: " + ", ".join(missing)
            )
        # Lifted only for plain HTTP on loopback (a smoke test behind no proxy).
        app.config["SESSION_COOKIE_SECURE"] = _env_bool("SESSION_COOKIE_SECURE", True)


def _instance_secret(instance: Path) -> str:
    """Return the development secret, generating it into instance/ once."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for_env() -> type[Config]:
    """Return the configuration class named by APP_ENV."""
    name = os.environ.get("APP_ENV", "development").strip() or "development"
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(
            f"Unknown APP_ENV {name!r}; expected one of {', '.join(CONFIGS)}"
        ) from None
