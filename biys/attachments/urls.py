from django.urls import path

from biys.attachments import views

app_name = "attachments"
urlpatterns = [
    path("for/<int:content_type_id>/<str:object_id>/", views.for_object, name="for_object"),
    path("<int:pk>/download/", views.download, name="download"),
    path("<int:pk>/delete/", views.delete, name="delete"),
]
