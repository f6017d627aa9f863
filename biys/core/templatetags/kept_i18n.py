"""Django's ``i18n`` library with ``{% translate %}`` keeping what it renders for a literal
message, per language and escaping. The template engine loads this module for
``{% load i18n %}`` (``TEMPLATES[...]["OPTIONS"]["libraries"]`` in the settings), so every
template takes it without naming it."""

from django import template
from django.core.signals import setting_changed
from django.templatetags import i18n as i18n_tags
from django.utils.translation import get_language

register = template.Library()
register.tags.update(i18n_tags.register.tags)
register.filters.update(i18n_tags.register.filters)

_translations: dict[tuple, str] = {}


class KeptTranslateNode(i18n_tags.TranslateNode):
    """Django's ``{% translate %}`` with a literal message kept per language and escaping:
    each render looked the message up through the active translation and escaped it again
    (about 80 Python calls), and a list page shows a few dozen such labels."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        expression, context = self.filter_expression, self.message_context
        literal = getattr(expression.var, "literal", None)
        constant_context = context is None or (isinstance(context.var, str) and not context.filters)
        self.kept_key = (
            (literal, context.var if context else None, self.noop)
            if isinstance(literal, str) and not expression.filters and constant_context
            else None
        )

    def render(self, context):
        if self.kept_key is None:
            return super().render(context)
        key = (*self.kept_key, get_language(), context.autoescape)
        value = _translations.get(key)
        if value is None:
            asvar, self.asvar = self.asvar, None
            try:
                value = super().render(context)
            finally:
                self.asvar = asvar
            if len(_translations) >= 8192:
                _translations.clear()
            _translations[key] = value
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value


def _forget_translations(**kwargs) -> None:
    _translations.clear()


# A test that changes the languages or their files starts afresh.
setting_changed.connect(_forget_translations, dispatch_uid="biys.core.templatetags.translations")


def kept_translate(parser, token):
    """``{% translate %}``, same syntax and answers."""
    node = i18n_tags.do_translate(parser, token)
    return KeptTranslateNode(
        node.filter_expression, node.noop, asvar=node.asvar, message_context=node.message_context
    )


register.tag("translate", kept_translate)
register.tag("trans", kept_translate)
