import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from biys.core.models import ChangeLoggedModel


def attachment_path(instance, filename: str) -> str:
    """A random stored name: the uploader's file name is kept in the database, not on disk."""
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class Attachment(ChangeLoggedModel):
    """A file attached to any business object.

    Access follows the parent object: whoever may view the parent sees and downloads its
    attachments, whoever may change the parent adds and removes them (``biys.attachments.targets``).
    Hence no ``scope_path`` of its own. Internal files (an IT note's screenshot) are for those who
    may change the parent; a parent whose files hold more than the parent shows (a person's
    papers) names the permission needed to read them as ``attachment_view_perm``.
    """

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("object id"), max_length=64)
    parent = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    filename = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    mime_type = models.CharField(_("type"), max_length=100)
    description = models.CharField(_("description"), max_length=255, blank=True)
    is_internal = models.BooleanField(
        _("internal"),
        default=False,
        help_text=_("Only people who may change the object see internal files."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    scope_path = None  # access follows the parent object, see the class docstring
    # The stored name is a random path; name, size and SHA-256 identify the file in the log.
    changelog_exclude = ("file",)
    access_follows_parent = True

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse("attachments:download", kwargs={"pk": self.pk})

    @property
    def is_image(self) -> bool:
        return self.mime_type.startswith("image/")

    @property
    def is_viewable_inline(self) -> bool:
        return self.is_image or self.mime_type == "application/pdf"
