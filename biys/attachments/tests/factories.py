"""Factories the cross-module tests use to put an attachment in a unit (on a person there)."""

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile

from biys.attachments.models import Attachment
from biys.attachments.tests import samples
from biys.core.testing import register_factory


@register_factory(Attachment)
def make_attachment(unit, parent=None, *, content: bytes | None = None, name="ek.png"):
    """An attachment whose parent (a person, by default) lives in ``unit``. Access to an
    attachment follows its parent: see ``Attachment.access_follows_parent``."""
    import hashlib

    from biys.org.models import Person

    if parent is None:
        parent = Person.objects.create(
            first_name="Ek", last_name="Sahibi", employment_type="memur", unit=unit
        )
    content = samples.png() if content is None else content
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(parent),
        object_id=str(parent.pk),
        filename=name,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        mime_type="image/png",
    )
    attachment.file.save(name, ContentFile(content), save=False)
    attachment.save()
    return attachment
