from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from biys.accounts.scope import get_scope
from biys.core.api.views import BiysModelViewSet, BiysReadUpdateViewSet
from biys.core.personal_data import record_view
from biys.core.querysets import read_rows
from biys.org import filtersets
from biys.org.api import serializers
from biys.org.models import (
    Article,
    Duty,
    DutyCategory,
    Municipality,
    Paragraph,
    Person,
    Position,
    Regulation,
    Title,
    Unit,
)

VIEW_PERSONAL_DATA = "org.view_personal_data"


class MunicipalityViewSet(BiysReadUpdateViewSet):
    queryset = Municipality.objects.order_by("pk")
    serializer_class = serializers.MunicipalitySerializer
    filterset_class = filtersets.MunicipalityFilterSet


class UnitViewSet(BiysModelViewSet):
    queryset = Unit.objects.select_related("manager_position__holder").order_by("path")
    serializer_class = serializers.UnitSerializer
    filterset_class = filtersets.UnitFilterSet
    ordering_fields = ["path", "sort_name", "name", "kind", "order", "depth", "id"]


class TitleViewSet(BiysModelViewSet):
    queryset = Title.objects.order_by("name", "pk")
    serializer_class = serializers.TitleSerializer
    filterset_class = filtersets.TitleFilterSet
    ordering_fields = ["name", "id"]


class PositionViewSet(BiysModelViewSet):
    queryset = Position.objects.select_related("unit").order_by(
        "unit__path", "-is_manager", "name", "pk"
    )
    serializer_class = serializers.PositionSerializer
    filterset_class = filtersets.PositionFilterSet
    ordering_fields = ["name", "is_manager", "unit__path", "id"]


class PersonViewSet(BiysModelViewSet):
    queryset = Person.objects.select_related("unit", "title").order_by("sort_name", "pk")
    serializer_class = serializers.PersonSerializer
    filterset_class = filtersets.PersonFilterSet
    ordering_fields = [
        "sort_name",
        "first_name",
        "last_name",
        "sicil_no",
        "start_date",
        "created",
        "last_updated",
        "id",
    ]

    def page_rows(self, queryset) -> list:
        """A list page of people read as plain rows (``read_rows``), the unit's and title's
        names by subqueries, the write-only personal fields not read."""
        return read_rows(
            queryset,
            exclude=("search_text", "mobile_phone", "address"),
            related={"unit": ("name",), "title": ("name",)},
        )

    @extend_schema(
        request=serializers.PersonalDataRequestSerializer,
        responses={200: serializers.PersonalDataSerializer},
        description=(
            "The person's unmasked personal data (TC kimlik number, mobile phone, home address)."
            " Needs org.view_personal_data over the person's unit; every call is logged."
        ),
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="personal-data",
        permission_classes=[IsAuthenticated],
        filterset_class=None,
    )
    def personal_data(self, request, pk=None):
        person = self.get_object()
        if not get_scope(request.user).has_perm(VIEW_PERSONAL_DATA, person.unit_id):
            raise exceptions.PermissionDenied(_("You may not view this person's personal data."))
        form = serializers.PersonalDataRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        with transaction.atomic():
            record_view(
                user=request.user,
                obj=person,
                fields=Person.personal_fields,
                reason=form.validated_data.get("reason", ""),
            )
        return Response(serializers.PersonalDataSerializer(person).data)


class RegulationViewSet(BiysModelViewSet):
    queryset = Regulation.objects.order_by("-is_in_force", "-effective_date", "pk")
    serializer_class = serializers.RegulationSerializer
    filterset_class = filtersets.RegulationFilterSet
    ordering_fields = ["title", "effective_date", "council_decision_date", "id"]


class ArticleViewSet(BiysModelViewSet):
    queryset = Article.objects.prefetch_related(
        Prefetch(
            "paragraphs",
            queryset=Paragraph.objects.order_by("order", "pk").prefetch_related(
                Prefetch("duties", queryset=Duty.objects.order_by("order", "pk"))
            ),
        )
    ).order_by("regulation", "number")
    serializer_class = serializers.ArticleSerializer
    filterset_class = filtersets.ArticleFilterSet
    ordering_fields = ["number", "regulation", "id"]


class DutyCategoryViewSet(BiysModelViewSet):
    queryset = DutyCategory.objects.order_by("name", "pk")
    serializer_class = serializers.DutyCategorySerializer
    filterset_class = filtersets.DutyCategoryFilterSet
    ordering_fields = ["name", "slug", "id"]


class DutyViewSet(BiysModelViewSet):
    queryset = (
        Duty.objects.select_related("unit", "paragraph")
        .prefetch_related("categories")
        .order_by(
            "paragraph__article__regulation",
            "paragraph__article__number",
            "paragraph__order",
            "order",
            "pk",
        )
    )
    serializer_class = serializers.DutySerializer
    filterset_class = filtersets.DutyFilterSet
    ordering_fields = ["reference", "order", "id"]
