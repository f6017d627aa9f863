"""The reveal permission (``evrak.reveal_sender_data``) also shows an outgoing document's
person recipient: its stored name says so now. The codename stays, so every grant of it (roles,
users, groups) keeps working; Django never renames a stored permission, hence the update."""

from django.db import migrations

CODENAME = "reveal_sender_data"
OLD = "Can view an incoming document's unmasked sender data"
NEW = (
    "Can view the unmasked personal data of an incoming document's sender"
    " or an outgoing document's person recipient"
)


def rename(apps, old, new):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="evrak",
        content_type__model="incomingdocument",
        codename=CODENAME,
        name=old,
    ).update(name=new)


def forwards(apps, schema_editor):
    rename(apps, OLD, NEW)


def backwards(apps, schema_editor):
    rename(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("evrak", "0015_distribution_unit"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="incomingdocument",
            options={
                "ordering": ["-registered_at", "-id"],
                "permissions": [
                    ("reveal_sender_data", NEW),
                    (
                        "route_incomingdocument",
                        "Can route incoming documents to units (havale)",
                    ),
                ],
                "verbose_name": "incoming document",
                "verbose_name_plural": "incoming documents",
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
