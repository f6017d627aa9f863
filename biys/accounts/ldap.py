"""LDAP / Active Directory login and user sync on top of django-auth-ldap.

Everything comes from ``settings.BIYS_LDAP`` (read from ``BIYS_LDAP_*`` environment variables
in config/settings.py). After a directory login or sync the user is linked to its personel
record (by e-mail or sicil number) and the roles mapped from directory groups are applied.
"""

import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django_auth_ldap.backend import LDAPBackend

from biys.accounts.models import Role, RoleAssignment, User
from biys.core.changelog import record_change
from biys.core.models import ObjectChange

logger = logging.getLogger(__name__)

AD_ACCOUNT_DISABLED = 0x2  # userAccountControl flag
GROUP_TYPES = {
    "activeDirectory": "NestedActiveDirectoryGroupType",
    "groupOfNames": "GroupOfNamesType",
    "groupOfUniqueNames": "GroupOfUniqueNamesType",
    "posixGroup": "PosixGroupType",
}
GROUP_FILTERS = {
    "activeDirectory": "(objectClass=group)",
    "groupOfNames": "(objectClass=groupOfNames)",
    "groupOfUniqueNames": "(objectClass=groupOfUniqueNames)",
    "posixGroup": "(objectClass=posixGroup)",
}


@dataclass(frozen=True)
class RoleMapping:
    group_dn: str  # lower-cased, as django-auth-ldap reports group DNs
    role_slug: str
    unit_name: str


def parse_role_map(raw: str) -> list[RoleMapping]:
    """``GROUP_DN=role@Unit name`` entries separated by ``;`` or new lines.

    A DN holds ``=`` itself, so the last ``=`` separates the group from the role.
    """
    mappings = []
    for entry in re.split(r"[;\n]", raw or ""):
        entry = entry.strip()
        if not entry:
            continue
        group_dn, _, target = entry.rpartition("=")
        role_slug, _, unit_name = target.partition("@")
        if not group_dn or not role_slug.strip() or not unit_name.strip():
            raise ImproperlyConfigured(
                f"BIYS_LDAP_ROLE_MAP entry {entry!r} is not 'group DN=role@unit name'"
            )
        mappings.append(RoleMapping(group_dn.strip().lower(), role_slug.strip(), unit_name.strip()))
    return mappings


def username_attribute(config: dict) -> str:
    """The directory attribute holding the login name, read from the user filter."""
    match = re.search(r"\(([\w-]+)=%\(user\)s\)", config["USER_FILTER"])
    if not match:
        raise ImproperlyConfigured("BIYS_LDAP_USER_FILTER must contain (attribute=%(user)s)")
    return match.group(1)


def auth_ldap_settings(config: dict) -> dict:
    """django-auth-ldap settings (without their AUTH_LDAP_ prefix) from ``BIYS_LDAP``."""
    import ldap
    from django_auth_ldap import config as ldap_config

    if not config.get("SERVER_URI"):
        raise ImproperlyConfigured("Set BIYS_LDAP_SERVER_URI to use directory login.")
    if not config.get("USER_SEARCH_BASE"):
        raise ImproperlyConfigured("Set BIYS_LDAP_USER_SEARCH_BASE to use directory login.")
    group_type = config.get("GROUP_TYPE") or "activeDirectory"
    if group_type not in GROUP_TYPES:
        raise ImproperlyConfigured(
            f"BIYS_LDAP_GROUP_TYPE must be one of {', '.join(GROUP_TYPES)}, got {group_type!r}"
        )
    attr_map = {
        "first_name": config["ATTR_FIRST_NAME"],
        "last_name": config["ATTR_LAST_NAME"],
        "email": config["ATTR_EMAIL"],
    }
    return {
        "SERVER_URI": config["SERVER_URI"],
        "BIND_DN": config.get("BIND_DN", ""),
        "BIND_PASSWORD": config.get("BIND_PASSWORD", ""),
        "START_TLS": config.get("START_TLS", False),
        # Active Directory answers referrals that python-ldap cannot follow anonymously.
        "CONNECTION_OPTIONS": {ldap.OPT_REFERRALS: 0, ldap.OPT_NETWORK_TIMEOUT: 10},
        "USER_SEARCH": ldap_config.LDAPSearch(
            config["USER_SEARCH_BASE"], ldap.SCOPE_SUBTREE, config["USER_FILTER"]
        ),
        "USER_ATTR_MAP": {field: attr for field, attr in attr_map.items() if attr},
        "GROUP_SEARCH": ldap_config.LDAPSearch(
            config.get("GROUP_SEARCH_BASE") or config["USER_SEARCH_BASE"],
            ldap.SCOPE_SUBTREE,
            GROUP_FILTERS[group_type],
        ),
        "GROUP_TYPE": getattr(ldap_config, GROUP_TYPES[group_type])(),
        "ALWAYS_UPDATE_USER": True,
        "CACHE_TIMEOUT": 0,
    }


class BiysLDAPBackend(LDAPBackend):
    # A prefix no setting uses: the configuration comes only from ``BIYS_LDAP``.
    settings_prefix = "BIYS_AUTH_LDAP_UNUSED_"

    @property
    def default_settings(self):
        return auth_ldap_settings(settings.BIYS_LDAP)

    def get_user(self, user_id):
        """django-auth-ldap's ``get_user``, the person read in the same query (``backends``)."""
        from django_auth_ldap.backend import _LDAPUser

        from biys.accounts.backends import user_with_person

        user = user_with_person(user_id)
        if user is not None:
            _LDAPUser(self, user=user)  # sets user.ldap_user, as the library does
        return user

    def get_or_build_user(self, username, ldap_user):
        from biys.accounts.services import user_snapshot

        user, built = super().get_or_build_user(username, ldap_user)
        user._biys_before = None if built else user_snapshot(user)
        return user, built

    def authenticate_ldap_user(self, ldap_user, password):
        user = super().authenticate_ldap_user(ldap_user, password)
        if user is not None:
            apply_directory_data(user, ldap_user)
        return user

    def populate_user(self, username):
        user = super().populate_user(username)
        if user is not None:
            apply_directory_data(user, user.ldap_user)
        return user


def _first(attrs, name: str) -> str:
    values = (attrs or {}).get(name) or []
    return str(values[0]).strip() if values else ""


def find_person(*, email: str, sicil_no: str):
    from biys.org.models import Person

    people = Person.objects.filter(user__isnull=True)
    if sicil_no:
        person = people.filter(sicil_no=sicil_no).first()
        if person is not None:
            return person
    if email:
        matches = list(people.filter(email__iexact=email)[:2])
        if len(matches) == 1:
            return matches[0]
    return None


def _find_unit(name: str):
    from biys.org.models import Unit

    return Unit.objects.filter(name=name).first() or Unit.objects.filter(short_name=name).first()


def apply_role_map(user: User, group_dns) -> None:
    """The directory is authoritative for the role@unit pairs the map names: holding the group
    grants the role, leaving it takes the role away. Other assignments are left alone."""
    from biys.accounts.services import assign_role, revoke_role

    member_of = {dn.lower() for dn in group_dns}
    for mapping in parse_role_map(settings.BIYS_LDAP.get("ROLE_MAP", "")):
        role = Role.objects.filter(slug=mapping.role_slug).first()
        unit = _find_unit(mapping.unit_name)
        if role is None or unit is None:
            logger.warning(
                "LDAP role map: no role %r or unit %r", mapping.role_slug, mapping.unit_name
            )
            continue
        if mapping.group_dn in member_of:
            assign_role(actor=None, user=user, role=role, unit=unit, include_subtree=True)
        else:
            for assignment in RoleAssignment.objects.filter(user=user, role=role, unit=unit):
                revoke_role(actor=None, assignment=assignment)


@transaction.atomic
def apply_directory_data(user: User, ldap_user) -> None:
    from biys.accounts.services import user_snapshot

    before = getattr(user, "_biys_before", None)
    config = settings.BIYS_LDAP
    updates = []
    if user.directory_dn != ldap_user.dn:
        user.directory_dn = ldap_user.dn
        updates.append("directory_dn")
    if user.person_id is None:
        person = find_person(
            email=user.email, sicil_no=_first(ldap_user.attrs, config.get("ATTR_SICIL", ""))
        )
        if person is not None:
            user.person = person
            updates.append("person")
    if updates:
        user.save(update_fields=updates)
    if config.get("ROLE_MAP"):
        apply_role_map(user, ldap_user.group_dns)
    after = user_snapshot(user)
    if before != after:
        action = ObjectChange.Action.CREATE if before is None else ObjectChange.Action.UPDATE
        record_change(user, action, before, after)
    user._biys_before = after


def is_disabled(attrs) -> bool:
    flags = _first(attrs, "userAccountControl")
    return flags.isdigit() and bool(int(flags) & AD_ACCOUNT_DISABLED)
