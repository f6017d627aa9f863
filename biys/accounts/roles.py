"""Built-in roles as permission patterns. Later modules extend them with ``register_role``.

Patterns match ``app_label.codename`` with shell wildcards; ``exclude`` wins over ``include``.
"""

import re
from dataclasses import dataclass, field
from fnmatch import translate
from functools import lru_cache

from django.utils.translation import gettext_lazy as _


@dataclass
class RoleSpec:
    slug: str
    name: str
    description: str
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)

    def matches(self, codename: str) -> bool:
        return bool(_pattern(tuple(self.include)).match(codename)) and not _pattern(
            tuple(self.exclude)
        ).match(codename)


@lru_cache(maxsize=512)
def _pattern(patterns: tuple[str, ...]) -> re.Pattern:
    """One regular expression for a list of shell patterns (case-sensitive, as ``fnmatchcase``):
    syncing the roles matches every permission against every role's patterns."""
    if not patterns:
        return re.compile(r"(?!)")
    return re.compile("|".join(f"(?:{translate(pattern)})" for pattern in patterns))


ADMIN_ONLY = [
    "accounts.*",
    "core.*",
    "axes.*",
    "otp_totp.*",
    "authtoken.*",
    "auth.*",
    "contenttypes.*",
    "sessions.*",
    "admin.*",
]

_roles: dict[str, RoleSpec] = {}


def register_role(spec: RoleSpec) -> None:
    _roles[spec.slug] = spec


def extend_role(slug: str, *, include: list[str] = (), exclude: list[str] = ()) -> None:
    _roles[slug].include.extend(include)
    _roles[slug].exclude.extend(exclude)


def builtin_roles() -> list[RoleSpec]:
    return list(_roles.values())


register_role(
    RoleSpec(
        "requester",
        _("Requester"),
        _("Staff of any unit: files faults and requests and follows them."),
        include=[],
        exclude=ADMIN_ONLY,
    )
)
register_role(
    RoleSpec(
        "technician",
        _("Technician"),
        _("Works the queues of their units; sees the records of those units."),
        include=["*.view_*"],
        exclude=[*ADMIN_ONLY, "org.view_personal_data"],
    )
)
register_role(
    RoleSpec(
        "chief",
        _("Chief (şef / şube müdürü)"),
        _("Manages the work and records of their units."),
        include=["*.view_*", "*.add_*", "*.change_*"],
        exclude=ADMIN_ONLY,
    )
)
register_role(
    RoleSpec(
        "department_head",
        _("Department head"),
        _("Answers for the whole department: sees and manages everything in it."),
        include=["*.view_*", "*.add_*", "*.change_*", "*.delete_*", "core.view_objectchange"],
        exclude=[p for p in ADMIN_ONLY if p != "core.*"]
        + ["core.add_*", "core.change_*", "core.delete_*"],
    )
)
register_role(
    RoleSpec(
        "administrator",
        _("Administrator"),
        _("Sets up the organisation, users and roles."),
        include=["*"],
        exclude=["core.change_objectchange", "core.delete_objectchange"],
    )
)
register_role(
    RoleSpec(
        "kvkk_contact",
        _("KVKK contact person"),
        _(
            "Answers for personal data under KVKK: reads, within their units, who saw whose"
            " personal data unmasked, when and why."
        ),
        include=["core.view_personaldataview"],
    )
)
register_role(
    RoleSpec(
        "auditor",
        _("Auditor"),
        _("Reads everything, including the change log; changes nothing."),
        include=["*.view_*"],
        exclude=["accounts.view_user_token*"],
    )
)
