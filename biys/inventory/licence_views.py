"""The software and licence screens: the titles (allow and deny lists), licence agreements,
installations on the register's assets, and the compliance page (installed against entitled
seats per title, forbidden software with the assets and their custodians, CSV and Excel for
Turkish Excel). Every write goes through ``licence_services``."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from biys.core.views.generic import (
    ObjectDetailView,
    ObjectListView,
    ServiceEditView,
    Tab,
    register_model_views,
)
from biys.inventory import filtersets, licence_selectors, licence_services, tables
from biys.inventory.forms import InstallationForm, LicenceForm, SoftwareTitleForm
from biys.inventory.models import Installation, Licence, SoftwareTitle
from biys.inventory.views import ObjectPostView, service_delete_view

# --------------------------------------------------------------------------- titles


class SoftwareTitleListView(ObjectListView):
    queryset = SoftwareTitle.objects.select_related("unit")
    table_class = tables.SoftwareTitleTable
    filterset_class = filtersets.SoftwareTitleFilterSet


class SoftwareTitleDetailView(ObjectDetailView):
    queryset = SoftwareTitle.objects.select_related("unit")
    template_name = "inventory/softwaretitle_detail.html"
    detail_fields = (
        "publisher",
        "name",
        "category",
        "status",
        "licence_required",
        "unit",
        "status_reason",
    )
    show_attachments = False
    show_comments = True

    def get_extra_tabs(self, obj):
        user = self.request.user
        return [
            Tab(
                "licences",
                gettext_lazy("Licences"),
                template_name="inventory/partials/title_licences.html",
                context=lambda: {
                    "licences": list(
                        Licence.objects.restrict(user, "view")
                        .filter(title=obj)
                        .select_related("unit")
                        .order_by("-starts_on", "-pk")
                    ),
                    "today": timezone.localdate(),
                },
            ),
            Tab(
                "installations",
                gettext_lazy("Installations"),
                template_name="inventory/partials/title_installations.html",
                context=lambda: {
                    "installations": list(
                        licence_selectors.current_installations(user)
                        .filter(title=obj)
                        .select_related("asset", "asset__item_model", "asset__custodian")
                        .order_by("asset__inventory_number")[:500]
                    )
                },
            ),
        ]

    def get_extra_context(self, obj):
        if not licence_selectors.may_see_compliance(self.request.user):
            return {"compliance": None}
        compliance = (
            licence_selectors.titles_with_compliance(self.request.user)
            .filter(pk=obj.pk)
            .values("installed", "entitled", "shortfall", "compliance")
            .first()
        )
        return {
            "compliance": compliance,
            "compliance_label": licence_selectors.Compliance.labels.get(
                compliance["compliance"] if compliance else ""
            ),
        }


class SoftwareTitleEditView(ServiceEditView):
    queryset = SoftwareTitle.objects.all()
    form_class = SoftwareTitleForm

    def save_with_service(self, form):
        return licence_services.save_title(title=form.instance, user=self.request.user)


# --------------------------------------------------------------------------- compliance


class ComplianceView(ObjectListView):
    """Installed against entitled seats per title, worst first; the forbidden software found on
    the register's assets with their custodians above it. Its CSV is for Turkish Excel."""

    queryset = SoftwareTitle.objects.all()
    table_class = tables.ComplianceTable
    filterset_class = filtersets.ComplianceFilterSet
    template_name = "inventory/software_compliance.html"
    default_per_page = 50
    forbidden_shown = 20

    def get_queryset(self):
        if not licence_selectors.may_see_compliance(self.request.user):
            raise PermissionDenied
        titles = licence_selectors.titles_with_compliance(self.request.user)
        if "sort" not in self.request.GET:
            titles = titles.order_by("compliance_rank", "-shortfall", "sort_name", "pk")
        return titles

    def export_filename(self) -> str:
        name = slugify(_("software compliance"), allow_unicode=True)
        return f"{name}-{timezone.localdate():%Y%m%d}"

    def get_extra_context(self):
        forbidden = list(
            licence_selectors.forbidden_installations(
                self.request.user, limit=self.forbidden_shown + 1
            )
        )
        return {
            "title": _("Software compliance"),
            "add_url": "",
            "forbidden": forbidden[: self.forbidden_shown],
            "forbidden_more": len(forbidden) > self.forbidden_shown,
            "forbidden_url": (
                f"{reverse('inventory:installation_list')}?title_status=forbidden&current=true"
            ),
        }


# --------------------------------------------------------------------------- licences


class LicenceListView(ObjectListView):
    queryset = Licence.objects.select_related("title", "unit")
    table_class = tables.LicenceTable
    filterset_class = filtersets.LicenceFilterSet


class LicenceDetailView(ObjectDetailView):
    queryset = Licence.objects.select_related("title", "unit")
    detail_fields = (
        "title",
        "kind",
        "seats",
        "starts_on",
        "expires_on",
        "cost",
        "supplier",
        "contract",
        "unit",
        "notes",
    )
    show_attachments = True
    show_comments = True


class LicenceEditView(ServiceEditView):
    queryset = Licence.objects.all()
    form_class = LicenceForm

    def save_with_service(self, form):
        return licence_services.save_licence(licence=form.instance, user=self.request.user)


# --------------------------------------------------------------------------- installations


class InstallationListView(ObjectListView):
    queryset = Installation.objects.select_related(
        "title", "asset", "asset__item_model", "asset__custodian", "asset__unit"
    )
    table_class = tables.InstallationTable
    filterset_class = filtersets.InstallationFilterSet


class InstallationDetailView(ObjectDetailView):
    queryset = Installation.objects.select_related(
        "title", "asset", "asset__item_model", "asset__custodian", "asset__unit"
    )
    template_name = "inventory/installation_detail.html"
    detail_fields = (
        "title",
        "asset",
        "version",
        "installed_on",
        "source",
        "first_seen",
        "last_seen",
        "removed_at",
        "notes",
    )
    show_attachments = False
    show_comments = True

    def get_extra_context(self, obj):
        from biys.core.access import can

        return {"may_remove": obj.is_current and can(self.request.user, "change", obj)}


class InstallationEditView(ServiceEditView):
    queryset = Installation.objects.all()
    form_class = InstallationForm

    def save_with_service(self, form):
        data = form.cleaned_data
        user = self.request.user
        if form.instance.pk is None:
            return licence_services.record_installation(
                asset=data["asset_reference"],
                title=data["title"],
                version=data.get("version", ""),
                installed_on=data.get("installed_on"),
                notes=data.get("notes", ""),
                user=user,
            )
        installation = Installation.objects.get(pk=form.instance.pk)
        return licence_services.update_installation(
            installation=installation,
            user=user,
            version=data.get("version", ""),
            installed_on=data.get("installed_on"),
            notes=data.get("notes", ""),
        )


class InstallationRemoveView(ObjectPostView):
    model = Installation

    def act(self, installation, **kwargs):
        installation = licence_services.remove_installation(
            installation=installation, user=self.request.user
        )
        return _("Marked as removed from the asset."), installation


register_model_views(
    SoftwareTitle,
    list=SoftwareTitleListView,
    detail=SoftwareTitleDetailView,
    edit=SoftwareTitleEditView,
    delete=service_delete_view(SoftwareTitle, "title", licence_services.delete_title),
)
register_model_views(
    Licence,
    list=LicenceListView,
    detail=LicenceDetailView,
    edit=LicenceEditView,
    delete=service_delete_view(Licence, "licence", licence_services.delete_licence),
)
register_model_views(
    Installation,
    list=InstallationListView,
    detail=InstallationDetailView,
    edit=InstallationEditView,
)
