import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """VLANs as records: the model, and a VLAN foreign key on subnets and ports beside their old
    number (renamed ``vlan_number``), which 0013 turns into VLAN rows and 0014 drops."""

    dependencies = [
        ("inventory", "0011_import_kind"),
        ("org", "0008_personal_data_views_in_core"),
    ]

    operations = [
        migrations.CreateModel(
            name="VLAN",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "created",
                    models.DateTimeField(auto_now_add=True, null=True, verbose_name="created"),
                ),
                (
                    "last_updated",
                    models.DateTimeField(auto_now=True, null=True, verbose_name="last updated"),
                ),
                (
                    "vid",
                    models.PositiveSmallIntegerField(
                        help_text="From 1 to 4094, as configured on the switches.",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(4094),
                        ],
                        verbose_name="VLAN ID",
                    ),
                ),
                ("name", models.CharField(max_length=64, verbose_name="name")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("active", "Active"),
                            ("reserved", "Reserved"),
                            ("deprecated", "Being retired"),
                        ],
                        default="active",
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                (
                    "description",
                    models.CharField(blank=True, max_length=200, verbose_name="description"),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        help_text="The unit that runs the VLAN; a VLAN ID is used once in a unit.",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="org.unit",
                        verbose_name="unit",
                    ),
                ),
            ],
            options={
                "verbose_name": "VLAN",
                "verbose_name_plural": "VLANs",
                "ordering": ["vid", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("unit", "vid"), name="inventory_vlan_once_in_unit"
                    )
                ],
            },
        ),
        migrations.RenameField(model_name="subnet", old_name="vlan", new_name="vlan_number"),
        migrations.RenameField(model_name="deviceport", old_name="vlan", new_name="vlan_number"),
        migrations.AddField(
            model_name="subnet",
            name="vlan",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="subnets",
                to="inventory.vlan",
                verbose_name="VLAN",
            ),
        ),
        migrations.AddField(
            model_name="deviceport",
            name="vlan",
            field=models.ForeignKey(
                blank=True,
                help_text="The VLAN of the port (access VLAN).",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="ports",
                to="inventory.vlan",
                verbose_name="VLAN",
            ),
        ),
    ]
