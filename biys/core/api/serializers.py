import copy
import inspect
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils import timezone
from rest_framework import serializers
from rest_framework.fields import SkipField, empty, is_simple_callable
from rest_framework.relations import PKOnlyObject
from rest_framework.settings import api_settings

from biys.core.precompiled import PrecompiledLookup
from biys.core.validators import validate_storable_json


class StorableJSONField(serializers.JSONField):
    """DRF's JSONField refusing values no database can store: NUL characters, lone surrogates,
    absurd nesting (``biys.core.validators``). Every JSON model field maps to it."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(validate_storable_json)


_BIGINT = 2**63  # a key beyond a 64-bit column is left to Django (no row, never an error)


class PrecompiledPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """``PrimaryKeyRelatedField`` whose lookup of an integer key runs SQL compiled once per
    process (``biys.core.precompiled``): for a queryset that depends on nothing but the key
    (no user, no request), such as a filing's requester with the units and login it needs.
    ``lookup_key`` names the queryset (a field is copied per serializer, so its queryset's
    identity cannot). Answers and errors are DRF's own."""

    _lookups = PrecompiledLookup()

    def __init__(self, *, lookup_key: str, **kwargs):
        self.lookup_key = lookup_key
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if self.pk_field is None and type(data) is int and -_BIGINT < data < _BIGINT:
            queryset = self.get_queryset()
            found = self._lookups.get(self.lookup_key, lambda: queryset, data)
            if found is None:
                self.fail("does_not_exist", pk_value=data)
            return found
        return super().to_internal_value(data)


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


# Reading many rows ------------------------------------------------------------------------------


class _Unplanned(Exception):
    """A value the plan does not read the way DRF would: the row is read by DRF instead."""


def _same(value, zone):
    return value


def _as_int(value, zone):
    return int(value)


def _as_str(value, zone):
    return str(value)


# Field classes whose reading the plan does itself, exactly as their ``to_representation``
# (matched by exact class: a subclass may read differently).
_PLAIN_READERS = {
    serializers.IntegerField: _as_int,
    serializers.CharField: _as_str,
    serializers.EmailField: _as_str,
    serializers.SlugField: _as_str,
    serializers.URLField: _as_str,
    serializers.JSONField: _same,  # not ``binary``: returned as stored
    StorableJSONField: _same,
}


def _datetime_reader(field):
    """DRF's ISO 8601 output: in the current time zone, ``Z`` for UTC."""

    def read(value, zone):
        if value.tzinfo is None:
            raise _Unplanned
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return read


def _date(value, zone):
    if type(value) is not date:
        raise _Unplanned
    return value.isoformat()


def _bool_reader(field):
    def read(value, zone):
        if value is True or value is False:
            return value
        raise _Unplanned

    return read


def _choice_reader(field):
    by_string = dict(field.choice_strings_to_values)

    def read(value, zone):
        return value if value == "" else by_string.get(str(value), value)

    return read


def _read_step(field) -> tuple | None:
    """How the plan reads one field: ``(kind, ...)``, or None when only the field can."""
    kind = type(field)
    if kind is serializers.SerializerMethodField:
        return ("method", field.method_name)
    if not field.source_attrs:
        return None
    if len(field.source_attrs) > 1:
        if "__str__" in field.source_attrs or isinstance(field, serializers.Serializer):
            return None
        step = _read_step_of(field, kind, field.source_attrs[-1])
        if step is None or step[0] != "value":
            return None
        # A missing link (``unit.name`` without a unit) is None when the field allows it; else
        # DRF decides (a default, or no key at all).
        null_ok = field.allow_null and field.default is empty
        return ("path", tuple(field.source_attrs), step[2], null_ok)
    return _read_step_of(field, kind, field.source_attrs[0])


def _read_step_of(field, kind, attr) -> tuple | None:
    if kind is serializers.CharField and attr == "__str__":
        return ("str",)
    if kind is serializers.BigIntegerField and not getattr(
        field, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING
    ):
        return ("value", attr, _as_int)
    if kind in _PLAIN_READERS:
        return ("value", attr, _PLAIN_READERS[kind])
    if kind is serializers.DateTimeField:
        iso = api_settings.DATETIME_FORMAT
        if getattr(field, "format", iso) != iso or str(iso).lower() != "iso-8601":
            return None
        if hasattr(field, "timezone"):
            return None
        return ("value", attr, _datetime_reader(field))
    if kind is serializers.DateField:
        iso = api_settings.DATE_FORMAT
        if getattr(field, "format", iso) != iso or str(iso).lower() != "iso-8601":
            return None
        return ("value", attr, _date)
    if kind is serializers.BooleanField:
        return ("value", attr, _bool_reader(field))
    if kind is serializers.ChoiceField:
        return ("value", attr, _choice_reader(field))
    if kind is serializers.PrimaryKeyRelatedField and field.pk_field is None:
        return ("pk", attr)
    if isinstance(field, serializers.Serializer):
        nested = _plan_of(field)
        if any(step[0] in ("method", "field") for _, step in nested):
            return None
        return ("nested", attr, nested)
    return None


def _plan_of(serializer) -> list:
    return [
        (name, _read_step(field) or ("field",))
        for name, field in serializer.fields.items()
        if not field.write_only
    ]


_SIMPLE_CALLABLES: dict = {}


def _called(value):
    """A method as source (``masked_tc_kimlik_no``) is called, as DRF's ``get_attribute`` does
    when it takes no argument; whether it does is remembered per function."""
    if inspect.isbuiltin(value):
        raise _Unplanned
    if not (inspect.ismethod(value) or inspect.isfunction(value)):
        return value() if is_simple_callable(value) else value
    function = getattr(value, "__func__", value)
    simple = _SIMPLE_CALLABLES.get(function)
    if simple is None:
        simple = _SIMPLE_CALLABLES[function] = is_simple_callable(value)
    return value() if simple else value


def _follow(instance, attrs, null_ok):
    for attr in attrs:
        if instance is None:
            if null_ok:
                return None
            raise _Unplanned
        try:
            instance = getattr(instance, attr)
        except ObjectDoesNotExist:
            return None
        if callable(instance):
            instance = _called(instance)
    return instance


def _run_plan(plan, serializer, instance, zone) -> dict:
    row = {}
    for name, step in plan:
        kind = step[0]
        if kind == "value":
            value = getattr(instance, step[1])
            if value is not None and callable(value):
                value = _called(value)
            row[name] = None if value is None else step[2](value, zone)
        elif kind == "path":
            value = _follow(instance, step[1], step[3])
            row[name] = None if value is None else step[2](value, zone)
        elif kind == "pk":
            value = instance.serializable_value(step[1])
            if callable(value):
                raise _Unplanned
            row[name] = getattr(value, "pk", value)
        elif kind == "str":
            row[name] = str(instance)
        elif kind == "method":
            row[name] = getattr(serializer, step[1])(instance)
        elif kind == "nested":
            try:
                related = getattr(instance, step[1])
            except ObjectDoesNotExist:
                related = None
            row[name] = None if related is None else _run_plan(step[2], None, related, zone)
        else:  # the field's own reading, as DRF's Serializer.to_representation does it
            field = serializer.fields[name]
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            check = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            row[name] = None if check is None else field.to_representation(attribute)
    return row


def _compile_plan(plan):
    """The plan as one Python function ``read(serializer, instance, zone) -> dict``: the steps
    ``_run_plan`` interprets, written out once per serializer class (no dispatch on the step's
    kind, no tuple unpacking, per field and row). Reads exactly what ``_run_plan`` reads, raising
    the same exceptions; ``_run_plan`` stays the reference (the tests compare the two)."""
    env = {
        "_called": _called,
        "_follow": _follow,
        "_Unplanned": _Unplanned,
        "ObjectDoesNotExist": ObjectDoesNotExist,
        "SkipField": SkipField,
        "PKOnlyObject": PKOnlyObject,
    }
    functions: list[str] = []

    def constant(value) -> str:
        name = f"_k{len(env)}"
        env[name] = value
        return name

    def write(plan, with_serializer: bool) -> str:
        name = f"_read{len(functions)}"
        functions.append("")  # its place, so nested functions are numbered after it
        position = len(functions) - 1
        lines = [f"def {name}(serializer, instance, zone):", "    row = {}"]
        for key, step in plan:
            kind, slot = step[0], f"row[{key!r}]"
            if kind == "value":
                lines += [
                    f"    value = getattr(instance, {step[1]!r})",
                    "    if value is not None and callable(value):",
                    "        value = _called(value)",
                    f"    {slot} = None if value is None else {constant(step[2])}(value, zone)",
                ]
            elif kind == "path":
                lines += [
                    f"    value = _follow(instance, {step[1]!r}, {step[3]!r})",
                    f"    {slot} = None if value is None else {constant(step[2])}(value, zone)",
                ]
            elif kind == "pk":
                lines += [
                    f"    value = instance.serializable_value({step[1]!r})",
                    "    if callable(value):",
                    "        raise _Unplanned",
                    f"    {slot} = getattr(value, 'pk', value)",
                ]
            elif kind == "str":
                lines.append(f"    {slot} = str(instance)")
            elif kind == "method" and with_serializer:
                lines.append(f"    {slot} = getattr(serializer, {step[1]!r})(instance)")
            elif kind == "nested":
                nested = write(step[2], False)
                lines += [
                    "    try:",
                    f"        related = getattr(instance, {step[1]!r})",
                    "    except ObjectDoesNotExist:",
                    "        related = None",
                    f"    {slot} = None if related is None else {nested}(None, related, zone)",
                ]
            elif kind == "field" and with_serializer:
                lines += [
                    f"    field = serializer.fields[{key!r}]",
                    "    try:",
                    "        attribute = field.get_attribute(instance)",
                    "    except SkipField:",
                    "        pass",
                    "    else:",
                    "        check = attribute.pk if isinstance(attribute, PKOnlyObject)"
                    " else attribute",
                    f"        {slot} = None if check is None else field.to_representation(attribute)",
                ]
            else:  # a method or field in a nested plan: _plan_of never makes one
                raise ValueError(f"cannot compile {kind!r} here")
        lines.append("    return row")
        functions[position] = "\n".join(lines)
        return name

    entry = write(plan, True)
    exec(compile("\n\n".join(functions), "<read plan>", "exec"), env)
    return env[entry]


class PlannedReadMixin:
    """Reads an object (``to_representation``) from a plan compiled once per serializer class
    from its fields, instead of asking DRF's field objects for every field of every row: the
    output is DRF's, field for field (``biys/core/tests/test_api_planned_read.py`` compares
    the two), at a fraction of the cost on a list page. A field the plan does not know is read
    by the field itself; a value it does not expect (a callable, a naive datetime, an attribute
    that raises) sends the whole row through DRF's own reading.

    Only for serializers whose fields are the same for every instance (none added, removed or
    changed in ``__init__`` or ``get_fields`` from the context)."""

    @classmethod
    def read_plan(cls) -> list:
        plan = cls.__dict__.get("_read_plan")
        if plan is None:
            plan = _plan_of(cls())
            cls._read_plan = plan
        return plan

    @classmethod
    def read_function(cls):
        function = cls.__dict__.get("_read_function")
        if function is None:
            function = _compile_plan(cls.read_plan())
            cls._read_function = function
        return function

    @classmethod
    def many_init(cls, *args, **kwargs):
        many = super().many_init(*args, **kwargs)
        if type(many) is serializers.ListSerializer:
            many.__class__ = PlannedListSerializer
        return many

    def to_representation(self, instance):
        return self.read(self.read_function(), instance, timezone.get_current_timezone())

    def read(self, function, instance, zone):
        try:
            return function(self, instance, zone)
        except (_Unplanned, AttributeError, KeyError):
            return super().to_representation(instance)


class PlannedListSerializer(serializers.ListSerializer):
    """DRF's list of a planned serializer, reading the plan and the time zone once per list
    rather than once per row (``ListSerializer.to_representation`` otherwise)."""

    def to_representation(self, data):
        iterable = data.all() if isinstance(data, models.manager.BaseManager) else data
        child = self.child
        if type(child).to_representation is not PlannedReadMixin.to_representation:
            return [child.to_representation(item) for item in iterable]  # its own reading
        function, zone = child.read_function(), timezone.get_current_timezone()
        return [child.read(function, item, zone) for item in iterable]
