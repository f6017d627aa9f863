"""The installation's URLs plus the floor pages: an authenticated request that runs no query of
its own, so a page's time can be set against the stack's fixed cost (session, middleware,
scope). The scope is the user's access scope (``get_scope``), which every page of the
installation resolves before it reads a row: the issue "Speed at scale" counts it in the floor.
"""

import json

from django.contrib.auth.decorators import login_required
from django.db import connection, transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import include, path
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from biys.core.access import get_scope


@login_required
def floor(request):
    get_scope(request.user)
    return HttpResponse("<!doctype html><title>floor</title><p>ok</p>")


@login_required
def frame_floor(request):
    """The floor of an HTML page of the installation: the frame every page shares (side menu
    for the user's roles, top bar, language switch, notification bell) around an empty body,
    still with no query of its own. Printed beside the bare floor (``frame_ms``)."""
    get_scope(request.user)
    return render(request, "core/base.html", {"title": "floor"})


class FloorAPIView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        get_scope(request.user)
        return Response({"ok": True})


WRITE_TABLE = "bench_floor_write"


class FloorWriteView(APIView):
    """The stack's floor for a write: an authenticated API POST whose body is parsed and stored
    as one row in one transaction (``WRITE_TABLE``, made by ``ensure_write_table``), with no
    rule, no change log and no notification. Creation's best possible rate on the machine."""

    permission_classes = [IsAuthenticated]

    def post(self, request):
        get_scope(request.user)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {WRITE_TABLE} (body) VALUES (%s)", [json.dumps(request.data)]
            )
        return Response({"ok": True}, status=201)


def ensure_write_table() -> None:
    key = (
        "id INTEGER PRIMARY KEY AUTOINCREMENT"
        if connection.vendor == "sqlite"
        else ("id bigserial PRIMARY KEY")
    )
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {WRITE_TABLE} ({key}, body text)")


urlpatterns = [
    path("bench/floor/", floor),
    path("bench/floor/frame/", frame_floor),
    path("bench/floor/api/", FloorAPIView.as_view()),
    path("bench/floor/api/write/", FloorWriteView.as_view()),
    path("", include("config.urls")),
]

handler404 = "biys.core.api.problems.handler404"
handler500 = "biys.core.api.problems.handler500"
