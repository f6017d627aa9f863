from rest_framework.permissions import SAFE_METHODS, BasePermission

from biys.core.access import can, get_scope, perm_name

ACTION_BY_METHOD = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}


class ScopedObjectPermission(BasePermission):
    """Signed-in users only; lists are narrowed by ``restrict`` in the viewset's queryset, and
    every object is checked against the user's scope for the action its method implies."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in SAFE_METHODS or request.method not in ACTION_BY_METHOD:
            return True
        queryset = getattr(view, "queryset", None)
        if queryset is None:
            return True
        return get_scope(user).has_perm(perm_name(queryset.model, ACTION_BY_METHOD[request.method]))

    def has_object_permission(self, request, view, obj):
        action = (
            "view"
            if request.method in SAFE_METHODS
            else ACTION_BY_METHOD.get(request.method, "change")
        )
        return can(request.user, action, obj)
