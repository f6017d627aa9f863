from rest_framework.permissions import BasePermission


class SignedIn(BasePermission):
    """Objects attached to a parent have no unit of their own: the viewsets check the parent
    (view to read, change to add or remove) in their queryset and services."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated)
