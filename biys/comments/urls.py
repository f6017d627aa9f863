from django.urls import path

from biys.comments import views

app_name = "comments"
urlpatterns = [
    path("for/<int:content_type_id>/<str:object_id>/", views.for_object, name="for_object"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
]
