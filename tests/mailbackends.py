"""Mail backends for tests: a mail server that is down, refuses, or is slow."""

import smtplib
import threading

from django.core.mail.backends import locmem
from django.core.mail.backends.base import BaseEmailBackend


class DownEmailBackend(BaseEmailBackend):
    """Every send fails as when the mail server refuses the connection."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPConnectError(421, "down for the test")


class RecipientRefusedBackend(BaseEmailBackend):
    """A failure whose message names the recipient, as SMTP's do."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused(
            {address: (550, b"no") for m in email_messages for address in m.to}
        )


class SlowEmailBackend(locmem.EmailBackend):
    """Sends (to the test outbox) half a second after `sending` is set, so
    another worker can run meanwhile."""

    sending = threading.Event()

    def send_messages(self, email_messages):
        self.sending.set()
        threading.Event().wait(0.5)
        return super().send_messages(email_messages)
