from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from biys.core.models import ChangeLoggedModel


class Comment(ChangeLoggedModel):
    """A remark on any business object.

    Access follows the parent object: whoever may view the parent reads its comments and may
    add one; internal notes are for those who may change the parent. No ``scope_path``.
    """

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("object id"), max_length=64)
    parent = GenericForeignKey("content_type", "object_id")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("comment"), max_length=10000)
    is_internal = models.BooleanField(
        _("internal note"),
        default=False,
        help_text=_("Only people who may change the object see internal notes."),
    )
    edited = models.DateTimeField(_("edited"), null=True, blank=True)

    scope_path = None  # access follows the parent object, see the class docstring
    access_follows_parent = True

    class Meta:
        ordering = ["created", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "created"])]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.text[:60]
