"""The VLAN numbers of subnets and ports become VLAN records: one per number in the unit of the
subnet (of the port's device), named ``VLAN <number>``. Backwards, the numbers come back from
the records (the VLAN rows are dropped with the model by 0012's reverse). A number outside
1-4094 (the services always refused one) names no VLAN and is left behind."""

from django.db import migrations


def numbers_to_vlans(apps, schema_editor):
    VLAN = apps.get_model("inventory", "VLAN")
    Subnet = apps.get_model("inventory", "Subnet")
    DevicePort = apps.get_model("inventory", "DevicePort")
    vlans = {(vlan.unit_id, vlan.vid): vlan for vlan in VLAN.objects.all()}

    def vlan_for(unit_id, number):
        key = (unit_id, number)
        if key not in vlans:
            vlans[key] = VLAN.objects.create(unit_id=unit_id, vid=number, name=f"VLAN {number}")
        return vlans[key]

    rows = Subnet.objects.filter(vlan_number__gte=1, vlan_number__lte=4094)
    for subnet in rows.only("pk", "unit_id", "vlan_number").order_by("pk"):
        vlan = vlan_for(subnet.unit_id, subnet.vlan_number)
        Subnet.objects.filter(pk=subnet.pk).update(vlan=vlan)
    rows = DevicePort.objects.filter(vlan_number__gte=1, vlan_number__lte=4094)
    for port in rows.values("pk", "device__unit_id", "vlan_number").order_by("pk"):
        vlan = vlan_for(port["device__unit_id"], port["vlan_number"])
        DevicePort.objects.filter(pk=port["pk"]).update(vlan=vlan)


def vlans_to_numbers(apps, schema_editor):
    Subnet = apps.get_model("inventory", "Subnet")
    DevicePort = apps.get_model("inventory", "DevicePort")
    for model in (Subnet, DevicePort):
        for pk, vid in model.objects.filter(vlan__isnull=False).values_list("pk", "vlan__vid"):
            model.objects.filter(pk=pk).update(vlan_number=vid, vlan=None)


class Migration(migrations.Migration):
    dependencies = [("inventory", "0012_vlans")]

    operations = [migrations.RunPython(numbers_to_vlans, vlans_to_numbers)]
