"""Factories the cross-module tests use to put a comment in a unit (on a person there)."""

from django.contrib.contenttypes.models import ContentType

from biys.comments.models import Comment
from biys.core.testing import register_factory


@register_factory(Comment)
def make_comment(unit, parent=None, *, text="Kontrol edildi.", author=None, is_internal=False):
    """A comment whose parent (a person, by default) lives in ``unit``. Access to a comment
    follows its parent: see ``Comment.access_follows_parent``."""
    from biys.org.models import Person

    if parent is None:
        parent = Person.objects.create(
            first_name="Yorum", last_name="Sahibi", employment_type="memur", unit=unit
        )
    return Comment.objects.create(
        content_type=ContentType.objects.get_for_model(parent),
        object_id=str(parent.pk),
        text=text,
        author=author,
        is_internal=is_internal,
    )
