from django.urls import path
from rest_framework.routers import DefaultRouter

from biys.accounts.api import views

router = DefaultRouter()
router.register("users", views.UserViewSet)
router.register("roles", views.RoleViewSet)
router.register("role-assignments", views.RoleAssignmentViewSet)

urlpatterns = [path("me/", views.MeView.as_view(), name="accounts-me"), *router.urls]
