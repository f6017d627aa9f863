"""The network inventory screens: VRFs with their subnets and addresses, VLANs with their subnets
and ports, VLAN groups with their VLANs, devices with their ports
and addresses, subnets with their utilisation, the addresses given out (those outside every subnet flagged) and the fault
statistics per device model. Every write goes through ``network_services``."""

from datetime import timedelta

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from biys.accounts.scope import get_scope
from biys.core.access import can, can_add
from biys.core.placement import may_place, placement_of
from biys.core.views.generic import (
    BulkDeleteView,
    BulkEditView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ServiceEditView,
    Tab,
    bulk_edit_form_factory,
    register_model_views,
)
from biys.inventory import network_filtersets as filtersets
from biys.inventory import network_selectors, network_services
from biys.inventory import network_tables as tables
from biys.inventory.models import (
    VLAN,
    VRF,
    AddressHolding,
    AssetImport,
    DevicePort,
    ImportKind,
    IPAssignment,
    NetworkDevice,
    Subnet,
    VLANGroup,
)
from biys.inventory.network_forms import (
    DevicePortForm,
    IPAssignmentForm,
    NetworkDeviceForm,
    SubnetForm,
    VLANForm,
    VLANGroupForm,
    VRFForm,
)

# --------------------------------------------------------------------------- VLAN links


def _openable(user, vlans) -> set[int]:
    """The ids of ``vlans`` (None ignored) whose page ``user`` may open. A port carries the
    VLANs of its device's unit and of the units above it (``network_selectors.vlans_for_device``)
    but the VLAN pages stay within the reader's units: the others are named, not linked."""
    return {vlan.pk for vlan in vlans if vlan is not None and can(user, "view", vlan)}


def _with_urls(vlans, openable: set[int]) -> list[tuple]:
    """(VLAN, its page's URL, or "" when the reader may not open it), for a template."""
    return [(vlan, vlan.get_absolute_url() if vlan.pk in openable else "") for vlan in vlans]


# --------------------------------------------------------------------------- deletes, bulk


class _ServiceBulkEdit(BulkEditView):
    """Bulk edit through the service's ``save`` (``service``, ``argument``): each object as if
    edited on its own page, the service's checks (conflicts per VRF, subnets found) included."""

    service = None
    argument = ""

    def apply(self, obj, changes: dict) -> None:
        old_place = placement_of(obj)
        for name, value in changes.items():
            setattr(obj, name, value)
        user = self.request.user
        type(self).service(**{self.argument: obj, "user": user})
        if not can(user, "change", obj) or (
            placement_of(obj) != old_place and not may_place(user, obj, "change")
        ):
            raise PermissionDenied


class _ServiceDelete(ObjectDeleteView):
    """Delete through the service's ``delete`` (``service``, ``argument``)."""

    service = None
    argument = ""

    def delete_object(self, obj) -> None:
        type(self).service(**{self.argument: obj, "user": self.request.user})


class _ServiceBulkDelete(BulkDeleteView):
    service = None
    argument = ""

    def delete_object(self, obj) -> None:
        type(self).service(**{self.argument: obj, "user": self.request.user})


class _PortBulkEdit(_ServiceBulkEdit):
    """The ports' bulk edit: the untagged VLAN among those of the units where the user adds or
    changes ports and the units above them; the service checks each port's device."""

    def get_form(self, data=None):
        form = super().get_form(data)
        form.fields["vlan"].queryset = network_selectors.port_vlan_choices(self.request.user)
        return form


def _write_views(model, argument: str, save, delete, bulk_fields, bulk_edit=_ServiceBulkEdit):
    """The delete, bulk edit and bulk delete views of a network model, through its service."""
    attrs = {"queryset": model.objects.all(), "argument": argument}
    return {
        "delete": type(
            f"{model.__name__}DeleteView", (_ServiceDelete,), {**attrs, "service": delete}
        ),
        "bulk_edit": type(
            f"{model.__name__}BulkEditView",
            (bulk_edit,),
            {
                **attrs,
                "service": save,
                "form_class": bulk_edit_form_factory(model, bulk_fields),
            },
        ),
        "bulk_delete": type(
            f"{model.__name__}BulkDeleteView", (_ServiceBulkDelete,), {**attrs, "service": delete}
        ),
    }


class _ImportableList(ObjectListView):
    """A list with the import menu: upload a CSV or Excel file of ``import_kind`` (the register
    import's preview and confirmation), or download its template."""

    template_name = "inventory/network_list.html"
    import_kind = ""

    def get_extra_context(self) -> dict:
        user = self.request.user
        return {
            "import_kind": self.import_kind,
            "may_import": can_add(user, AssetImport) and can_add(user, self.model),
        }


# --------------------------------------------------------------------------- VRFs


class VRFListView(ObjectListView):
    queryset = VRF.objects.select_related("unit")
    table_class = tables.VRFTable
    filterset_class = filtersets.VRFFilterSet


def _subnets_tab(user, template_name: str, shown: int, **where) -> Tab:
    """The subnets of a VRF or a VLAN the user may see, with their usage, and the other of the
    two beside each."""
    return Tab(
        "subnets",
        gettext_lazy("Subnets"),
        template_name=template_name,
        context=lambda: {
            "subnets": list(
                network_selectors.subnets_with_usage(
                    Subnet.objects.restrict(user, "view")
                    .filter(**where)
                    .select_related("vrf", "vlan")
                )[:shown]
            )
        },
    )


class VRFDetailView(ObjectDetailView):
    queryset = VRF.objects.select_related("unit")
    detail_fields = ("name", "rd", "description", "unit")
    show_attachments = False
    show_comments = True
    shown = 500

    def get_extra_tabs(self, obj):
        user = self.request.user
        return [
            _subnets_tab(user, "inventory/partials/vrf_subnets.html", self.shown, vrf=obj),
            Tab(
                "addresses",
                gettext_lazy("IP addresses"),
                template_name="inventory/partials/ip_addresses.html",
                context=lambda: {
                    "addresses": list(
                        IPAssignment.objects.restrict(user, "view")
                        .filter(vrf=obj)
                        .select_related("subnet", "device")[: self.shown]
                    )
                },
            ),
        ]


class VRFEditView(ServiceEditView):
    queryset = VRF.objects.all()
    form_class = VRFForm

    def save_with_service(self, form):
        return network_services.save_vrf(vrf=form.instance, user=self.request.user)


# --------------------------------------------------------------------------- VLANs


class VLANListView(ObjectListView):
    queryset = VLAN.objects.select_related("unit", "group")
    table_class = tables.VLANTable
    filterset_class = filtersets.VLANFilterSet


class VLANDetailView(ObjectDetailView):
    queryset = VLAN.objects.select_related("unit", "group")
    detail_fields = ("vid", "name", "group", "status", "description", "unit")
    show_attachments = False
    show_comments = True
    shown = 500

    def get_extra_tabs(self, obj):
        user = self.request.user
        return [
            _subnets_tab(user, "inventory/partials/vlan_subnets.html", self.shown, vlan=obj),
            Tab(
                "ports",
                gettext_lazy("Ports"),
                template_name="inventory/partials/vlan_ports.html",
                context=lambda: {
                    "ports": list(network_selectors.ports_carrying(obj, user)[: self.shown]),
                    "vlan": obj,
                },
            ),
        ]


class VLANEditView(ServiceEditView):
    queryset = VLAN.objects.all()
    form_class = VLANForm

    def save_with_service(self, form):
        return network_services.save_vlan(vlan=form.instance, user=self.request.user)


# --------------------------------------------------------------------------- VLAN groups


class VLANGroupListView(ObjectListView):
    queryset = VLANGroup.objects.select_related("unit", "location")
    table_class = tables.VLANGroupTable
    filterset_class = filtersets.VLANGroupFilterSet


class VLANGroupDetailView(ObjectDetailView):
    queryset = VLANGroup.objects.select_related("unit", "location")
    detail_fields = ("name", "location", "min_vid", "max_vid", "description", "unit")
    show_attachments = False
    show_comments = True
    shown = 500

    def get_extra_tabs(self, obj):
        user = self.request.user
        return [
            Tab(
                "vlans",
                gettext_lazy("VLANs"),
                template_name="inventory/partials/vlangroup_vlans.html",
                context=lambda: {
                    "vlans": list(
                        VLAN.objects.restrict(user, "view")
                        .filter(group=obj)
                        .select_related("unit")[: self.shown]
                    )
                },
            ),
        ]


class VLANGroupEditView(ServiceEditView):
    queryset = VLANGroup.objects.all()
    form_class = VLANGroupForm

    def save_with_service(self, form):
        return network_services.save_vlan_group(group=form.instance, user=self.request.user)


# --------------------------------------------------------------------------- devices


class NetworkDeviceListView(_ImportableList):
    import_kind = ImportKind.NETWORK_DEVICES
    queryset = NetworkDevice.objects.select_related("unit", "asset", "location")
    table_class = tables.NetworkDeviceTable
    filterset_class = filtersets.NetworkDeviceFilterSet


class NetworkDeviceDetailView(ObjectDetailView):
    queryset = NetworkDevice.objects.select_related("unit", "asset", "location", "management_vrf")
    detail_fields = (
        "name", "kind", "asset", "manufacturer", "model", "serial_number", "management_ip",
        "management_vrf", "mac_address", "firmware", "location", "rack", "rack_unit", "unit", "notes",
    )  # fmt: skip
    show_attachments = True
    show_comments = True

    def get_extra_tabs(self, obj):
        user = self.request.user
        return [
            Tab(
                "ports",
                gettext_lazy("Ports"),
                template_name="inventory/partials/device_ports.html",
                context=lambda: self._ports_tab(user, obj),
            ),
            Tab(
                "addresses",
                gettext_lazy("IP addresses"),
                template_name="inventory/partials/ip_addresses.html",
                context=lambda: {
                    "addresses": list(
                        IPAssignment.objects.restrict(user, "view")
                        .filter(device=obj)
                        .select_related("subnet", "vrf")
                    )
                },
            ),
        ]

    @staticmethod
    def _ports_tab(user, device) -> dict:
        ports = list(
            DevicePort.objects.restrict(user, "view")
            .filter(device=device)
            .select_related("vlan")
            .prefetch_related("tagged_vlans")
        )
        carried = [vlan for port in ports for vlan in [port.vlan, *port.tagged_vlans.all()]]
        return {"ports": ports, "device": device, "openable_vlans": _openable(user, carried)}


class NetworkDeviceEditView(ServiceEditView):
    queryset = NetworkDevice.objects.all()
    form_class = NetworkDeviceForm

    def save_with_service(self, form):
        return network_services.save_device(device=form.instance, user=self.request.user)


# --------------------------------------------------------------------------- ports


class DevicePortListView(ObjectListView):
    queryset = DevicePort.objects.select_related("device", "vlan").prefetch_related("tagged_vlans")
    table_class = tables.DevicePortTable
    filterset_class = filtersets.DevicePortFilterSet


class DevicePortDetailView(ObjectDetailView):
    """A port; its VLANs are named, and linked to the VLAN's page only for a reader who may
    open it (a VLAN of a unit above theirs is on their ports but not on their VLAN list)."""

    queryset = DevicePort.objects.select_related("device", "vlan").prefetch_related("tagged_vlans")
    details_template_name = "inventory/partials/deviceport_details.html"
    detail_fields = (
        "device", "name", "speed_mbps", "mode", "vlan", "tagged_vlans", "connected_to", "enabled",
    )  # fmt: skip
    show_attachments = False
    show_comments = False

    def get_extra_context(self, obj) -> dict:
        openable = _openable(self.request.user, [obj.vlan, *obj.tagged_vlans.all()])
        return {
            "untagged_vlans": _with_urls([obj.vlan] if obj.vlan_id else [], openable),
            "tagged_vlan_links": _with_urls(obj.tagged_vlans.all(), openable),
        }


class DevicePortEditView(ServiceEditView):
    queryset = DevicePort.objects.all()
    form_class = DevicePortForm

    def post(self, request, *args, **kwargs):
        # A port on a device outside the user's units is a refusal (403), not a choice the form
        # does not offer.
        device_id = request.POST.get("device", "")
        if device_id.isdigit():
            unit_id = (
                NetworkDevice.objects.filter(pk=device_id).values_list("unit_id", flat=True).first()
            )
            if unit_id is not None and not can_add(request.user, DevicePort, unit_id):
                raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_form(self, obj, data=None, files=None):
        """The VLAN choices are those the port's device may carry (the device posted, the
        one asked for in the add link, or the port's), a unit above's included; not the
        VLANs the user sees on the VLAN list (``network_selectors.port_vlan_choices``)."""
        form = super().get_form(obj, data, files)
        values = data if data is not None else form.initial
        choices = network_selectors.port_vlan_choices(self.request.user, self._device(obj, values))
        for name in ("vlan", "tagged_vlans"):
            form.fields[name].queryset = choices
        return form

    def _device(self, obj, values):
        device_id = str((values or {}).get("device") or "")
        if device_id.isdigit():
            return (
                NetworkDevice.objects.restrict(self.request.user, "view")
                .select_related("location")
                .filter(pk=device_id)
                .first()
            )
        return obj.device if obj.device_id else None

    def save_with_service(self, form):
        return network_services.save_port(
            port=form.instance,
            tagged_vlans=form.cleaned_data.get("tagged_vlans"),
            user=self.request.user,
        )


# --------------------------------------------------------------------------- subnets


class SubnetListView(_ImportableList):
    import_kind = ImportKind.SUBNETS
    queryset = network_selectors.subnets_with_usage(
        Subnet.objects.select_related("unit", "vrf", "vlan")
    )
    table_class = tables.SubnetTable
    filterset_class = filtersets.SubnetFilterSet


class SubnetDetailView(ObjectDetailView):
    queryset = network_selectors.subnets_with_usage(
        Subnet.objects.select_related("unit", "vrf", "vlan")
    )
    template_name = "inventory/subnet_detail.html"
    detail_fields = ("prefix", "vrf", "vlan", "gateway", "description", "unit")
    show_attachments = False
    show_comments = True
    addresses_shown = 500

    def get_extra_context(self, obj):
        return {
            "size": obj.size,
            "used": obj.used,
            "usage": network_selectors.utilisation(obj),
        }

    def get_extra_tabs(self, obj):
        user = self.request.user
        return [
            Tab(
                "addresses",
                gettext_lazy("IP addresses"),
                template_name="inventory/partials/ip_addresses.html",
                context=lambda: {
                    "addresses": list(
                        IPAssignment.objects.restrict(user, "view")
                        .filter(subnet=obj)
                        .select_related("device")[: self.addresses_shown]
                    )
                },
            ),
        ]


class SubnetEditView(ServiceEditView):
    queryset = Subnet.objects.all()
    form_class = SubnetForm

    def save_with_service(self, form):
        return network_services.save_subnet(subnet=form.instance, user=self.request.user)


# --------------------------------------------------------------------------- addresses


class IPAssignmentListView(_ImportableList):
    import_kind = ImportKind.IP_ADDRESSES
    queryset = IPAssignment.objects.select_related("unit", "vrf", "subnet", "device")
    table_class = tables.IPAssignmentTable
    filterset_class = filtersets.IPAssignmentFilterSet


class IPAssignmentDetailView(ObjectDetailView):
    queryset = IPAssignment.objects.select_related("unit", "vrf", "subnet", "device")
    detail_fields = (
        "address",
        "vrf",
        "subnet",
        "status",
        "device",
        "host",
        "mac_address",
        "unit",
        "notes",
    )
    show_attachments = False
    show_comments = True

    def get_extra_tabs(self, obj):
        user = self.request.user
        return [
            Tab(
                "holders",
                gettext_lazy("Holders over time"),
                template_name="inventory/partials/address_history.html",
                context=lambda: {
                    "holdings": list(
                        AddressHolding.objects.restrict(user, "view")
                        .filter(address=obj.address, vrf_id=obj.vrf_id)
                        .select_related("device", "started_by", "ended_by")[:200]
                    )
                },
            ),
        ]


class IPAssignmentEditView(ServiceEditView):
    queryset = IPAssignment.objects.all()
    form_class = IPAssignmentForm

    def save_with_service(self, form):
        return network_services.save_assignment(assignment=form.instance, user=self.request.user)


# --------------------------------------------------------------------------- fault statistics


class FaultStatisticsView(LoginRequiredMixin, View):
    """Per device model: the devices and the service desk tickets naming them (odunpazari
    11(1)(m)), over the last ``months`` months or all time."""

    template_name = "inventory/network_faults.html"
    periods = {"12": 365, "36": 3 * 365, "all": None}

    def get(self, request):
        if not get_scope(request.user).has_perm("inventory.view_networkdevice"):
            raise PermissionDenied
        period = request.GET.get("months", "12")
        if period not in self.periods:
            period = "12"
        days = self.periods[period]
        since = timezone.now() - timedelta(days=days) if days else None
        context = {
            "title": _("Network device fault statistics"),
            "rows": network_selectors.fault_statistics(request.user, since=since),
            "period": period,
            "periods": [
                ("12", _("Last 12 months")),
                ("36", _("Last 3 years")),
                ("all", _("All time")),
            ],
        }
        return render(request, self.template_name, context)


register_model_views(
    VRF,
    list=VRFListView,
    detail=VRFDetailView,
    edit=VRFEditView,
    **_write_views(
        VRF, "vrf", network_services.save_vrf, network_services.delete_vrf, ["unit", "description"]
    ),
)
register_model_views(
    VLAN,
    list=VLANListView,
    detail=VLANDetailView,
    edit=VLANEditView,
    **_write_views(
        VLAN,
        "vlan",
        network_services.save_vlan,
        network_services.delete_vlan,
        ["unit", "status", "description"],
    ),
)
register_model_views(
    VLANGroup,
    list=VLANGroupListView,
    detail=VLANGroupDetailView,
    edit=VLANGroupEditView,
    **_write_views(
        VLANGroup,
        "group",
        network_services.save_vlan_group,
        network_services.delete_vlan_group,
        ["unit", "location", "description"],
    ),
)
register_model_views(
    NetworkDevice,
    list=NetworkDeviceListView,
    detail=NetworkDeviceDetailView,
    edit=NetworkDeviceEditView,
    **_write_views(
        NetworkDevice,
        "device",
        network_services.save_device,
        network_services.delete_device,
        ["unit", "kind", "location", "firmware", "rack"],
    ),
)
register_model_views(
    DevicePort,
    list=DevicePortListView,
    detail=DevicePortDetailView,
    edit=DevicePortEditView,
    **_write_views(
        DevicePort,
        "port",
        network_services.save_port,
        network_services.delete_port,
        ["speed_mbps", "mode", "vlan", "enabled"],
        bulk_edit=_PortBulkEdit,
    ),
)
register_model_views(
    Subnet,
    list=SubnetListView,
    detail=SubnetDetailView,
    edit=SubnetEditView,
    **_write_views(
        Subnet,
        "subnet",
        network_services.save_subnet,
        network_services.delete_subnet,
        ["unit", "vrf", "vlan", "description"],
    ),
)
register_model_views(
    IPAssignment,
    list=IPAssignmentListView,
    detail=IPAssignmentDetailView,
    edit=IPAssignmentEditView,
    **_write_views(
        IPAssignment,
        "assignment",
        network_services.save_assignment,
        network_services.delete_assignment,
        ["unit", "vrf", "status"],
    ),
)
