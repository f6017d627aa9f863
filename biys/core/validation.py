"""Model validation shared by the services."""

from django.core.exceptions import ValidationError


def full_clean(instance, errors: dict | None = None, exclude=None) -> None:
    """``instance.full_clean()`` with the caller's own field errors added: one
    ``ValidationError`` carrying every field's message, or none."""
    errors = dict(errors or {})
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
