import django_filters
from django.utils.translation import gettext_lazy as _

from biys.calendar.choices import DeclaredDayKind
from biys.calendar.models import DeclaredDay
from biys.core.filtersets import YearFilter


class DeclaredDayFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    year = YearFilter(field_name="date__year", label=_("Year"))
    kind = django_filters.ChoiceFilter(
        choices=DeclaredDayKind.choices, label=_("Kind"), empty_label=_("Any")
    )

    class Meta:
        model = DeclaredDay
        fields = ["q", "year", "kind"]

    def filter_q(self, queryset, name, value):
        for term in value.split():
            queryset = queryset.filter(description__icontains=term) | queryset.filter(
                decision_reference__icontains=term
            )
        return queryset
