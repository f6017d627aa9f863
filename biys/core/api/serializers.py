from rest_framework import serializers


class BiysModelSerializer(serializers.ModelSerializer):
    """Adds ``display`` (the object's text) to every model serializer.

    Model ``full_clean`` validation (validators on model fields, ``clean()``) runs in
    ``validate`` so bad input is a 400 naming the field, never an IntegrityError 500.
    """

    display = serializers.SerializerMethodField()

    def get_display(self, obj) -> str:
        return str(obj)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        instance = self.instance or model()
        for name, value in attrs.items():
            field = (
                model._meta.get_field(name)
                if name in {f.name for f in model._meta.get_fields()}
                else None
            )
            if field is not None and not field.many_to_many:
                setattr(instance, name, value)
        exclude = [f.name for f in model._meta.fields if f.name not in attrs and not f.primary_key]
        instance.full_clean(exclude=exclude, validate_unique=True)
        return attrs
