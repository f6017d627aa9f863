from django.db import migrations, models


class Migration(migrations.Migration):
    """The VLAN numbers, now VLAN records (0013). Their own migration: PostgreSQL does not alter
    a table whose rows the same transaction has just updated."""

    dependencies = [("inventory", "0013_vlans_from_numbers")]

    operations = [
        migrations.RemoveField(model_name="subnet", name="vlan_number"),
        migrations.RemoveField(model_name="deviceport", name="vlan_number"),
    ]
