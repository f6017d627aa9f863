import copy

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from rest_framework import serializers
from rest_framework.settings import api_settings

from biys.core.validators import validate_storable_json


class StorableJSONField(serializers.JSONField):
    """DRF's JSONField refusing values no database can store: NUL characters, lone surrogates,
    absurd nesting (``biys.core.validators``). Every JSON model field maps to it."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(validate_storable_json)


class BiysModelSerializer(serializers.ModelSerializer):
    """Adds ``display`` (the object's text) to every model serializer.

    Model validation (field validators, ``clean()``, ``unique``, ``unique_together`` and
    ``UniqueConstraint``) runs in ``validate`` on an unsaved copy of the object with the incoming
    values applied, so bad input is a 400 naming the field, never an IntegrityError 500. A partial
    update is validated together with the stored values of the fields it leaves out.
    """

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.JSONField: StorableJSONField,
    }
    display = serializers.SerializerMethodField()

    def get_fields(self):
        """DRF builds a model serializer's fields from the model on every instance (a third of
        answering a filed ticket); build them once per class and hand each instance a copy.
        Safe because no serializer here builds fields from its instance or context."""
        cls = type(self)
        built = cls.__dict__.get("_biys_built_fields")
        if built is None:
            built = super().get_fields()
            cls._biys_built_fields = built
        return copy.deepcopy(built)

    def get_display(self, obj) -> str:
        return str(obj)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        concrete = {field.name: field for field in model._meta.concrete_fields}
        for name, value in list(attrs.items()):
            field = concrete.get(name)
            # "" in a nullable unique column would collide with the next ""; NULL never does.
            if value == "" and isinstance(field, models.CharField) and field.null:
                attrs[name] = None
        candidate = self._candidate(model, concrete, attrs)
        given = {name for name in attrs if name in concrete}
        # Only the incoming values are checked field by field (stored ones were checked when
        # written); uniqueness and constraints are checked over the whole would-be row.
        unchecked = [name for name in concrete if name not in given]
        errors = self._model_errors(candidate, unchecked, self._computed_fields(concrete, given))
        if errors:
            raise serializers.ValidationError(self._error_detail(DjangoValidationError(errors)))
        return attrs

    def _candidate(self, model, concrete, attrs):
        """A copy of the instance (or a fresh one) with the validated values applied."""
        # copy.copy copies Django's per-instance state too (Model.__getstate__).
        candidate = copy.copy(self.instance) if self.instance is not None else model()
        for name, value in attrs.items():
            if name in concrete:
                setattr(candidate, name, value)
        return candidate

    def _computed_fields(self, concrete, given) -> set[str]:
        """On create, fields the client did not send that the model computes on save (not
        editable) are not checked for uniqueness yet; on update every stored value is."""
        if self.instance is not None:
            return set()
        return {
            name for name, field in concrete.items() if name not in given and not field.editable
        }

    @staticmethod
    def _model_errors(candidate, unchecked, computed) -> dict:
        """Like ``full_clean``, with separate exclusions for field checks and unique checks."""
        errors: dict = {}
        try:
            candidate.clean_fields(exclude=unchecked)
        except DjangoValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            candidate.clean()
        except DjangoValidationError as error:
            errors = error.update_error_dict(errors)
        exclude = computed | set(errors)
        try:
            candidate.validate_unique(exclude=exclude)
        except DjangoValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            candidate.validate_constraints(exclude=exclude)
        except DjangoValidationError as error:
            errors = error.update_error_dict(errors)
        return errors

    def _error_detail(self, error: DjangoValidationError) -> dict:
        """Model field names back to the serializer's field names."""
        by_source = {
            field.source: name
            for name, field in self.fields.items()
            if not field.read_only and field.source != "*"
        }
        detail = {}
        for key, messages in error.message_dict.items():
            if key == NON_FIELD_ERRORS:
                target = api_settings.NON_FIELD_ERRORS_KEY
            else:
                target = by_source.get(key, key)
            detail.setdefault(target, []).extend(messages)
        return detail
