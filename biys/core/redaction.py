"""Redaction records: the change log is never edited, so a KVKK erasure appends a record naming
what must no longer be shown (the values of some fields of some objects, and the name of a user
on the records they made) and why. Every view of the change log passes its records through
``redact`` before showing them.

A redaction record's ``postchange_data``::

    {"reason": "KVKK başvurusu 2026/14", "authors": [user ids],
     "objects": [{"content_type": id, "object_id": "7", "fields": ["first_name", ...]}]}

Confidential objects are the other reason a record is shown in part: a model whose objects only
some people may read (a Gizli document) defines ``history_unreadable(user, ids, records)``, the
ids among ``ids`` that ``user`` may not read, each with the text its records show instead of the
object's name. Their records, and the records of the objects that belong to them (a model's
``history_parent``: the attname of the key to the owning object, or several, the first set
counts; attachments and comments by their parent), show that text (``(confidential)`` for the
belonging objects) and ``(confidential)`` for every value except the fields their model lists in
``history_confidential_shown``. ``redact(records, user=...)`` applies both.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from biys.core.models import ObjectChange

HIDDEN = _("(erased)")
CONFIDENTIAL = _("(confidential)")
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


def _hide(data, fields: set[str], marker=HIDDEN, shown=frozenset()):
    if not data:
        return data
    return {
        key: (
            marker
            if (ALL_FIELDS in fields or key in fields)
            and key not in shown
            and value not in (None, "")
            else value
        )
        for key, value in data.items()
    }


def _model_of(record):
    from django.contrib.contenttypes.models import ContentType

    try:
        return ContentType.objects.get_for_id(record.content_type_id).model_class()
    except ContentType.DoesNotExist:
        return None


def _owner(record, model):
    """``(owning model, str(id))`` whose confidentiality governs ``record``, or None."""
    if model is None:
        return None
    if hasattr(model, "history_unreadable"):
        return model, str(record.object_id)
    data = record.postchange_data or record.prechange_data or {}
    parents = getattr(model, "history_parent", None)
    if parents:
        for parent in (parents,) if isinstance(parents, str) else parents:
            value = data.get(parent)
            if value not in (None, ""):
                related = model._meta.get_field(parent.removesuffix("_id")).related_model
                return related, str(value)
        return None
    if getattr(model, "access_follows_parent", False) or {"content_type", "object_id"} <= set(
        _field_names(model)
    ):
        content_type_id, object_id = data.get("content_type_id"), data.get("object_id")
        if content_type_id in (None, "") or object_id in (None, ""):
            return None
        from django.contrib.contenttypes.models import ContentType

        try:
            parent_model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        except (ContentType.DoesNotExist, TypeError, ValueError):
            return None
        return parent_model, str(object_id)
    return None


def _field_names(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields]


def confidential_masks(user, records) -> dict[int, tuple[str, frozenset]]:
    """``{record pk: (object text, fields still shown)}`` for the records of confidential
    objects ``user`` may not read (see the module docstring). One query or two per model of
    confidential objects among ``records``, however many records."""
    owners, wanted = {}, defaultdict(list)
    for record in records:
        model = _model_of(record)
        owner = _owner(record, model)
        if owner is None or not hasattr(owner[0], "history_unreadable"):
            continue
        owners[record.pk] = (model, owner)
        wanted[owner[0]].append((owner[1], record))
    masks = {}
    for owner_model, entries in wanted.items():
        ids = {object_id for object_id, _record in entries}
        own = [record for _id, record in entries if _model_of(record) is owner_model]
        unreadable = owner_model.history_unreadable(user, ids, own)
        if not unreadable:
            continue
        for object_id, record in entries:
            if object_id not in unreadable:
                continue
            model = owners[record.pk][0]
            shown = frozenset(getattr(model, "history_confidential_shown", ()))
            text = unreadable[object_id] if model is owner_model else CONFIDENTIAL
            masks[record.pk] = (str(text), shown)
    return masks


def mask_confidential(records, user):
    """Hide, in memory only, the confidential objects' names and values ``user`` may not read."""
    records = list(records)
    masks = confidential_masks(user, records)
    for record in records:
        mask = masks.get(record.pk)
        if mask is None:
            continue
        text, shown = mask
        record.object_repr = text
        record.prechange_data = _hide(record.prechange_data, {ALL_FIELDS}, CONFIDENTIAL, shown)
        record.postchange_data = _hide(record.postchange_data, {ALL_FIELDS}, CONFIDENTIAL, shown)
        record.confidential_masked = True
    return records


_NOT_GIVEN = object()


def redact(records, redactions: Redactions | None = None, user=_NOT_GIVEN):
    """Hide, in memory only, what redaction records say is erased and, when ``user`` is given
    (None: nobody signed in), what of a confidential object they may not read. Returns the
    records."""
    records = list(records)
    if user is not _NOT_GIVEN:
        records = mask_confidential(records, user)
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
