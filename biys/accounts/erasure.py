"""KVKK erasure of a person's data (Law 6698 art. 7).

The login is anonymised and deactivated (and, on request, the linked personnel record's personal
fields emptied). The change log keeps its records, since they are evidence and editing them would
break the chain; an appended redaction record hides the erased values and the user's name in
every view of the log and says why.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from biys.accounts.models import RoleAssignment, User
from biys.accounts.services import (
    _record_user_change,
    _user_in_scope,
    end_sessions,
    user_snapshot,
)
from biys.core.changelog import append, build_record
from biys.core.models import ObjectChange

ERASED_USER_FIELDS = ("username", "first_name", "last_name", "email", "directory_dn")
ERASED_PERSON_FIELDS = (
    "first_name",
    "last_name",
    "tc_kimlik_no",
    "sicil_no",
    "email",
    "work_phone",
    "mobile_phone",
    "address",
    "location",
    "search_text",
    "sort_name",
)


def _erase_person(person) -> None:
    person.first_name = _("Erased")
    person.last_name = _("person %(number)s") % {"number": person.pk}
    person.tc_kimlik_no = None
    person.sicil_no = None
    person.email = person.work_phone = person.mobile_phone = person.address = person.location = ""
    person.save()


def _role_assignment_targets(user: User) -> list[dict]:
    content_type = ContentType.objects.get_for_model(RoleAssignment)
    about_user = Q(prechange_data__user_id=user.pk) | Q(postchange_data__user_id=user.pk)
    object_ids = (
        ObjectChange.objects.filter(about_user, content_type=content_type)
        .values_list("object_id", flat=True)
        .distinct()
    )
    return [
        {"content_type": content_type.pk, "object_id": object_id, "fields": []}
        for object_id in object_ids
    ]


@transaction.atomic
def erase_user(*, actor, user: User, reason: str, include_person: bool = False) -> ObjectChange:
    """Erase the user's personal data; returns the redaction record. ``actor`` must be allowed to
    delete the user; None is the CLI."""
    if actor is not None and not _user_in_scope(actor, user, "delete"):
        raise PermissionDenied(_("You may not erase this user's data."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why the data is erased (e.g. the request's number).")}
        )
    before = user_snapshot(user)
    user.username = f"erased-{user.pk}"
    user.first_name = user.last_name = user.email = user.directory_dn = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    end_sessions(user)
    _record_user_change(user, ObjectChange.Action.UPDATE, before)
    targets = [
        {
            "content_type": ContentType.objects.get_for_model(User).pk,
            "object_id": str(user.pk),
            "fields": list(ERASED_USER_FIELDS),
        }
    ]
    targets += _role_assignment_targets(user)  # their names carry the user name
    person = user.person if include_person else None
    if person is not None:
        _erase_person(person)
        targets.append(
            {
                "content_type": ContentType.objects.get_for_model(person).pk,
                "object_id": str(person.pk),
                "fields": list(ERASED_PERSON_FIELDS),
            }
        )
    notice = build_record(
        user,
        ObjectChange.Action.REDACT,
        None,
        {"reason": reason, "authors": [user.pk], "objects": targets},
        object_repr=_("Personal data erased: user %(number)s") % {"number": user.pk},
    )
    return append([notice])[0]
