from tests.mail.conftest import smtp_app, smtp_server  # noqa: F401 (fixtures)
