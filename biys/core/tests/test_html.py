"""core.html.format_html writes the markup of Django's format_html; ChoiceBadges keeps a badge
per value and language."""

from django.db import models
from django.utils import html as django_html
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from biys.core import html
from biys.core.html import ChoiceBadges


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


class Level(models.TextChoices):
    OPEN = "open", gettext_lazy("Open")
    CLOSED = "closed", gettext_lazy("Closed")
    ODD = "<odd>", "<b>odd</b>"


def test_badges_in_the_language_of_the_page_escaped_and_kept():
    badges = ChoiceBadges(Level, {"open": "red"}, data_attribute="state")
    with translation.override("tr"):
        turkish = badges("open")
        assert turkish == '<span class="badge bg-red-lt" data-state="open">Açık</span>'
        assert badges("open") is turkish  # built once
    with translation.override("en"):
        assert badges("open") == '<span class="badge bg-red-lt" data-state="open">Open</span>'
        assert badges("closed") == (
            '<span class="badge bg-secondary-lt" data-state="closed">Closed</span>'
        )
        assert badges("<odd>") == (
            '<span class="badge bg-secondary-lt" data-state="&lt;odd&gt;">'
            "&lt;b&gt;odd&lt;/b&gt;</span>"
        )
        assert badges("unknown") == (
            '<span class="badge bg-secondary-lt" data-state="unknown">unknown</span>'
        )
    plain = ChoiceBadges(Level, {}, default="blue")
    with translation.override("en"):
        assert plain("closed") == '<span class="badge bg-blue-lt">Closed</span>'


def test_escape_answers_as_the_standard_librarys():
    from html import escape as stdlib_escape

    from biys.core.html import escape

    texts = ["", "Yazıcı çalışmıyor", "İĞÜŞÖÇ ığüşöç", "a & b", "<b>", 'say "hi"', "it's", "&amp;"]
    texts += [f"x{char}y" for char in "&<>\"'"]
    for text in texts:
        assert escape(text) == stdlib_escape(text), text
