"""Demo accounts for local development: a coordinator, a catalog editor and a
clinical reviewer.

Idempotent: run again, it resets the same three accounts to the same state. The
passwords are printed and fixed on purpose, so they must never exist on a real
server: the command refuses to run with DEBUG off unless told --force.

All three accounts need a second factor like every coordinator and staff member (the
check has no switch to turn it off). They share an authenticator app whose
secret is fixed and published here, so the command prints the secret, an
otpauth:// link for an app, and the code valid now: run it again for a fresh
code.
"""

import time
from base64 import b32encode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

COORDINATORS_GROUP = "Coordinators"
# LOCAL DEVELOPMENT ONLY: the hex of b"local-demo-only-totp", published here.
DEMO_TOTP_KEY = "6c6f63616c2d64656d6f2d6f6e6c792d746f7470"
DEMO_TOTP_NAME = "Demo authenticator (local only, published secret)"
DEMO_USERS = {
    "coordinator": {
        "password": "coordinator-demo-only",
        "first_name": "Demo",
        "last_name": "Coordinator",
        "email": "coordinator@example.org",
    },
    "editor": {
        "password": "editor-demo-only",
        "first_name": "Demo",
        "last_name": "Editor",
        "email": "editor@example.org",
    },
    "reviewer": {
        "password": "reviewer-demo-only",
        "first_name": "Demo",
        "last_name": "Reviewer",
        "email": "reviewer@example.org",
    },
}
REVIEWERS_GROUP = "Clinical reviewers"


class Command(BaseCommand):
    help = (
        "Create or reset a demo coordinator, catalog editor and clinical reviewer "
        "(staff). "
        "Local development only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (never on a real server).",
        )

    @transaction.atomic
    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: demo accounts with published passwords do not belong "
                "on a real server. Use --force only on a local or test machine."
            )
        User = get_user_model()
        try:
            group = Group.objects.get(name=COORDINATORS_GROUP)
        except Group.DoesNotExist:
            raise CommandError(
                "The Coordinators group is missing: run `manage.py migrate` first."
            ) from None

        users = {}
        for username, fields in DEMO_USERS.items():
            user, _created = User.objects.get_or_create(username=username)
            user.first_name = fields["first_name"]
            user.last_name = fields["last_name"]
            user.email = fields["email"]
            user.is_active = True
            user.is_superuser = False
            user.set_password(fields["password"])
            users[username] = user

        coordinator = users["coordinator"]
        coordinator.is_staff = False
        coordinator.save()
        coordinator.user_permissions.clear()
        coordinator.groups.set([group])

        editing = Permission.objects.filter(
            content_type__app_label="therapies",
            codename__regex=r"^(add|change|view)_",
        )
        for name in ("editor", "reviewer"):
            staff = users[name]
            staff.is_staff = True
            staff.save()
            staff.groups.clear()
            staff.user_permissions.set(editing)
        reviewers = Group.objects.filter(name=REVIEWERS_GROUP).first()
        if reviewers is None:
            raise CommandError(
                "The Clinical reviewers group is missing: run `manage.py migrate` first."
            )
        users["reviewer"].groups.set([reviewers])

        devices = {name: self._demo_device(user) for name, user in users.items()}
        self.stdout.write(
            self.style.WARNING(
                "LOCAL DEVELOPMENT ONLY: these passwords and the second-factor "
                "secret are published in the code."
            )
        )
        self.stdout.write(
            "  Coordinator (sign in at /accounts/login/, works /review/):"
        )
        self.stdout.write(
            f"    username: coordinator   password: {DEMO_USERS['coordinator']['password']}"
        )
        self.stdout.write(
            "  Catalog editor (staff, edits content at /admin/, no submissions):"
        )
        self.stdout.write(
            f"    username: editor        password: {DEMO_USERS['editor']['password']}"
        )
        self.stdout.write(
            "  Clinical reviewer (staff, edits and publishes catalog releases at "
            "/admin/therapies/catalogrelease/):"
        )
        self.stdout.write(
            f"    username: reviewer      password: {DEMO_USERS['reviewer']['password']}"
        )
        self._print_second_factor(devices)

    def _demo_device(self, user) -> TOTPDevice:
        """The shared demo authenticator, reset: confirmed, no drift, no throttle."""
        TOTPDevice.objects.filter(user=user).delete()
        return TOTPDevice.objects.create(
            user=user, name=DEMO_TOTP_NAME, key=DEMO_TOTP_KEY, confirmed=True
        )

    def _print_second_factor(self, devices: dict) -> None:
        device = devices["coordinator"]
        secret = b32encode(device.bin_key).decode()
        code = totp(device.bin_key, device.step, device.t0, device.digits)
        seconds_left = device.step - int(time.time() - device.t0) % device.step
        self.stdout.write(
            "  Second factor for all three (after the password, a 6-digit code):"
        )
        self.stdout.write(
            f"    code now: {code:06d} (valid about {seconds_left + device.step} s; "
            "run this command again for a fresh one)"
        )
        self.stdout.write(f"    or add this key to an authenticator app: {secret}")
        for name, each in devices.items():
            self.stdout.write(f"    {name}: {each.config_url}")
