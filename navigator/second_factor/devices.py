"""A person's second-factor devices: the authenticator app and recovery codes.

django-otp stores them: a TOTPDevice for the app (unconfirmed until its first
code is entered) and a StaticDevice holding the recovery codes, each removed
when used.
"""

from base64 import b32encode

import segno
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

APP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
RECOVERY_CODES = 10


def app_device_to_enrol(user) -> TOTPDevice:
    """The app being set up: the same secret on every visit until it is confirmed."""
    waiting = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    return waiting or TOTPDevice.objects.create(
        user=user, name=APP_NAME, confirmed=False
    )


def secret_text(device: TOTPDevice) -> str:
    """The secret as apps ask for it (base32), in groups of four to type easily."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The app's setup link as a QR code, an SVG image inside the page."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(
        device__in=StaticDevice.objects.devices_for_user(user, confirmed=True)
    ).count()


@transaction.atomic
def recovery_codes_replace(*, user) -> list[str]:
    """New recovery codes for `user`, replacing any left. The person sees them
    once; django-otp keeps them to match against and deletes each when used."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=code) for code in codes
    )
    return codes


@transaction.atomic
def app_device_confirm(*, device: TOTPDevice) -> list[str]:
    """The app's first code matched: it counts from now on, with recovery codes."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.devices_for_user(device.user, confirmed=False).delete()
    return recovery_codes_replace(user=device.user)
