from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from biys.accounts import services
from biys.accounts.api.serializers import (
    MeSerializer,
    RoleAssignmentSerializer,
    RoleSerializer,
    UserSerializer,
)
from biys.accounts.models import Role, RoleAssignment, User
from biys.accounts.scope import get_scope
from biys.accounts.selectors import can_change_roles, restrict_users, roles_for
from biys.core.api.views import BiysViewSetMixin


class UserPermission(BasePermission):
    """Reads are narrowed by the queryset; writes need ``accounts.*_user`` over the user's unit
    (checked again by the services)."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in SAFE_METHODS:
            return True
        action = "add" if request.method == "POST" else "change"
        return get_scope(request.user).has_perm(f"accounts.{action}_user")

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        return restrict_users(User.objects.filter(pk=obj.pk), request.user, "change").exists()


class UserViewSet(
    BiysViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Users are never deleted (their history stays attributed): deactivate them instead."""

    queryset = User.objects.select_related("person")
    serializer_class = UserSerializer
    permission_classes = [UserPermission]
    filterset_fields = ["is_active", "person", "person__unit"]
    ordering_fields = ["id", "username", "first_name", "last_name", "email", "date_joined"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.create_user(
            actor=self.request.user,
            username=data["username"],
            password=data["password"],
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            email=data.get("email", ""),
            person=data.get("person"),
        )
        if data.get("is_active") is False:
            services.deactivate_user(actor=self.request.user, user=serializer.instance)

    @transaction.atomic
    def perform_update(self, serializer):
        user, data, actor = serializer.instance, serializer.validated_data, self.request.user
        changes = {k: v for k, v in data.items() if k in services.USER_EDITABLE_FIELDS}
        if changes:
            services.update_user(actor=actor, user=user, **changes)
        if "person" in data and data["person"] != user.person:
            services.set_person(actor=actor, user=user, person=data["person"])
        if "is_active" in data and data["is_active"] != user.is_active:
            if data["is_active"]:
                services.activate_user(actor=actor, user=user)
            else:
                services.deactivate_user(actor=actor, user=user)


class RolePermission(BasePermission):
    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in SAFE_METHODS or can_change_roles(request.user)

    def has_object_permission(self, request, view, obj):
        return True


class RoleViewSet(BiysViewSetMixin, viewsets.ModelViewSet):
    """Roles are shared by the whole municipality; only municipality-wide administrators
    (``accounts.change_role`` in every unit) define them."""

    queryset = Role.objects.prefetch_related("permissions__content_type")
    serializer_class = RoleSerializer
    permission_classes = [RolePermission]
    filterset_fields = ["slug", "is_builtin", "requires_two_factor"]
    ordering_fields = ["id", "slug", "name"]

    def get_queryset(self):
        return roles_for(self.request.user).prefetch_related("permissions__content_type")

    def _save(self, serializer, role):
        data = serializer.validated_data
        serializer.instance = services.save_role(
            actor=self.request.user,
            role=role,
            slug=data.get("slug", role.slug if role else ""),
            name=data.get("name", role.name if role else ""),
            description=data.get("description", role.description if role else ""),
            requires_two_factor=data.get(
                "requires_two_factor", role.requires_two_factor if role else False
            ),
            permissions=data.get("permissions", list(role.permissions.all()) if role else []),
        )

    def perform_create(self, serializer):
        self._save(serializer, None)

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)

    def perform_destroy(self, instance):
        services.delete_role(actor=self.request.user, role=instance)


class RoleAssignmentViewSet(
    BiysViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Who holds which role where. To change one, remove it and assign again."""

    queryset = RoleAssignment.objects.select_related("user", "role", "unit")
    serializer_class = RoleAssignmentSerializer
    filterset_fields = ["user", "role", "unit", "include_subtree"]
    ordering_fields = ["id", "user", "role", "unit"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.assign_role(
            actor=self.request.user,
            user=data["user"],
            role=data["role"],
            unit=data["unit"],
            include_subtree=data.get("include_subtree", True),
        )

    def perform_destroy(self, instance):
        services.revoke_role(actor=self.request.user, assignment=instance)


class MeView(APIView):
    """The signed-in user, their roles and where each of their permissions holds."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        if not request.user.is_active:
            raise PermissionDenied()
        return Response(MeSerializer(request.user, context={"request": request}).data)
