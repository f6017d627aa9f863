"""The inventory agents' screens: the devices agents reported (those not on the register yet
first to the officer's eye: ``?registered=false``), a device's last report with the link to
the asset it is, and the conflicts a person resolves. What the agent last said about an asset
is also a tab of the asset's page (``asset_agent_tab``)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from biys.core.access import can
from biys.core.views.generic import ObjectDetailView, ObjectListView, Tab, register_model_views
from biys.inventory import agent_services, filtersets, selectors, tables
from biys.inventory.models import AgentConflict, AgentDevice, Asset
from biys.inventory.views import ObjectPostView


class AgentDeviceListView(ObjectListView):
    queryset = AgentDevice.objects.select_related("unit", "asset")
    table_class = tables.AgentDeviceTable
    filterset_class = filtersets.AgentDeviceFilterSet


class AgentDeviceDetailView(ObjectDetailView):
    queryset = AgentDevice.objects.select_related("unit", "asset")
    template_name = "inventory/agentdevice_detail.html"
    detail_fields = (
        "name",
        "asset",
        "unit",
        "itemtype",
        "serial_number",
        "hardware_uuid",
        "device_id",
        "matched_by",
        "tag",
        "remote_address",
        "last_full_inventory_at",
    )
    show_attachments = False
    show_comments = True

    def get_extra_tabs(self, obj):
        return [
            Tab(
                "report",
                gettext_lazy("Last report"),
                template_name="inventory/partials/agent_report.html",
                context=lambda: {"device": obj},
            )
        ]

    def get_extra_context(self, obj):
        return {"may_link": obj.asset_id is None and can(self.request.user, "change", obj)}


class AgentDeviceLinkView(ObjectPostView):
    """The officer names the asset (inventory number or serial) a discovered device is."""

    model = AgentDevice

    def act(self, device, **kwargs):
        reference = (self.request.POST.get("asset_reference") or "").strip()
        asset = selectors.asset_by_reference(reference)
        if (
            asset is None
            or not Asset.objects.restrict(self.request.user, "view").filter(pk=asset.pk).exists()
        ):
            raise ValidationError(_("No asset of the register has this number or serial."))
        device = agent_services.link_device(device=device, asset=asset, user=self.request.user)
        return _("Linked to %(asset)s.") % {"asset": asset.inventory_number}, device


class AgentConflictListView(ObjectListView):
    queryset = AgentConflict.objects.select_related("unit")
    table_class = tables.AgentConflictTable
    filterset_class = filtersets.AgentConflictFilterSet


class AgentConflictDetailView(ObjectDetailView):
    queryset = AgentConflict.objects.select_related("unit", "resolved_by")
    template_name = "inventory/agentconflict_detail.html"
    detail_fields = (
        "name",
        "unit",
        "device_id",
        "hardware_uuid",
        "serial_number",
        "macs",
        "reports",
        "first_seen",
        "last_seen",
        "resolved_at",
        "resolved_by",
        "resolution",
    )
    show_attachments = False
    show_comments = True

    def get_extra_context(self, obj):
        rows = []
        for candidate in obj.candidates:
            model = Asset if candidate["kind"] == "asset" else AgentDevice
            target = (
                model.objects.restrict(self.request.user, "view").filter(pk=candidate["id"]).first()
            )
            rows.append(
                {
                    **candidate,
                    "choice": f"{candidate['kind']}:{candidate['id']}",
                    "how": agent_services.MatchedBy(candidate["matched_by"]).label,
                    "url": target.get_absolute_url() if target else "",
                }
            )
        return {
            "candidates": rows,
            "may_resolve": obj.is_open and can(self.request.user, "change", obj),
        }


class AgentConflictResolveView(ObjectPostView):
    model = AgentConflict

    def act(self, conflict, **kwargs):
        choice = self.request.POST.get("choice", "")
        result = agent_services.resolve_conflict(
            conflict=conflict, choice=choice, user=self.request.user
        )
        if result is None:
            return _("The conflict is dismissed."), conflict
        return _("The inventory is applied to the chosen record."), result.device


def asset_agent_tab(asset, user) -> Tab | None:
    """The asset page's "Agent" tab: what its agent last reported, when there is one."""
    device = AgentDevice.objects.filter(asset=asset).first()
    if device is None or not can(user, "view", device):
        return None
    return Tab(
        "agent",
        gettext_lazy("Agent report"),
        template_name="inventory/partials/agent_report.html",
        context=lambda: {"device": device, "device_link": True},
    )


register_model_views(AgentDevice, list=AgentDeviceListView, detail=AgentDeviceDetailView)
register_model_views(AgentConflict, list=AgentConflictListView, detail=AgentConflictDetailView)
