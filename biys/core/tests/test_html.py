"""core.html.format_html writes the markup of Django's format_html."""

from django.utils import html as django_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from biys.core import html


class Named:
    def __str__(self):
        return "Ağ & <Sistem>"


ARGUMENTS = [
    "düz metin",
    "<script>alert('x')</script> & \"tırnak\"",
    mark_safe("<b>güvenli</b>"),
    gettext_lazy("Due"),
    42,
    None,
    Named(),
    "",
]


def test_the_same_markup_as_djangos_format_html():
    for argument in ARGUMENTS:
        template = '<span title="{}">{}</span>'
        assert html.format_html(template, argument, argument) == django_html.format_html(
            template, argument, argument
        ), argument
    assert html.format_html("{a}-{b}", a="<", b=mark_safe("<i>")) == django_html.format_html(
        "{a}-{b}", a="<", b=mark_safe("<i>")
    )


def test_its_output_is_safe_and_escaped_once():
    out = html.format_html("<p>{}</p>", "a < b")
    assert out == "<p>a &lt; b</p>"
    assert django_html.conditional_escape(out) == out
