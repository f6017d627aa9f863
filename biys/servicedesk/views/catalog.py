"""Catalogue items, knowledge-base articles and queue settings."""

from django.db import transaction
from django.db.models import Count
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from biys.core.views.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    Tab,
    model_url,
    safe_return_url,
)
from biys.servicedesk import selectors
from biys.servicedesk.forms import (
    CatalogItemForm,
    KnowledgeArticleForm,
    QueueForm,
    SLATargetFormSet,
)
from biys.servicedesk.models import CatalogItem, KnowledgeArticle, Queue
from biys.servicedesk.tables import CatalogItemTable, KnowledgeArticleTable, QueueTable
from biys.servicedesk.views.filters import CatalogItemFilterSet, KnowledgeArticleFilterSet

# --------------------------------------------------------------------------- catalogue


class CatalogItemListView(ObjectListView):
    queryset = CatalogItem.objects.select_related("unit", "duty")
    table_class = CatalogItemTable
    filterset_class = CatalogItemFilterSet


class CatalogItemDetailView(ObjectDetailView):
    queryset = CatalogItem.objects.select_related("unit", "duty__paragraph__article__regulation")
    details_template_name = "servicedesk/partials/catalogitem_fields.html"

    def get_extra_context(self, obj):
        return {
            "sla_targets": list(obj.sla_targets.order_by("priority")),
            "extra_fields": [f for f in obj.form_fields or [] if isinstance(f, dict)],
        }


class CatalogItemEditView(ObjectEditView):
    """The item with its SLA targets inline (one formset, saved in the same transaction)."""

    queryset = CatalogItem.objects.all()
    form_class = CatalogItemForm
    template_name = "servicedesk/catalogitem_edit.html"

    def formset(self, obj, data=None):
        return SLATargetFormSet(data, instance=obj, prefix="sla")

    def render_form(self, obj, form, status=200):
        context = {
            **self.base_context(),
            "object": obj,
            "form": form,
            "formset": getattr(self, "_formset", None) or self.formset(obj),
            "is_new": obj.pk is None,
            "title": (
                _("Add %(model)s") % {"model": self.model._meta.verbose_name}
                if obj.pk is None
                else _("Edit %(object)s") % {"object": obj}
            ),
            "return_url": safe_return_url(
                self.request, obj.get_absolute_url() if obj.pk else model_url(self.model, "_list")
            ),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        self._formset = self.formset(obj)
        return self.render_form(obj, self.get_form(obj))

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        self._formset = self.formset(obj, request.POST)
        if not self._formset.is_valid():
            return self.render_form(obj, self.get_form(obj, data=request.POST), status=400)
        return super().post(request, *args, **kwargs)

    def save_form(self, form):
        with transaction.atomic():
            obj = form.save()
            self._formset.instance = obj
            self._formset.save()
        return obj


class KnowledgeArticleListView(ObjectListView):
    queryset = KnowledgeArticle.objects.select_related("unit")
    table_class = KnowledgeArticleTable
    filterset_class = KnowledgeArticleFilterSet

    def get_queryset(self):
        return selectors.restrict_knowledge_articles(self.queryset.all(), self.request.user, "view")


class KnowledgeArticleDetailView(ObjectDetailView):
    queryset = KnowledgeArticle.objects.select_related("unit")
    details_template_name = "servicedesk/partials/article_body.html"
    show_comments = False

    def get_queryset(self):
        return selectors.restrict_knowledge_articles(self.queryset.all(), self.request.user, "view")

    def get_extra_tabs(self, obj):
        items = obj.catalog_items.select_related("unit")
        return [
            Tab(
                "items",
                _("Catalogue items"),
                template_name="servicedesk/partials/article_items.html",
                context=lambda: {"items": list(items)},
                badge=items.count(),
            )
        ]


class KnowledgeArticleEditView(ObjectEditView):
    queryset = KnowledgeArticle.objects.all()
    form_class = KnowledgeArticleForm


class QueueListView(ObjectListView):
    queryset = Queue.objects.select_related("unit").annotate(member_count=Count("members"))
    table_class = QueueTable
    filterset_class = None
    quick_search = False


class QueueDetailView(ObjectDetailView):
    queryset = Queue.objects.select_related("unit").prefetch_related("members")
    details_template_name = "servicedesk/partials/queue_fields.html"
    show_comments = False
    show_attachments = False


class QueueEditView(ObjectEditView):
    queryset = Queue.objects.all()
    form_class = QueueForm
