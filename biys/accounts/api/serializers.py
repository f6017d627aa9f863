from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from biys.accounts.models import Role, RoleAssignment, User
from biys.accounts.selectors import restrict_users, roles_for
from biys.core.api.serializers import BiysModelSerializer


class AssignmentBriefSerializer(serializers.ModelSerializer):
    role_slug = serializers.CharField(source="role.slug", read_only=True)
    role_name = serializers.CharField(source="role.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = RoleAssignment
        fields = ["id", "role", "role_slug", "role_name", "unit", "unit_name", "include_subtree"]


class UserSerializer(BiysModelSerializer):
    password = serializers.CharField(
        write_only=True,
        required=False,
        style={"input_type": "password"},
        help_text="Only when creating a user with a local password.",
    )
    from_directory = serializers.BooleanField(read_only=True)
    unit = serializers.IntegerField(source="person.unit_id", read_only=True, allow_null=True)

    class Meta:
        model = User
        fields = [
            "id",
            "display",
            "username",
            "first_name",
            "last_name",
            "email",
            "language",
            "is_active",
            "person",
            "unit",
            "from_directory",
            "last_login",
            "date_joined",
            "password",
        ]
        read_only_fields = ["last_login", "date_joined"]

    def validate_username(self, value):
        if self.instance is not None and value != self.instance.username:
            raise serializers.ValidationError(_("A username cannot be changed."))
        return value

    def validate_person(self, person):
        if person is not None:
            taken = User.objects.filter(person=person)
            if self.instance is not None:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                raise serializers.ValidationError(_("This person is already linked to a user."))
        return person

    def validate(self, attrs):
        password = attrs.pop("password", None)
        attrs = super().validate(attrs)
        if self.instance is None:
            if not password:
                raise serializers.ValidationError({"password": [_("This field is required.")]})
            candidate = User(
                username=attrs.get("username", ""),
                first_name=attrs.get("first_name", ""),
                last_name=attrs.get("last_name", ""),
                email=attrs.get("email", ""),
            )
            try:
                validate_password(password, candidate)
            except DjangoValidationError as error:
                raise serializers.ValidationError({"password": list(error.messages)}) from error
            attrs["password"] = password
        elif password:
            raise serializers.ValidationError(
                {"password": [_("Users change their own password on their profile page.")]}
            )
        return attrs


class PermissionCodenameField(serializers.ListField):
    """Permissions as ``app_label.codename`` strings."""

    child = serializers.CharField()

    def to_representation(self, value):
        return sorted(f"{p.content_type.app_label}.{p.codename}" for p in value.all())

    def to_internal_value(self, data):
        names = super().to_internal_value(data)
        by_name = {
            f"{p.content_type.app_label}.{p.codename}": p
            for p in Permission.objects.select_related("content_type")
        }
        unknown = [name for name in names if name not in by_name]
        if unknown:
            raise serializers.ValidationError(
                _("Unknown permissions: %(names)s") % {"names": ", ".join(unknown[:10])}
            )
        return [by_name[name] for name in names]


class RoleSerializer(BiysModelSerializer):
    permissions = PermissionCodenameField(required=False)

    class Meta:
        model = Role
        fields = [
            "id",
            "display",
            "slug",
            "name",
            "description",
            "is_builtin",
            "requires_two_factor",
            "permissions",
            "created",
            "last_updated",
        ]
        read_only_fields = ["is_builtin"]


class VisibleUserField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return restrict_users(User.objects.all(), self.context["request"].user, "view")


class VisibleRoleField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return roles_for(self.context["request"].user)


class RoleAssignmentSerializer(BiysModelSerializer):
    user = VisibleUserField()
    role = VisibleRoleField()

    class Meta:
        model = RoleAssignment
        fields = [
            "id",
            "display",
            "user",
            "role",
            "unit",
            "include_subtree",
            "created",
            "last_updated",
        ]


class PermissionUnitsSerializer(serializers.Serializer):
    superuser = serializers.BooleanField()
    permissions = serializers.DictField(
        child=serializers.ListField(child=serializers.IntegerField(), allow_null=True),
        help_text="Permission -> unit ids where it holds; null means every unit.",
    )


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    access = serializers.SerializerMethodField()
    two_factor_verified = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "language",
            "person",
            "is_superuser",
            "two_factor_verified",
            "roles",
            "access",
        ]

    @extend_schema_field(AssignmentBriefSerializer(many=True))
    def get_roles(self, user):
        assignments = user.role_assignments.select_related("role", "unit")
        return AssignmentBriefSerializer(assignments, many=True).data

    @extend_schema_field(PermissionUnitsSerializer)
    def get_access(self, user):
        from biys.accounts.selectors import access_summary

        return access_summary(user)

    def get_two_factor_verified(self, user) -> bool:
        return bool(getattr(user, "is_verified", lambda: False)())
