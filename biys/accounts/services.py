"""Writes for accounts: users, role assignments, tokens. Every change is change-logged.

``actor`` is the user performing the change; ``None`` means the system (directory sync, CLI),
which skips the permission checks but is still recorded in the change log.
"""

from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.accounts import tokens
from biys.accounts.models import ApiToken, Role, RoleAssignment, User
from biys.accounts.roles import builtin_roles
from biys.accounts.scope import forget_scope, get_scope
from biys.core.changelog import record_change
from biys.core.models import ObjectChange

# Never the password hash: the change log shows who could do what, not how to log in as them.
USER_SNAPSHOT_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "is_active",
    "is_staff",
    "is_superuser",
    "person_id",
    "language",
    "directory_dn",
)
USER_EDITABLE_FIELDS = ("first_name", "last_name", "email", "language")


@transaction.atomic
def sync_builtin_roles() -> list[Role]:
    """Create or refresh the built-in roles from their permission patterns. Runs after every
    migrate and every test flush, so it writes only what differs."""
    permissions = {
        f"{p.content_type.app_label}.{p.codename}": p.pk
        for p in Permission.objects.select_related("content_type")
    }
    specs = builtin_roles()
    existing = {role.slug: role for role in Role.objects.filter(slug__in=[s.slug for s in specs])}
    held: dict[int, set[int]] = {}
    for role_id, permission_id in Role.permissions.through.objects.filter(
        role__in=[role.pk for role in existing.values()]
    ).values_list("role_id", "permission_id"):
        held.setdefault(role_id, set()).add(permission_id)
    roles = []
    for spec in specs:
        fields = {
            "name": str(spec.name),
            "description": str(spec.description),
            "is_builtin": True,
        }
        role = existing.get(spec.slug)
        if role is None:
            role, _ = Role.objects.update_or_create(slug=spec.slug, defaults=fields)
        elif any(getattr(role, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(role, name, value)
            role.save()
        wanted = {pk for codename, pk in permissions.items() if spec.matches(codename)}
        current = held.get(role.pk, set())
        if current - wanted:
            role.permissions.remove(*(current - wanted))
        if wanted - current:
            role.permissions.add(*(wanted - current))
        roles.append(role)
    return roles


def user_snapshot(user: User) -> dict:
    return {name: getattr(user, name) for name in USER_SNAPSHOT_FIELDS}


def _record_user_change(user: User, action: str, before: dict | None) -> None:
    after = user_snapshot(user)
    if before != after:
        record_change(user, action, before, after)


def _reset_cached_access(user: User) -> None:
    forget_scope(user)


# --- permission checks ------------------------------------------------------------------------


def _user_in_scope(actor, user: User, action: str) -> bool:
    from biys.accounts.selectors import restrict_users

    return restrict_users(User.objects.filter(pk=user.pk), actor, action).exists()


def _require_user_access(actor, user: User, action: str = "change") -> None:
    if actor is not None and not _user_in_scope(actor, user, action):
        raise PermissionDenied(_("You may not manage this user."))


def _covered_unit_ids(unit, include_subtree: bool) -> list[int]:
    return list(unit.subtree().values_list("pk", flat=True)) if include_subtree else [unit.pk]


def _require_may_grant(actor, role: Role, unit, include_subtree: bool) -> None:
    """The actor must hold ``add_roleassignment`` over the unit, and may not hand out more than
    they hold themselves there (no privilege escalation through a role they do not have)."""
    if actor is None:
        return
    scope = get_scope(actor)
    if scope.is_superuser:
        return
    if not scope.has_perm("accounts.add_roleassignment", unit.pk):
        raise PermissionDenied(_("You may not assign roles in this unit."))
    if not _holds_what_role_grants(scope, role, unit, include_subtree):
        raise PermissionDenied(
            _("You may not assign a role that grants more than you hold yourself.")
        )


def _holds_what_role_grants(scope, role: Role, unit, include_subtree: bool) -> bool:
    unit_ids = _covered_unit_ids(unit, include_subtree)
    for permission in role.permissions.select_related("content_type"):
        codename = f"{permission.content_type.app_label}.{permission.codename}"
        if not all(scope.has_perm(codename, unit_id) for unit_id in unit_ids):
            return False
    return True


def _require_may_restore_roles(actor, user: User) -> None:
    """Reactivating a user gives their roles back: the actor must hold what each of them
    grants, as if assigning it (a departed department head is not brought back by a section's
    administrator)."""
    if actor is None:
        return
    scope = get_scope(actor)
    if scope.is_superuser:
        return
    for assignment in user.role_assignments.select_related("role", "unit"):
        if not _holds_what_role_grants(
            scope, assignment.role, assignment.unit, assignment.include_subtree
        ):
            raise PermissionDenied(
                _(
                    "This user holds roles that grant more than you hold yourself: an"
                    " administrator of their units must reactivate them."
                )
            )


# --- users --------------------------------------------------------------------------------------


@transaction.atomic
def create_user(
    *,
    actor,
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    person=None,
) -> User:
    user = User(
        username=username, first_name=first_name, last_name=last_name, email=email, person=person
    )
    if person is not None:
        _require_person_manageable(actor, person)
    elif actor is not None and get_scope(actor).units_for("accounts.add_user") is not None:
        # A user outside every unit is visible only to municipality-wide administrators.
        raise PermissionDenied(_("Link the new user to a person of a unit you manage."))
    user.full_clean(exclude=["password"])
    validate_password(password, user)
    user.set_password(password)
    user.save()
    record_change(user, ObjectChange.Action.CREATE, None, user_snapshot(user))
    return user


def _require_person_manageable(actor, person) -> None:
    if actor is not None and not get_scope(actor).has_perm("accounts.add_user", person.unit_id):
        raise PermissionDenied(_("You may not manage users of this unit."))


@transaction.atomic
def update_user(*, actor, user: User, **changes) -> User:
    _require_user_access(actor, user)
    unknown = set(changes) - set(USER_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")
    before = user_snapshot(user)
    for name, value in changes.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save()
    _record_user_change(user, ObjectChange.Action.UPDATE, before)
    return user


@transaction.atomic
def set_person(*, actor, user: User, person) -> User:
    """Link the login to its personel record (or unlink with ``person=None``)."""
    _require_user_access(actor, user)
    if person is not None:
        _require_person_manageable(actor, person)
        other = User.objects.filter(person=person).exclude(pk=user.pk).first()
        if other is not None:
            raise ValidationError(
                {
                    "person": _("This person is already linked to the user %(user)s.")
                    % {"user": other}
                }
            )
    before = user_snapshot(user)
    user.person = person
    user.save(update_fields=["person"])
    _record_user_change(user, ObjectChange.Action.UPDATE, before)
    return user


def end_sessions(user: User) -> int:
    """Delete every live session of the user. Sessions are opaque, so decode and compare."""
    user_pk = str(user.pk)
    doomed = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == user_pk
    ]
    Session.objects.filter(pk__in=doomed).delete()
    return len(doomed)


@transaction.atomic
def deactivate_user(*, actor, user: User, revoke_roles: bool = False) -> User:
    """Take away a user's access at once: no login, no API token, no open session.

    Kocaeli BB regulation 14(f): access is revoked when a person leaves or changes post;
    ``revoke_roles`` also removes the user's role assignments (a changed post needs new ones):
    those in units where the actor may remove roles (``revoke_role``'s rule); the others are
    their units' administrators' to remove.
    """
    _require_user_access(actor, user)
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(_("You cannot deactivate yourself."))
    before = user_snapshot(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    ApiToken.objects.filter(user=user).delete()
    end_sessions(user)
    if revoke_roles:
        scope = get_scope(actor) if actor is not None else None
        for assignment in list(user.role_assignments.all()):
            if scope is None or scope.has_perm(
                "accounts.delete_roleassignment", assignment.unit_id
            ):
                assignment.delete()
    _reset_cached_access(user)
    _record_user_change(user, ObjectChange.Action.UPDATE, before)
    return user


@transaction.atomic
def activate_user(*, actor, user: User) -> User:
    _require_user_access(actor, user)
    _require_may_restore_roles(actor, user)
    before = user_snapshot(user)
    user.is_active = True
    user.save(update_fields=["is_active"])
    _record_user_change(user, ObjectChange.Action.UPDATE, before)
    return user


@transaction.atomic
def regenerate_token(*, user: User) -> str:
    """A new API token for the user; the old one stops working. Returns the key, which is not
    stored (only its hash and prefix): show it once."""
    key = tokens.new_key()
    tokens.store_key(user, key)
    return key


@transaction.atomic
def delete_token(*, user: User) -> None:
    ApiToken.objects.filter(user=user).delete()


# --- roles --------------------------------------------------------------------------------------


def _require_role_admin(actor) -> None:
    # A role is the same everywhere: only a municipality-wide administrator redefines one.
    if actor is not None and get_scope(actor).units_for("accounts.change_role") is not None:
        raise PermissionDenied(_("Only municipality-wide administrators may change roles."))


@transaction.atomic
def save_role(
    *,
    actor,
    role: Role | None = None,
    slug: str,
    name: str,
    description: str = "",
    requires_two_factor: bool = False,
    permissions=(),
) -> Role:
    _require_role_admin(actor)
    role = role or Role()
    if role.is_builtin and slug != role.slug:
        raise ValidationError({"slug": _("The slug of a built-in role cannot change.")})
    role.slug, role.name, role.description = slug, name, description
    role.requires_two_factor = requires_two_factor
    role.full_clean()
    role.save()
    role.permissions.set(permissions)
    return role


@transaction.atomic
def delete_role(*, actor, role: Role) -> None:
    _require_role_admin(actor)
    if role.is_builtin:
        raise ValidationError(_("Built-in roles cannot be deleted."))
    role.delete()


@transaction.atomic
def assign_role(
    *, actor, user: User, role: Role, unit, include_subtree: bool = True
) -> RoleAssignment:
    """Give ``user`` the role over ``unit`` (and its sub-units). Assigning again updates it."""
    _require_may_grant(actor, role, unit, include_subtree)
    if actor is not None and not _user_in_scope(actor, user, "view"):
        raise PermissionDenied(_("You may not manage this user."))
    assignment = RoleAssignment.objects.filter(user=user, role=role, unit=unit).first()
    if assignment is None:
        assignment = RoleAssignment.objects.create(
            user=user, role=role, unit=unit, include_subtree=include_subtree
        )
    elif assignment.include_subtree != include_subtree:
        assignment.include_subtree = include_subtree
        assignment.save()
    _reset_cached_access(user)
    return assignment


@transaction.atomic
def revoke_role(*, actor, assignment: RoleAssignment) -> None:
    if actor is not None and not get_scope(actor).has_perm(
        "accounts.delete_roleassignment", assignment.unit_id
    ):
        raise PermissionDenied(_("You may not remove roles in this unit."))
    user = assignment.user
    assignment.delete()
    _reset_cached_access(user)
