"""The rows of a person's custody page and of a custody history, written in Python: the
markup the templates' loops gave cell by cell (``{% url %}``, ``|date``, each object's text,
a link per record), with what is the same for every row (the URLs' shapes, the date format,
the labels) looked up once per table. ``biys/inventory/tests/test_custody_rows.py`` keeps them
equal to those loops."""

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from biys.core.dates import datetime_formatter
from biys.core.html import escape
from biys.core.urlcache import pk_urls

register = template.Library()

_DASH = "—"


def _text(value) -> str:
    """``{{ value }}``: its text, escaped unless it is HTML already."""
    html = getattr(value, "__html__", None)
    return html() if html is not None else escape(str(value))


def _texts_once():
    """``shown(name, key, record)``: the escaped text of ``record.<name>`` worked out once per
    ``(name, key)`` for one table (a model, a unit, a person shown on many rows)."""
    texts: dict = {}

    def shown(name, key, record):
        text = texts.get((name, key))
        if text is None:
            text = texts[name, key] = _text(getattr(record, name))
        return text

    return shown


@register.simple_tag
def holding_rows(assets) -> SafeString:
    """``inventory/person_custody.html``'s rows of what the person holds."""
    asset_url = pk_urls("inventory:asset")
    shown = _texts_once()

    html = []
    for asset in assets:
        html.append(
            f'<tr><td><a href="{escape(asset_url(asset.pk))}">{_text(asset.inventory_number)}'
            f"</a></td><td>{shown('item_model', asset.item_model_id, asset)}</td>"
            f"<td>{_text(asset.serial_number or _DASH)}</td>"
            f"<td>{_text(asset.get_status_display())}</td>"
            f"<td>{shown('unit', asset.unit_id, asset)}</td></tr>"
        )
    return SafeString("".join(html))


@register.simple_tag
def custody_history_rows(custodies) -> SafeString:
    """``inventory/partials/custody_history.html``'s rows, one per custody record."""
    custody_url = pk_urls("inventory:custody")
    asset_url = pk_urls("inventory:asset")
    form_url = pk_urls("inventory:zimmet_fisi")
    person_url = pk_urls("inventory:person_custody")
    when = datetime_formatter("SHORT_DATETIME_FORMAT")
    title = escape(gettext("Custody form (PDF)"))
    shown = _texts_once()

    def moment(value):
        return _DASH if value is None else escape(when(value))

    html = []
    for custody in custodies:
        asset = custody.asset
        html.append(
            "\n    <tr>\n"
            f'      <td><a href="{escape(custody_url(custody.pk))}">{_text(custody.number)}</a>'
            f' <a href="{escape(form_url(custody.pk))}" title="{title}"><i class="ti'
            ' ti-file-type-pdf" aria-hidden="true"></i><span class="visually-hidden">PDF'
            "</span></a></td>\n"
            f'      <td><a href="{escape(asset_url(asset.pk))}">{_text(asset.inventory_number)}'
            f'</a> <span class="text-secondary">{shown("item_model", asset.item_model_id, asset)}'
            "</span></td>\n"
            f'      <td><a href="{escape(person_url(custody.person_id))}">'
            f"{shown('person', custody.person_id, custody)}</a></td>\n"
            f"      <td>{'' if custody.started_at is None else escape(when(custody.started_at))}"
            "</td>\n"
            f"      <td>{moment(custody.acknowledged_at)}</td>\n"
            f"      <td>{moment(custody.ended_at)}</td>\n"
            f"      <td>{_text(custody.get_end_reason_display() or _DASH)}</td>\n"
            "    </tr>\n  "
        )
    return SafeString("".join(html))
