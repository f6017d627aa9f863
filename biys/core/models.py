from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import NoReverseMatch
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from biys.core.compiled_insert import CompiledInsertModel
from biys.core.querysets import RestrictedQuerySet
from biys.core.urlcache import pk_url
from biys.core.validators import validate_storable_json

_CHOICE_LABELS: dict = {}


def choice_labels(field) -> dict:
    """A field's choices as {value: label} in the active language, kept for the process (a
    model field's choices are fixed when its class is made)."""
    key = (field, get_language())
    labels = _CHOICE_LABELS.get(key)
    if labels is None:
        labels = _CHOICE_LABELS[key] = {
            make_hashable(value): force_str(label, strings_only=True)
            for value, label in field.flatchoices
        }
    return labels


class ChangeLoggedModel(CompiledInsertModel):
    """Base of every business model: timestamps, change logging and scoped querysets.

    Class attributes a subclass may set:
      ``scope_path``   lookup from the model to the ``org.Unit`` that owns an object
                       (``"unit"``, ``"person__unit"``; ``"pk"`` on Unit itself).
      ``visible_to_all_staff``  every signed-in user may view it (the organisation chart).
      ``changelog_exclude``     fields never written to the change log (secrets).
      ``changelog_mask``        fields written masked (personal data).
    """

    created = models.DateTimeField(_("created"), auto_now_add=True, null=True)
    last_updated = models.DateTimeField(_("last updated"), auto_now=True, null=True)

    objects = RestrictedQuerySet.as_manager()

    scope_path: str | None = None
    visible_to_all_staff = False
    changelog_exclude: tuple[str, ...] = ()
    changelog_mask: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        meta = self._meta
        try:
            return pk_url(f"{meta.app_label}:{meta.model_name}", self.pk)
        except NoReverseMatch:
            return ""

    def _get_FIELD_display(self, field):
        """Every ``get_FOO_display()`` of a business model: Django's answer, from the field's
        labels translated once per language (Django rebuilds the dict, translating every
        label, on each call: a list of 50 rows with a status badge paid that 50 times)."""
        value = getattr(self, field.attname)
        labels = choice_labels(field)
        try:
            label = labels.get(value, value)
        except TypeError:  # an unhashable value (a list in a JSON field): Django's way
            label = labels.get(make_hashable(value), value)
        return force_str(label, strings_only=True)

    def clean_fields(self, exclude=None):
        """Django's field checks, then: no text or JSON value a database cannot store (a NUL,
        a lone surrogate), so a form or API answers at the field instead of failing on save."""
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if field.name in (exclude or ()) or field.name in errors:
                continue
            if isinstance(field, (models.CharField, models.TextField, models.JSONField)):
                try:
                    validate_storable_json(getattr(self, field.attname))
                except ValidationError as error:
                    errors.setdefault(field.name, []).extend(error.error_list)
        if errors:
            raise ValidationError(errors)


class ImapMailbox(ChangeLoggedModel):
    """An IMAP mailbox a module polls (``biys.core.imap``): the service desk's ticket mailboxes,
    the registry's e-mail and KEP mailboxes. The module adds where its messages go."""

    name = models.CharField(_("name"), max_length=100)
    host = models.CharField(_("IMAP host"), max_length=200)
    port = models.PositiveIntegerField(_("port"), default=993)
    use_ssl = models.BooleanField(_("SSL/TLS"), default=True)
    username = models.CharField(_("user name"), max_length=200)
    password = models.CharField(_("password"), max_length=200)
    folder = models.CharField(_("folder"), max_length=100, default="INBOX")
    is_active = models.BooleanField(_("active"), default=True)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)

    changelog_exclude = ("password",)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ObjectChange(models.Model):
    """One create, update or delete of business data, or a redaction notice. Append-only.

    Records form ``BIYS_AUDIT_CHAINS`` independent chains (``chain``, ``sequence``): each stores
    the previous record's hash, and its own hash is an HMAC over every column with a key kept
    outside the database (``biys.core.auditkey``). See ``biys.core.changelog``.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        DELETE = "delete", _("Deleted")
        REDACT = "redact", _("Redacted")

    time = models.DateTimeField(_("time"), db_index=True)
    # DO_NOTHING and no constraint: deleting a user must never rewrite the records they made.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    user_name = models.CharField(_("user name"), max_length=150, blank=True)
    request_id = models.CharField(_("request"), max_length=32, blank=True, db_index=True)
    remote_addr = models.CharField(_("address"), max_length=45, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    # Indexed with the object id below (an object's history); a second index of its own would
    # only cost every write.
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    unit_id = models.BigIntegerField(_("unit"), null=True, blank=True, db_index=True)
    prechange_data = models.JSONField(_("data before"), null=True, blank=True)
    postchange_data = models.JSONField(_("data after"), null=True, blank=True)
    chain = models.PositiveSmallIntegerField(_("chain"), default=1)
    sequence = models.PositiveBigIntegerField(_("position in chain"), default=0)
    previous_hash = models.CharField(max_length=64)
    # Not indexed: nothing looks a record up by its hash (the chain and the checkpoints find it
    # by chain and sequence), and a unique index of random keys made every write dearer.
    hash = models.CharField(max_length=64)

    objects = RestrictedQuerySet.as_manager()
    scope_path = "unit_id"

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-id"])]
        constraints = [
            models.UniqueConstraint(fields=["chain", "sequence"], name="unique_change_position")
        ]
        verbose_name = _("change record")
        verbose_name_plural = _("change records")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("Change records cannot be edited.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Change records cannot be deleted.")

    @property
    def changed_fields(self) -> list[str]:
        before, after = self.prechange_data or {}, self.postchange_data or {}
        return sorted(
            key for key in before.keys() | after.keys() if before.get(key) != after.get(key)
        )


class AuditChainHead(models.Model):
    """The newest record of one change-log chain (the primary key is the chain's number).

    Locked while records are appended to that chain only, so unrelated writes do not queue."""

    id = models.PositiveSmallIntegerField(primary_key=True)
    sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.pk}: {self.sequence} {self.last_hash}"


class Sequence(models.Model):
    """A named source of official numbers, e.g. ``ARZ-{year}-{seq:06d}``."""

    name = models.SlugField(_("name"), max_length=50, unique=True)
    template = models.CharField(
        _("format"),
        max_length=100,
        help_text=_("Placeholders: {year} and {seq}, e.g. ARZ-{year}-{seq:06d}."),
    )
    yearly = models.BooleanField(_("restart every year"), default=True)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")

    def __str__(self) -> str:
        return self.name


class SequenceCounter(models.Model):
    sequence = models.ForeignKey(Sequence, on_delete=models.CASCADE, related_name="counters")
    year = models.PositiveIntegerField(help_text="0 for sequences that never restart")
    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sequence", "year"], name="unique_sequence_year")
        ]

    def __str__(self) -> str:
        return f"{self.sequence} {self.year}: {self.value}"


class IdempotencyKey(models.Model):
    """A creating API request's ``Idempotency-Key`` with the response it produced, so a client
    whose connection died can send the same request again without filing a duplicate. Written
    in the transaction that created the object; purged after ``expires``."""

    user_id = models.BigIntegerField()
    key = models.CharField(max_length=255)
    path = models.CharField(max_length=500)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response_body = models.JSONField(encoder=DjangoJSONEncoder, null=True)
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user_id", "key"], name="unique_idempotency_key")
        ]

    def __str__(self) -> str:
        return self.key


class Generation(models.Model):
    """A random value that triggers renew on every write to the tables watched under ``name``
    (``biys.core.generations``): the version of the process-wide caches built from them."""

    name = models.CharField(max_length=50, primary_key=True)
    value = models.BigIntegerField(default=1)

    class Meta:
        db_table = "core_generation"
        verbose_name = _("cache generation")
        verbose_name_plural = _("cache generations")

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"


class PersonalDataView(models.Model):
    """KVKK: who saw whose unmasked personal data, when and why; one log for every module (a
    person of the organisation, an applicant, the sender of a document, ...). Append-only.

    ``subject`` names the data subject without holding their number: a keyed digest of their
    TC kimlik no (``biys.core.personal_data.subject_digest``), so the log of everything seen
    of one person can be found by that number and by nothing else."""

    time = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("record"), max_length=200)
    unit_id = models.BigIntegerField(_("unit"), null=True, blank=True, db_index=True)
    subject = models.CharField(_("data subject"), max_length=64, blank=True, db_index=True)
    fields = models.CharField(_("fields"), max_length=200)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    request_id = models.CharField(_("request"), max_length=32, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path = "unit_id"

    class Meta:
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-time"])]
        verbose_name = _("personal data view")
        verbose_name_plural = _("personal data views")

    def __str__(self) -> str:
        return f"{self.user} → {self.object_repr} ({self.fields})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("Personal data views cannot be edited.")
        super().save(*args, **kwargs)
