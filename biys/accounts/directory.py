"""User sync from LDAP / Active Directory: create and update every directory user, deactivate
the logins whose directory entry is gone or disabled."""

from dataclasses import dataclass, field

from django.conf import settings

from biys.accounts.ldap import BiysLDAPBackend, is_disabled, username_attribute
from biys.accounts.models import User

PAGE_SIZE = 500


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)


def _connect(config: dict, backend: BiysLDAPBackend):
    import ldap

    connection = ldap.initialize(config["SERVER_URI"], bytes_mode=False)
    for option, value in backend.settings.CONNECTION_OPTIONS.items():
        connection.set_option(option, value)
    if config.get("START_TLS"):
        connection.start_tls_s()
    connection.simple_bind_s(config.get("BIND_DN", ""), config.get("BIND_PASSWORD", ""))
    return connection


def directory_entries(config: dict, backend: BiysLDAPBackend):
    """(username, attrs) of every user entry, fetched page by page (AD returns 1000 at most)."""
    import ldap
    from ldap.controls import SimplePagedResultsControl

    attribute = username_attribute(config)
    search_filter = config["USER_FILTER"] % {"user": "*"}
    connection = _connect(config, backend)
    control = SimplePagedResultsControl(True, size=PAGE_SIZE, cookie="")
    try:
        while True:
            message_id = connection.search_ext(
                config["USER_SEARCH_BASE"],
                ldap.SCOPE_SUBTREE,
                search_filter,
                [attribute, "userAccountControl"],
                serverctrls=[control],
            )
            _, entries, _, response_controls = connection.result3(message_id)
            for dn, attrs in entries:
                if dn is None:  # a referral
                    continue
                attrs = {key: [value.decode() for value in values] for key, values in attrs.items()}
                names = attrs.get(attribute) or next(
                    (v for k, v in attrs.items() if k.lower() == attribute.lower()), []
                )
                if names:
                    yield names[0], attrs
            cookies = [c.cookie for c in response_controls if c.controlType == control.controlType]
            if not cookies or not cookies[0]:
                break
            control.cookie = cookies[0]
    finally:
        connection.unbind_s()


def sync_users(*, dry_run: bool = False) -> SyncReport:
    from biys.accounts.services import deactivate_user

    config = settings.BIYS_LDAP
    backend = BiysLDAPBackend()
    report = SyncReport()
    seen: set[int] = set()
    known = {name.lower() for name in User.objects.values_list("username", flat=True)}
    for username, attrs in directory_entries(config, backend):
        if is_disabled(attrs):
            continue
        if dry_run:
            (report.updated if username.lower() in known else report.created).append(username)
            user = User.objects.filter(username__iexact=username).first()
        else:
            user = backend.populate_user(username)
            if user is None:
                continue
            (report.created if username.lower() not in known else report.updated).append(
                user.username
            )
        if user is not None:
            seen.add(user.pk)
    gone = User.objects.filter(is_active=True).exclude(directory_dn="").exclude(pk__in=seen)
    for user in gone:
        report.deactivated.append(user.username)
        if not dry_run:
            deactivate_user(actor=None, user=user)
    return report
