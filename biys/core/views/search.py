"""The global search page behind the search box of the top bar."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from biys.core.search import search as search_everything
from biys.core.text import capfirst


@login_required
def search(request):
    query = request.GET.get("q", "").strip()[:200]
    groups = []
    for target, hits in search_everything(request.user, query, limit=20):
        groups.append(
            {
                "label": capfirst(target.label),
                "model": target.model,
                "template_name": target.template_name,
                "hits": hits,
                "entries": [{"object": hit, "url": target.hit_url(hit)} for hit in hits],
            }
        )
    context = {
        "title": _("Search"),
        "query": query,
        "global_search_query": query,
        "groups": groups,
        "total": sum(len(group["hits"]) for group in groups),
    }
    return render(request, "core/search.html", context)
