"""Each filter set instance gets its own filters, copied without django-filter's deep copy."""

import django_filters
import pytest

from biys.core.filtersets import CheapFilterCopiesMixin
from biys.org.models import Unit


class UnitFilterSet(CheapFilterCopiesMixin, django_filters.FilterSet):
    name = django_filters.CharFilter(method="filter_name")
    parent = django_filters.ModelChoiceFilter(queryset=Unit.objects.all())

    class Meta:
        model = Unit
        fields = ["name", "parent"]

    def filter_name(self, queryset, name, value):
        self.called_on = self
        return queryset.filter(name__icontains=value)


@pytest.mark.django_db
def test_instances_own_their_filters_and_methods_resolve_on_their_own_instance():
    first = UnitFilterSet({"name": "x"})
    second = UnitFilterSet({"name": "y"})
    for filterset in (first, second):
        for name, item in filterset.filters.items():
            assert item is not UnitFilterSet.base_filters[name]
            assert item.parent is filterset and item.model is Unit
    first.filters["parent"].extra["queryset"] = Unit.objects.none()
    assert "queryset" in second.filters["parent"].extra
    assert (
        second.filters["parent"].extra["queryset"] is not first.filters["parent"].extra["queryset"]
    )
    assert UnitFilterSet.base_filters["parent"].extra["queryset"] is not None

    list(second.qs)
    assert second.called_on is second and not hasattr(first, "called_on")
    assert first.filters["name"].field is not second.filters["name"].field
    assert "_field" not in UnitFilterSet.base_filters["name"].__dict__


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/bgys/training-sessions/",
        "/api/v1/bgys/management-reviews/",
        "/api/v1/bgys/audits/",
    ],
)
def test_a_year_no_date_can_have_is_refused_at_the_field(client, make_user, url):
    """``date(year, 1, 1)`` fails beyond 1-9999: a 500 before ``YearFilter``."""
    client.force_login(make_user(superuser=True))
    assert client.get(url, {"year": 2026}).status_code == 200
    for year in (-10000000, 0, 10000):
        response = client.get(url, {"year": year})
        assert response.status_code == 400, (url, year)
        assert "year" in response.json().get("errors", response.json())
