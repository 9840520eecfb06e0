"""The desk's mail goes through the same real SMTP process as the registrants' mail."""

from tests.mail.conftest import smtp_app, smtp_server  # noqa: F401 (fixtures)
