"""The test client, posting forms as a browser does."""

import time

from django.test import Client
from django.utils.http import urlencode

from intake.forms import contact_form_stamp

FORM = "application/x-www-form-urlencoded"


class BrowserClient(Client):
    """A form's fields go as application/x-www-form-urlencoded, as a browser
    sends a form without files. Django's client sends multipart by default,
    which the site refuses outside the admin (intake/guards.py)."""

    def post(self, path, data=None, content_type=FORM, **kwargs):
        if content_type == FORM and not isinstance(data, str | bytes):
            data = urlencode(data or {}, doseq=True)
        return super().post(path, data, content_type, **kwargs)


def sent_by_a_person(values: dict) -> dict:
    """The contact form's fields as a person sends them: shown a minute ago,
    the robots' box left empty (intake.forms.ContactForm)."""
    return {**values, "shown_at": contact_form_stamp(time.time() - 60)}
