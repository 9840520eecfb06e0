import pytest
from sqlalchemy import text

from app import create_app
from app.extensions import db
from config import DevelopmentConfig, ProductionConfig, TestingConfig, database_url


def test_production_refuses_to_start_without_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("BASE_URL", "https://accueil.example.gouv.fr")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig, instance_path=str(tmp_path))


def test_production_sets_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("BASE_URL", "https://accueil.example.gouv.fr")
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.gouv.fr")
    app = create_app(ProductionConfig, instance_path=str(tmp_path))
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_development_generates_its_secret_once(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")

    class Dev(DevelopmentConfig):
        pass

    first = create_app(Dev, instance_path=str(tmp_path))
    secret_file = first.instance_path + "/secret_key"
    second = create_app(Dev, instance_path=str(tmp_path))
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 40
    with open(secret_file) as handle:
        assert handle.read().strip() == first.config["SECRET_KEY"]


def test_postgres_urls_use_psycopg():
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("sqlite:///x") == "sqlite:///x"


def test_sqlite_runs_with_wal_busy_timeout_and_foreign_keys(tmp_path):
    app = create_app(
        TestingConfig,
        instance_path=str(tmp_path),
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'pragmas.sqlite3'}",
    )
    with app.app_context(), db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 15000


def test_production_refuses_to_start_without_a_mail_relay(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("BASE_URL", "https://accueil.example.gouv.fr")
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.delenv("MAIL_SERVER", raising=False)
    monkeypatch.delenv("MAIL_SUPPRESS_SEND", raising=False)
    with pytest.raises(RuntimeError, match="MAIL_SERVER"):
        create_app(ProductionConfig, instance_path=str(tmp_path))
    monkeypatch.setenv("MAIL_SUPPRESS_SEND", "1")  # said out loud: no mail at all
    assert create_app(ProductionConfig, instance_path=str(tmp_path)).config["MAIL_SUPPRESS_SEND"]
