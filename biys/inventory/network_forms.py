"""Forms of the network inventory. They check input; the rules (normalising addresses, conflicts,
the subnet an address is in) live in ``network_services``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from biys.inventory.models import (
    VLAN,
    VRF,
    DevicePort,
    IPAssignment,
    NetworkDevice,
    Subnet,
    VLANGroup,
)


class NetworkDeviceForm(forms.ModelForm):
    """A device, the asset it is named by its inventory or serial number: no list of every
    asset to choose from."""

    asset_reference = forms.CharField(
        label=_("Asset"),
        max_length=100,
        required=False,
        help_text=_("The inventory number or serial number of the device on the register."),
    )

    class Meta:
        model = NetworkDevice
        fields = [
            "unit", "name", "kind", "manufacturer", "model", "serial_number", "management_ip",
            "management_vrf", "mac_address", "firmware", "location", "rack", "rack_unit", "notes",
        ]  # fmt: skip
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        order = ["unit", "name", "kind", "asset_reference"]
        self.order_fields(order + [name for name in self.fields if name not in order])
        if self.instance.pk and self.instance.asset_id:
            self.initial["asset_reference"] = self.instance.asset.inventory_number

    def clean_asset_reference(self):
        """The asset the number names on any register; whether the user may link it is the
        permission check's to say."""
        from biys.inventory.selectors import asset_by_reference

        reference = (self.cleaned_data.get("asset_reference") or "").strip()
        if not reference:
            self.instance.asset = None
            return None
        asset = asset_by_reference(reference)
        if asset is None:
            raise forms.ValidationError(
                _("No asset on the register has the number %(reference)s.")
                % {"reference": reference}
            )
        self.instance.asset = asset
        return asset


class DevicePortForm(forms.ModelForm):
    """A port with its mode and VLANs; which VLANs it may carry in which mode is the service's
    to check (``network_services.save_port``), at the fields."""

    class Meta:
        model = DevicePort
        fields = [
            "device", "name", "speed_mbps", "mode", "vlan", "tagged_vlans", "connected_to",
            "enabled",
        ]  # fmt: skip
        widgets = {"tagged_vlans": forms.SelectMultiple(attrs={"size": 8})}


class _OncePerVRF(forms.ModelForm):
    """A prefix or address is once per VRF: the service checks it and names the field (the
    model's conditional constraints would only say which index a clash broke)."""

    once_field = ""

    def _get_validation_exclusions(self):
        return {*super()._get_validation_exclusions(), self.once_field}


class SubnetForm(_OncePerVRF):
    once_field = "prefix"

    class Meta:
        model = Subnet
        fields = ["unit", "vrf", "prefix", "vlan", "gateway", "description"]


class IPAssignmentForm(_OncePerVRF):
    once_field = "address"

    class Meta:
        model = IPAssignment
        fields = ["unit", "vrf", "address", "status", "device", "host", "mac_address", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class VRFForm(forms.ModelForm):
    class Meta:
        model = VRF
        fields = ["unit", "name", "rd", "description"]


class VLANForm(_OncePerVRF):
    """A VLAN; its VLAN ID once in its group (or unit) is the service's to check and name."""

    once_field = "vid"

    class Meta:
        model = VLAN
        fields = ["unit", "group", "vid", "name", "status", "description"]


class VLANGroupForm(forms.ModelForm):
    """A VLAN group; its name once in its unit and its range are the service's to check."""

    class Meta:
        model = VLANGroup
        fields = ["unit", "name", "location", "min_vid", "max_vid", "description"]

    def _get_validation_exclusions(self):
        return {*super()._get_validation_exclusions(), "name"}
