from django.urls import path

from biys.accounts.views import auth, roles, users

app_name = "accounts"
urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("password/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("two-factor/", auth.two_factor_verify, name="two_factor"),
    path("two-factor/setup/", auth.two_factor_setup, name="two_factor_setup"),
    path("two-factor/disable/", auth.two_factor_disable, name="two_factor_disable"),
    path("profile/", auth.profile, name="profile"),
    path("token/", auth.token, name="token"),
    path("users/", users.user_list, name="users"),
    path("users/add/", users.user_create, name="user_add"),
    path("users/<int:pk>/", users.user_detail, name="user"),
    path("users/<int:pk>/edit/", users.user_edit, name="user_edit"),
    path("users/<int:pk>/access/", users.user_access, name="user_access"),
    path(
        "users/<int:pk>/activate/",
        users.user_set_active,
        {"active": True},
        name="user_activate",
    ),
    path(
        "users/<int:pk>/deactivate/",
        users.user_set_active,
        {"active": False},
        name="user_deactivate",
    ),
    path("users/<int:pk>/person/", users.user_set_person, name="user_person"),
    path("users/<int:pk>/erase/", users.user_erase, name="user_erase"),
    path("users/<int:pk>/roles/add/", users.assignment_add, name="assignment_add"),
    path("assignments/<int:pk>/delete/", users.assignment_delete, name="assignment_delete"),
    path("roles/", roles.role_list, name="roles"),
    path("roles/add/", roles.role_edit, name="role_add"),
    path("roles/<int:pk>/", roles.role_detail, name="role"),
    path("roles/<int:pk>/edit/", roles.role_edit, name="role_edit"),
    path("roles/<int:pk>/delete/", roles.role_delete, name="role_delete"),
]
