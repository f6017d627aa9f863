from django.contrib.auth.models import Permission
from django.db import transaction

from biys.accounts.models import Role
from biys.accounts.roles import builtin_roles


@transaction.atomic
def sync_builtin_roles() -> list[Role]:
    """Create or refresh the built-in roles from their permission patterns."""
    permissions = list(Permission.objects.select_related("content_type"))
    roles = []
    for spec in builtin_roles():
        role, _ = Role.objects.update_or_create(
            slug=spec.slug,
            defaults={
                "name": str(spec.name),
                "description": str(spec.description),
                "is_builtin": True,
            },
        )
        wanted = [
            p for p in permissions if spec.matches(f"{p.content_type.app_label}.{p.codename}")
        ]
        role.permissions.set(wanted)
        roles.append(role)
    return roles
