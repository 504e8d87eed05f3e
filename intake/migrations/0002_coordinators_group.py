# The Coordinators group: nurse navigators who work the queue of patients who
# asked to be contacted. Its one permission, intake.review_submission, opens
# every /review/ page (queue, detail, actions, export, metrics). Coordinators are
# not staff and do not use the admin, so the group gets no model permissions:
# the admin shows submissions and audit events to superusers only.

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Coordinators"
PERMISSIONS = [("intake", "review_submission")]


def _ensure_permissions(apps):
    # Permissions are normally created after `migrate` finishes (post_migrate);
    # on a fresh database they do not exist yet when this migration runs.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_group(apps, schema_editor):
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for app_label, codename in PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(
                content_type__app_label=app_label, codename=codename
            )
        )


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("intake", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
