"""``{% load i18n %}`` loads ``biys.core.templatetags.kept_i18n``: its ``{% translate %}`` answers
as Django's, in each language and escaping."""

import pytest
from django.template import Context, Engine, Template
from django.utils import translation

DJANGO_ENGINE = Engine(libraries={"i18n": "django.templatetags.i18n"})  # Django's own library
CASES = [
    '{% translate "Search" %}',
    '{% translate "Filter the list" %}',
    "{% translate 'Apply' %}",
    '{% translate "Reset" noop %}',
    '{% translate "May" context "month name" %}',
    '{% translate "Search" as label %}[{{ label }}]',
    '{% translate "Search" as label context "verb" %}<{{ label }}>',
    '{% translate "100%% <b>sure</b> & ready" %}',
    '{% translate "Search"|upper %}',
    "{% translate word %}",
    '{% translate "Pages" %}{% translate "Pages" %}',
]


@pytest.mark.parametrize("language", ["tr", "en"])
@pytest.mark.parametrize("autoescape", [True, False])
def test_translate_answers_as_djangos(language, autoescape):
    for case in CASES:
        ours = Template("{% load i18n %}" + case)
        theirs = DJANGO_ENGINE.from_string("{% load i18n %}" + case)
        assert type(theirs.nodelist[1]).__module__ == "django.templatetags.i18n"
        if "translate" in case.split("%}")[0]:
            assert type(ours.nodelist[1]).__module__ == "biys.core.templatetags.kept_i18n"
        with translation.override(language):
            expected = theirs.render(Context({"word": "Filter"}, autoescape=autoescape))
            for _ in range(2):  # the second time from what was kept
                got = ours.render(Context({"word": "Filter"}, autoescape=autoescape))
                assert got == expected, (case, language)


def test_a_kept_translation_follows_the_language():
    template = Template('{% load i18n %}{% translate "Search" %}')
    with translation.override("tr"):
        turkish = template.render(Context())
    with translation.override("en"):
        english = template.render(Context())
    assert (turkish, english) == ("Ara", "Search")


def test_the_rest_of_djangos_i18n_library_is_there():
    template = Template(
        "{% load i18n %}{% get_current_language as code %}{{ code }}"
        "{% blocktranslate count n=2 %}one{% plural %}{{ n }} many{% endblocktranslate %}"
        '{{ "en"|language_name }}'
    )
    with translation.override("en"):
        assert template.render(Context()) == "en2 manyEnglish"


def test_no_other_template_library_name_is_taken_twice():
    """Django's check ``templates.W003``, silenced for ``i18n`` alone (the settings)."""
    from collections import defaultdict

    from django.template import engines
    from django.template.backends.django import get_template_tag_modules

    libraries = defaultdict(set)
    for name, path in get_template_tag_modules():
        libraries[name].add(path)
    for name, path in engines["django"].engine.libraries.items():
        libraries[name].add(path)
    twice = {name: paths for name, paths in libraries.items() if len(paths) > 1}
    assert twice == {"i18n": {"biys.core.templatetags.kept_i18n", "django.templatetags.i18n"}}
