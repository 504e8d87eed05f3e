"""Demo accounts for local development: a coordinator and a catalog editor.

Idempotent: run again, it resets the same two accounts to the same state. The
passwords are printed and fixed on purpose, so they must never exist on a real
server: the command refuses to run with DEBUG off unless told --force.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

COORDINATORS_GROUP = "Coordinators"
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
}


class Command(BaseCommand):
    help = (
        "Create or reset a demo coordinator and a demo catalog editor (staff). "
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

        editor = users["editor"]
        editor.is_staff = True
        editor.save()
        editor.groups.clear()
        editor.user_permissions.set(
            Permission.objects.filter(
                content_type__app_label="therapies",
                codename__regex=r"^(add|change|view)_",
            )
        )

        self.stdout.write(
            self.style.WARNING(
                "LOCAL DEVELOPMENT ONLY: these passwords are published in the code."
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
