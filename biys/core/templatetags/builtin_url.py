"""``{% url %}`` with its reversal cached (``biys.core.templatetags.biys.CachedURLNode``) in every
template, loaded or not: a template builtin (``TEMPLATES`` ``builtins``), so a page's partials
that load only ``i18n`` do not walk the URL resolver for each link."""

from django import template

from biys.core.templatetags.biys import cached_url

register = template.Library()
register.tag("url", cached_url)
