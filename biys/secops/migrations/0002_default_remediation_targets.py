"""The default remediation targets: 7, 30, 90 and 180 days for critical, high, medium and low
findings (common practice, editable)."""

from django.db import migrations

DEFAULTS = {4: 7, 3: 30, 2: 90, 1: 180}


def add_defaults(apps, schema_editor):
    RemediationTarget = apps.get_model("secops", "RemediationTarget")
    for severity, days in DEFAULTS.items():
        RemediationTarget.objects.get_or_create(severity=severity, defaults={"days": days})


class Migration(migrations.Migration):
    dependencies = [("secops", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
