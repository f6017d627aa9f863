from django.urls import include, path, re_path

from biys.core.views.generic import get_model_urls
from biys.secops import navigation, views  # noqa: F401 - menu and view registration
from biys.secops.services import TRANSITIONS

# A finding's steps by name only, so the generic pages under findings/<pk>/ (history) stay reachable.
STEP = "|".join(TRANSITIONS)

app_name = "secops"
urlpatterns = [
    path("findings/overdue/", views.OverdueView.as_view(), name="overdue"),
    path("findings/<int:pk>/ticket/", views.FindingTicketView.as_view(), name="finding_ticket"),
    re_path(
        rf"^findings/(?P<pk>[0-9]+)/(?P<action>{STEP})/$",
        views.FindingActionView.as_view(),
        name="finding_action",
    ),
    path("incidents/escalate/", views.EscalateView.as_view(), name="incident_escalate"),
    path(
        "incidents/<int:pk>/evidence/<int:evidence_pk>/",
        views.EvidenceDownloadView.as_view(),
        name="evidence_download",
    ),
    path(
        "incidents/<int:pk>/report.pdf", views.IncidentReportView.as_view(), name="incident_report"
    ),
    path("incidents/tasks/", views.MyIncidentTasksView.as_view(), name="my_tasks"),
    path(
        "incidents/statistics/",
        views.IncidentStatisticsView.as_view(),
        name="incident_statistics",
    ),
    path(
        "incidents/<int:pk>/tasks/<int:task_pk>/<slug:action>/",
        views.IncidentTaskStepView.as_view(),
        name="incident_task_step",
    ),
    path(
        "incidents/<int:pk>/do/<slug:action>/",
        views.IncidentActionView.as_view(),
        name="incident_action",
    ),
    path("incidents/<int:incident>/breach/", views.BreachAddView.as_view(), name="breach_add"),
    path(
        "breaches/<int:pk>/notify-board/",
        views.BreachNotifyBoardView.as_view(),
        name="breach_notify_board",
    ),
    path("pentests/<int:pk>/report/", views.PenTestReportView.as_view(), name="pentest_report"),
    path(
        "pentests/<int:pk>/findings/add/",
        views.PenTestFindingAddView.as_view(),
        name="pentest_finding_add",
    ),
    path("pentests/", include(get_model_urls("secops", "pentest"))),
    path("usom/upload/", views.UsomUploadView.as_view(), name="usom_upload"),
    path("usom/matches/", views.UsomMatchesView.as_view(), name="usom_matches"),
    path("usom/access/", views.UsomAccessView.as_view(), name="usom_access"),
    path("usom/imports/", include(get_model_urls("secops", "usomlistimport"))),
    path("usom/addresses/", include(get_model_urls("secops", "usomaddress"))),
    path("breaches/", include(get_model_urls("secops", "breach"))),
    path("incidents/", include(get_model_urls("secops", "incident"))),
    path("notification-rules/", include(get_model_urls("secops", "notificationrule"))),
    path("findings/", include(get_model_urls("secops", "finding"))),
    path("imports/", include(get_model_urls("secops", "scanimport"))),
    path("targets/", include(get_model_urls("secops", "remediationtarget"))),
]
