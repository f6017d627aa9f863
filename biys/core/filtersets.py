"""What every filter set of the installation shares."""


class NamedFiltersFormMixin:
    """A bound filter set's form holds the fields of the filters its data names, not one per
    filter: the ticket filter set has nineteen and a request names one or two, and Django
    builds and deep-copies every field of a form for each request. A filter the data does not
    name would filter nothing anyway (an empty value leaves the queryset as it is); one whose
    data key carries a suffix (``price_min``, ``created_after``) is named by its prefix.

    ``form_fields``, set by a page before the form is built, names the fields its filter panel
    shows, which the form holds too (``ObjectListView.make_filterset``)."""

    form_fields: tuple[str, ...] | None = None

    def get_form_class(self):
        shown = self.form_fields
        if not self.is_bound and shown is None:
            return super().get_form_class()
        keys = list(self.data.keys()) if self.is_bound else []
        fields = {
            name: item.field
            for name, item in self.filters.items()
            if (shown is not None and name in shown)
            or any(key == name or key.startswith(f"{name}_") for key in keys)
        }
        return type(f"{type(self).__name__}Form", (self._meta.form,), fields)
