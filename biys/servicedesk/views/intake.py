"""'Telefonla kayıt': a technician files a ticket for a caller in a few keystrokes."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from biys.accounts.scope import get_scope
from biys.core.search import filter_by_terms
from biys.org.models import Person
from biys.servicedesk import selectors, services
from biys.servicedesk.choices import Channel
from biys.servicedesk.forms import PhoneIntakeForm
from biys.servicedesk.views.common import apply_validation_error

PERSON_RESULTS = 8


def require_it_staff(user) -> None:
    if not get_scope(user).has_perm(selectors.CHANGE_TICKET):
        raise PermissionDenied


def find_people(user, query: str):
    query = query.strip()
    if len(query) < 2:
        return []
    people = (
        Person.objects.restrict(user, "view")
        .filter(status="active")
        .select_related("unit", "title")
    )
    exact = people.filter(sicil_no=query)
    matches = list(exact[:1]) or list(filter_by_terms(people, query)[:PERSON_RESULTS])
    return matches


class PersonSearchView(LoginRequiredMixin, View):
    """HTMX: people matching a name or sicil number, as radio buttons of the intake form."""

    def get(self, request):
        require_it_staff(request.user)
        query = request.GET.get("caller", "")
        context = {"people": find_people(request.user, query), "q": query}
        return render(request, "servicedesk/partials/person_results.html", context)


class PhoneIntakeView(LoginRequiredMixin, View):
    template_name = "servicedesk/phone_intake.html"

    def render_form(self, form, status=200):
        selected = None
        if form.is_bound and form.data.get("requester"):
            selected = (
                Person.objects.restrict(self.request.user, "view")
                .select_related("unit")
                .filter(pk=form.data.get("requester"))
                .first()
                if str(form.data.get("requester")).isdigit()
                else None
            )
        context = {
            "title": _("Phone intake"),
            "form": form,
            "selected_person": selected,
            "people": [selected] if selected else [],
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request):
        require_it_staff(request.user)
        return self.render_form(PhoneIntakeForm())

    def post(self, request):
        require_it_staff(request.user)
        form = PhoneIntakeForm(request.POST)
        form.fields["requester"].queryset = Person.objects.restrict(request.user, "view")
        if not form.is_valid():
            return self.render_form(form, status=400)
        data = form.cleaned_data
        try:
            ticket = services.create_ticket(
                catalog_item=data["catalog_item"],
                requester=data["requester"],
                title=data["title"],
                description=data["description"],
                created_by=request.user,
                channel=Channel.PHONE,
                contact_phone=data["contact_phone"] or None,
                location=data["location"] or None,
                asset_reference=data["asset_reference"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.render_form(form, status=400)
        messages.success(
            request,
            _("Ticket %(number)s filed for %(person)s.")
            % {"number": ticket.number, "person": data["requester"]},
        )
        if "_another" in request.POST:
            return redirect("servicedesk:phone_intake")
        return redirect("servicedesk:ticket", pk=ticket.pk)
