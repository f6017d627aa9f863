"""The installation's URLs plus the floor pages: an authenticated request that runs no query of
its own, so a page's time can be set against the stack's fixed cost (session, middleware,
scope). The scope is the user's access scope (``get_scope``), which every page of the
installation resolves before it reads a row: the issue "Speed at scale" counts it in the floor.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import include, path
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from biys.core.access import get_scope


@login_required
def floor(request):
    get_scope(request.user)
    return HttpResponse("<!doctype html><title>floor</title><p>ok</p>")


class FloorAPIView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        get_scope(request.user)
        return Response({"ok": True})


urlpatterns = [
    path("bench/floor/", floor),
    path("bench/floor/api/", FloorAPIView.as_view()),
    path("", include("config.urls")),
]

handler404 = "biys.core.api.problems.handler404"
handler500 = "biys.core.api.problems.handler500"
