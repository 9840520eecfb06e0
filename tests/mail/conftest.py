"""A real SMTP server process on loopback (aiosmtpd), writing what it receives to a Maildir."""

import mailbox
import socket
import subprocess
import sys
import time
from email import policy
from email.parser import BytesParser

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpServer:
    def __init__(self, port: int, maildir):
        self.port = port
        self.maildir = maildir
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                f"127.0.0.1:{self.port}",
                "-c",
                "aiosmtpd.handlers.Mailbox",
                str(self.maildir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.wait_listening()

    def wait_listening(self) -> None:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("aiosmtpd did not start")

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def messages(self) -> list:
        """Return the received messages, parsed with the standard library."""
        box = mailbox.Maildir(str(self.maildir), factory=None, create=True)
        parser = BytesParser(policy=policy.default)
        return [parser.parsebytes(box.get_bytes(key)) for key in sorted(box.keys())]


@pytest.fixture
def smtp_server(tmp_path):
    """An SMTP server process (not started: call .start(), so tests can start it late)."""
    server = SmtpServer(free_port(), tmp_path / "maildir")
    yield server
    server.stop()


@pytest.fixture
def smtp_app(app, smtp_server):
    """The app, sending through the loopback SMTP server."""
    app.config.update(MAIL_SUPPRESS_SEND=False, MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    return app
