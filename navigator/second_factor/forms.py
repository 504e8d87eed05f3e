"""The second factor's forms: a code to continue, and a first code to enrol.

Checking a code is the validation here, as in django-otp's own forms: the
device counts a wrong code (and slows down the next tries), and a recovery code
is used up when it matches.
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

APP_CODE = re.compile(r"^\d{6}$")
WRONG_CODE = _(
    "That code did not work. Check the code your app shows now (it changes every "
    "30 seconds), or use a recovery code you have not used before, and try again."
)
PAUSED = _(
    "There were too many wrong codes in a row, so checking is paused for a short "
    "while. Wait a minute, then try again."
)


def normalise(code: str) -> str:
    """Spaces and dashes out, lower case: how people copy codes varies."""
    return re.sub(r"[\s-]", "", code).lower()


def code_field(help_text):
    return forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=help_text,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none"}
        ),
    )


class CodeForm(forms.Form):
    """A code from the authenticator app, or one of the recovery codes."""

    code = code_field(
        _(
            "The 6-digit code your authenticator app shows now, or one of your "
            "recovery codes."
        )
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def _device_for(self, code: str):
        """Six digits are for the app; anything else can only be a recovery code.

        One device is asked, so a code for one never counts as a failure
        against the other.
        """
        model = TOTPDevice if APP_CODE.match(code) else StaticDevice
        return model.objects.devices_for_user(self.user, confirmed=True).first()

    def clean_code(self):
        code = normalise(self.cleaned_data["code"])
        device = self._device_for(code)
        if device is None:
            raise forms.ValidationError(WRONG_CODE, code="wrong")
        allowed, _reason = device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(PAUSED, code="paused")
        self.device = verify_token(self.user, device.persistent_id, code)
        if self.device is None:
            raise forms.ValidationError(WRONG_CODE, code="wrong")
        return code


class EnrolForm(forms.Form):
    """The first code from a newly added app, which proves it is set up."""

    code = code_field(_("The 6-digit code your authenticator app shows now."))

    def __init__(self, device: TOTPDevice, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = normalise(self.cleaned_data["code"])
        allowed, _reason = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(PAUSED, code="paused")
        if not (APP_CODE.match(code) and self.device.verify_token(code)):
            raise forms.ValidationError(WRONG_CODE, code="wrong")
        return code
