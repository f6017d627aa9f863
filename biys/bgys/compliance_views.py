"""The compliance dashboard: for one framework, the Statement of Applicability of the units the
user may see counted per asset group and measure level and per unit, with the information
assets per asset group and the open corrective actions (DÖF) per unit. The figures come from
``compliance_selectors`` (a constant number of ``GROUP BY`` queries)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from biys.bgys import compliance_selectors as selectors
from biys.bgys.models import Framework


class ComplianceDashboardView(LoginRequiredMixin, View):
    template_name = "bgys/compliance.html"

    def get(self, request):
        if not selectors.may_see(request.user):
            raise PermissionDenied
        frameworks = list(Framework.objects.order_by("name", "-version"))
        chosen = request.GET.get("framework", "")
        framework = next((f for f in frameworks if str(f.pk) == chosen), None)
        framework = framework or selectors.default_framework(frameworks)
        context = {
            "title": _("Compliance dashboard"),
            "frameworks": frameworks,
            "framework": framework,
            "soa_url": reverse("bgys:applicabilityentry_list"),
            "dof_url": reverse("bgys:correctiveaction_list"),
        }
        if framework is not None:
            context.update(selectors.compliance(request.user, framework))
        return render(request, self.template_name, context)
