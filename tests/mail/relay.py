"""A relay that misbehaves, as a real process: slow to accept, or refusing at first (451).

    python -m aiosmtpd -n -l 127.0.0.1:PORT -c tests.mail.relay.Faulty MAILDIR DELAY REFUSE STAGE

Each message is held DELAY seconds before the relay answers the final dot (STAGE "data"), or
before it answers RCPT (STAGE "rcpt": a sender killed meanwhile has sent nothing yet); the
first REFUSE messages are answered 451 (try again later). What it accepts goes to the Maildir.
"""

import asyncio
import mailbox
import subprocess
import sys

from tests.mail.conftest import SmtpServer


class Faulty:
    def __init__(self, maildir: str, delay: float, refuse: int, stage: str):
        self.mailbox = mailbox.Maildir(maildir)
        self.delay, self.refuse, self.stage = delay, refuse, stage

    @classmethod
    def from_cli(cls, _parser, maildir, delay="0", refuse="0", stage="data"):
        return cls(maildir, float(delay), int(refuse), stage)

    async def handle_RCPT(self, _server, _session, envelope, address, _options):
        if self.stage == "rcpt":
            await asyncio.sleep(self.delay)
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, _server, _session, envelope):
        if self.refuse > 0:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        if self.stage == "data":
            await asyncio.sleep(self.delay)
        self.mailbox.add(envelope.original_content)
        return "250 2.0.0 Accepted"


class FaultyRelay(SmtpServer):
    """The loopback SMTP server of tests/mail/conftest.py, slow or refusing as asked."""

    def __init__(self, port: int, maildir, *, delay=0.0, refuse=0, stage="data"):
        super().__init__(port, maildir)
        self.handler = [f"{__name__}.Faulty", str(maildir), str(delay), str(refuse), stage]

    def start(self) -> None:
        command = [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{self.port}"]
        self.process = subprocess.Popen([*command, "-c", *self.handler], stdout=subprocess.DEVNULL)
        self.wait_listening()
