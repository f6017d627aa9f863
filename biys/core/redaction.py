"""Redaction records: the change log is never edited, so a KVKK erasure appends a record naming
what must no longer be shown (the values of some fields of some objects, and the name of a user
on the records they made) and why. Every view of the change log passes its records through
``redact`` before showing them.

A redaction record's ``postchange_data``::

    {"reason": "KVKK başvurusu 2026/14", "authors": [user ids],
     "objects": [{"content_type": id, "object_id": "7", "fields": ["first_name", ...]}]}
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from biys.core.models import ObjectChange

HIDDEN = _("(erased)")
ALL_FIELDS = "*"


@dataclass
class Redactions:
    authors: set[int] = field(default_factory=set)
    objects: dict[tuple[int, str], set[str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.authors or self.objects)


def load_redactions(using: str = "default") -> Redactions:
    redactions = Redactions()
    notices = ObjectChange.objects.using(using).filter(action=ObjectChange.Action.REDACT)
    for data in notices.values_list("postchange_data", flat=True):
        data = data or {}
        redactions.authors.update(int(pk) for pk in data.get("authors", []))
        for target in data.get("objects", []):
            key = (int(target["content_type"]), str(target["object_id"]))
            redactions.objects.setdefault(key, set()).update(target.get("fields", [ALL_FIELDS]))
    return redactions


def _hide(data, fields: set[str]):
    if not data:
        return data
    return {
        key: (
            HIDDEN if (ALL_FIELDS in fields or key in fields) and value not in (None, "") else value
        )
        for key, value in data.items()
    }


def redact(records, redactions: Redactions | None = None):
    """Hide, in memory only, what redaction records say is erased. Returns the records."""
    records = list(records)
    if redactions is None:
        redactions = load_redactions()
    if not redactions:
        return records
    for record in records:
        if record.action == ObjectChange.Action.REDACT:
            continue
        if record.user_id in redactions.authors:
            record.user_name = str(HIDDEN)
        fields = redactions.objects.get((record.content_type_id, str(record.object_id)))
        if fields is not None:
            record.object_repr = str(HIDDEN)
            record.prechange_data = _hide(record.prechange_data, fields)
            record.postchange_data = _hide(record.postchange_data, fields)
    return records
