"""The public entry point's pages (``config.public_settings``): the application form a citizen
fills in without an account, and the tracking page. No session, no login, no other page of
BİYS: the process can run on a host in the DMZ while the rest stays on the closed network.

Abuse is bounded before any work: the request's size against ``BIYS_PUBLIC_UPLOAD_MAX_MB``
(nginx's ``client_max_body_size`` in front says the same), then per client address
``BIYS_PUBLIC_FILINGS_PER_HOUR`` filings and ``BIYS_PUBLIC_LOOKUPS_PER_HOUR`` tracking
lookups; a tracking code is 60 random bits, so lookups cannot walk the codes."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from biys.applications import selectors, services, tracking
from biys.applications.public_forms import PublicApplicationForm, TrackingForm
from biys.core import ratelimit

# The form's own fields and the type's answers besides the files: well under this.
FORM_OVERHEAD_BYTES = 256 * 1024
FORM_LEVEL_ERRORS = ("type", "received_on", "responsible_unit", "form_data", "channel_due_date")


def filings_limit() -> ratelimit.Limit:
    return ratelimit.Limit(getattr(settings, "BIYS_PUBLIC_FILINGS_PER_HOUR", 10), 3600)


def lookups_limit() -> ratelimit.Limit:
    return ratelimit.Limit(getattr(settings, "BIYS_PUBLIC_LOOKUPS_PER_HOUR", 60), 3600)


class PublicPage(View):
    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        # A shared computer's back button must not show someone's application again.
        response["Cache-Control"] = "no-store"
        response["X-Robots-Tag"] = "noindex"
        return response

    def page(self, request, template, context, *, status=200):
        context = {"institution": getattr(settings, "BIYS_PUBLIC_TITLE", ""), **context}
        return render(request, f"applications/public/{template}", context, status=status)

    def refused(self, request, message, *, status, retry_after=None):
        response = self.page(request, "refused.html", {"message": message}, status=status)
        if retry_after:
            response["Retry-After"] = str(retry_after)
        return response


class ApplyView(PublicPage):
    """``/``: the types a citizen may file; ``/?type=CODE``: that type's form."""

    def application_type(self, request):
        code = request.GET.get("type")
        if not code:
            return None
        found = selectors.public_types().filter(code=code).first()
        if found is None:
            raise Http404
        return found

    def get(self, request):
        application_type = self.application_type(request)
        if application_type is None:
            return self.page(request, "types.html", {"types": selectors.public_types()})
        form = PublicApplicationForm(application_type=application_type)
        return self.form_page(request, form)

    def form_page(self, request, form, *, status=200):
        return self.page(
            request,
            "form.html",
            {
                "form": form,
                "type": form.application_type,
                "max_files": services.public_max_files(),
                "max_bytes": services.public_max_bytes(),
            },
            status=status,
        )

    def post(self, request):
        application_type = self.application_type(request)
        if application_type is None:
            raise Http404
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > services.public_max_bytes() + FORM_OVERHEAD_BYTES:
            return self.refused(
                request, _("The form and its files are too large to be received."), status=413
            )
        wait = ratelimit.hit("public-apply", request.META.get("REMOTE_ADDR", ""), filings_limit())
        if wait:
            return self.refused(
                request,
                _("Too many applications from your connection. Try again later."),
                status=429,
                retry_after=wait,
            )
        form = PublicApplicationForm(request.POST, request.FILES, application_type=application_type)
        if form.is_bot() or not form.is_valid():
            return self.form_page(request, form, status=400)
        data = form.cleaned_data
        try:
            application, code = services.file_public_application(
                type=application_type,
                subject=data["subject"],
                description=data["description"],
                applicant_kind=data["applicant_kind"],
                applicant_name=data["applicant_name"],
                tc_kimlik_no=data.get("tc_kimlik_no", ""),
                tax_number=data["tax_number"],
                email=data["email"],
                phone=data["phone"],
                address=data["address"],
                form_data=form.form_data(),
                latitude=data.get("latitude"),
                longitude=data.get("longitude"),
                files=data["files"],
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                target = None if field in FORM_LEVEL_ERRORS or field not in form.fields else field
                for message in messages:
                    form.add_error(target, message)
            return self.form_page(request, form, status=400)
        return self.page(
            request,
            "filed.html",
            {"application": application, "code": tracking.shown(code)},
            status=201,
        )


class TrackView(PublicPage):
    """``/takip/``: the state and answer of an application, by its tracking code (sent in the
    form's body, never in the address, so it stays out of access logs)."""

    def get(self, request):
        return self.page(request, "track.html", {"form": TrackingForm()})

    def post(self, request):
        wait = ratelimit.hit("public-track", request.META.get("REMOTE_ADDR", ""), lookups_limit())
        if wait:
            return self.refused(
                request,
                _("Too many lookups from your connection. Try again later."),
                status=429,
                retry_after=wait,
            )
        form = TrackingForm(request.POST)
        application = None
        if form.is_valid():
            application = selectors.by_tracking_code(form.cleaned_data["code"])
            if application is None:
                form.add_error("code", _("No application has this tracking code."))
        status = 200 if application is not None else 400
        return self.page(
            request, "track.html", {"form": form, "application": application}, status=status
        )


def not_found(request, exception=None):
    """The public site's 404: the installation's own page needs the signed-in shell."""
    return render(
        request,
        "applications/public/refused.html",
        {
            "institution": getattr(settings, "BIYS_PUBLIC_TITLE", ""),
            "message": _("There is no such page."),
        },
        status=404,
    )


def server_error(request):
    return render(
        request,
        "applications/public/refused.html",
        {"message": _("Something went wrong. Try again in a few minutes.")},
        status=500,
    )
