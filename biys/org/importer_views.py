"""The regulation importer's screens: upload a text, review the draft, confirm it.

Only holders of ``org.import_regulation`` (administrators) over some unit may use them, and a
draft is seen only by those who hold it over the draft's unit; others get 403, or 404 for a
draft, never a hint that it exists.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from biys.org.importer import note_text
from biys.org.importer_forms import DraftReviewForm, RegulationUploadForm
from biys.org.models import RegulationDraft
from biys.org.services_drafts import (
    confirm_regulation_draft,
    create_draft,
    discard_draft,
    draft_warnings,
    drafts_for,
    import_units,
    may_import,
    reimport_plan,
    save_review,
    summarise,
)


class ImporterMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_draft(self) -> RegulationDraft:
        return get_object_or_404(drafts_for(self.request.user), pk=self.kwargs["pk"])

    def get_open_draft(self):
        """The draft, or a redirect to its review page when it was confirmed or discarded."""
        draft = self.get_draft()
        if not draft.is_open:
            messages.info(self.request, _("This draft was already confirmed or discarded."))
            return draft, redirect("org:regulation_draft_review", pk=draft.pk)
        return draft, None


class RegulationImportView(ImporterMixin, View):
    template_name = "org/importer/upload.html"

    def get(self, request):
        return self.render_form(RegulationUploadForm(user=request.user))

    def post(self, request):
        form = RegulationUploadForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render_form(form)
        try:
            draft = create_draft(
                text=form.cleaned_data["source_text"],
                user=request.user,
                unit=form.cleaned_data.get("unit"),
                title=form.cleaned_data.get("title", ""),
                source_file=form.upload if form.cleaned_data.get("file") else None,
                amends=form.cleaned_data.get("amends"),
            )
        except ValidationError as error:
            form.add_error(form.source_field, error)
            return self.render_form(form)
        summary = summarise(draft.data)
        messages.success(
            request,
            _("The text was read: %(articles)s articles, %(units)s units. Review the draft.")
            % {"articles": summary.articles, "units": summary.units},
        )
        return redirect("org:regulation_draft_review", pk=draft.pk)

    def render_form(self, form):
        context = {"title": _("Import a regulation"), "form": form}
        return render(request=self.request, template_name=self.template_name, context=context)


class RegulationDraftListView(ImporterMixin, View):
    def get(self, request):
        drafts = [
            {"draft": draft, "summary": summarise(draft.data)}
            for draft in drafts_for(request.user).defer("source_text")
        ]
        context = {"title": _("Regulation drafts"), "drafts": drafts}
        return render(request, "org/importer/draft_list.html", context)


class RegulationDraftReviewView(ImporterMixin, View):
    template_name = "org/importer/review.html"

    def get(self, request, pk):
        draft = self.get_draft()
        return self.render_review(draft, self.review_form(draft))

    def post(self, request, pk):
        draft, closed = self.get_open_draft()
        if closed:
            return closed
        form = self.review_form(draft, request.POST)
        if not form.is_valid():
            return self.render_review(draft, form, status=400)
        save_review(draft=draft, data=form.reviewed_data())
        messages.success(request, _("The draft was saved. Nothing is in the organisation yet."))
        if "_confirm" in request.POST:
            return redirect("org:regulation_draft_confirm", pk=draft.pk)
        return redirect("org:regulation_draft_review", pk=draft.pk)

    def review_form(self, draft, data=None):
        return DraftReviewForm(
            data, draft_data=draft.data, existing_units=import_units(self.request.user)
        )

    def render_review(self, draft, form, status=200):
        context = {
            "title": draft.title,
            "draft": draft,
            "form": form,
            "summary": summarise(draft.data),
            "warnings": draft_warnings(draft.data),
            "parser_notes": [note_text(note) for note in draft.data.get("warnings", [])],
            "plan": reimport_plan(draft.data) if draft.is_open else None,
        }
        return render(self.request, self.template_name, context, status=status)


class RegulationDraftConfirmView(ImporterMixin, View):
    template_name = "org/importer/confirm.html"

    def get(self, request, pk):
        draft, closed = self.get_open_draft()
        return closed or self.render_confirm(draft)

    def post(self, request, pk):
        draft, closed = self.get_open_draft()
        if closed:
            return closed
        try:
            result = confirm_regulation_draft(draft=draft, user=request.user)
        except ValidationError as error:
            return self.render_confirm(draft, errors=error.messages, status=400)
        except DatabaseError as error:
            return self.render_confirm(draft, errors=[str(error)], status=400)
        if result.plan is not None:
            messages.success(
                request,
                _(
                    "%(regulation)s was updated: %(added)s duties added, %(changed)s changed, "
                    "%(retired)s retired."
                )
                % {
                    "regulation": result.regulation,
                    "added": result.plan.count("added"),
                    "changed": result.plan.count("changed") + result.plan.count("moved"),
                    "retired": result.plan.count("retired"),
                },
            )
            return redirect("org:chart")
        messages.success(
            request,
            _("%(regulation)s was confirmed: %(units)s units and %(duties)s duties were created.")
            % {
                "regulation": result.regulation,
                "units": result.units_created,
                "duties": result.duties_created,
            },
        )
        return redirect("org:chart")

    def render_confirm(self, draft, errors=(), status=200):
        context = {
            "title": _("Confirm %(draft)s") % {"draft": draft},
            "draft": draft,
            "summary": summarise(draft.data),
            "warnings": draft_warnings(draft.data),
            "units": draft.data.get("units", []),
            "errors": errors,
            "plan": reimport_plan(draft.data),
        }
        return render(self.request, self.template_name, context, status=status)


class RegulationDraftDiscardView(ImporterMixin, View):
    def get(self, request, pk):
        return redirect("org:regulation_draft_review", pk=self.get_draft().pk)

    def post(self, request, pk):
        draft, closed = self.get_open_draft()
        if closed:
            return closed
        discard_draft(draft=draft)
        messages.success(request, _("The draft %(draft)s was discarded.") % {"draft": draft})
        return redirect(reverse("org:regulation_draft_list"))
