from django.db import migrations, models

import biys.notifications.models


def give_each_message_an_id(apps, schema_editor):
    OutboxMessage = apps.get_model("notifications", "OutboxMessage")
    for message in OutboxMessage.objects.filter(message_id="").iterator():
        message.message_id = biys.notifications.models.new_message_id()
        message.save(update_fields=["message_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboxmessage",
            name="message_id",
            field=models.CharField(default="", editable=False, max_length=255, verbose_name="Message-ID"),
            preserve_default=False,
        ),
        migrations.RunPython(give_each_message_an_id, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="outboxmessage",
            name="message_id",
            field=models.CharField(
                default=biys.notifications.models.new_message_id,
                editable=False,
                max_length=255,
                unique=True,
                verbose_name="Message-ID",
            ),
        ),
    ]
