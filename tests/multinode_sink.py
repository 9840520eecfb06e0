"""The multinode test's SMTP sink: aiosmtpd storing to a Maildir, and telling what it is doing.

    python -m aiosmtpd -n -l 127.0.0.1:PORT -c tests.multinode_sink.Sink MAILDIR LOG SLOW DELAY

Every message goes to MAILDIR, with the envelope sender in `X-MailFrom`. Each recipient
offered is written to LOG ("rcpt <sender> <recipient>") as it comes, and again once accepted
("accepted ..."). A sender whose address contains SLOW waits DELAY seconds at each recipient:
its worker is then caught in the middle of a message, holding its claim, most of the time.
"""

import asyncio
import time

from aiosmtpd.handlers import Mailbox


class Sink(Mailbox):
    def __init__(self, maildir: str, log: str, slow: str, delay: float):
        super().__init__(maildir)
        self.log, self.slow, self.delay = log, slow, delay

    @classmethod
    def from_cli(cls, _parser, maildir, log, slow, delay):
        return cls(maildir, log, slow, float(delay))

    def note(self, what: str, envelope, address: str) -> None:
        with open(self.log, "a", encoding="utf-8") as log:
            log.write(f"{time.time():.6f} {what} {envelope.mail_from} {address}\n")

    async def handle_RCPT(self, _server, _session, envelope, address, _options):
        self.note("rcpt", envelope, address)
        if self.slow in (envelope.mail_from or ""):
            await asyncio.sleep(self.delay)
        envelope.rcpt_tos.append(address)
        self.note("accepted", envelope, address)
        return "250 2.1.5 OK"
