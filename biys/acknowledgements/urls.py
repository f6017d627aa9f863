from django.urls import path

from biys.acknowledgements import views

app_name = "acknowledgements"
urlpatterns = [
    path("", views.my_list, name="mine"),
    path("<int:pk>/accept/", views.accept, name="accept"),
]
