"""An unbound reply form is rendered once per class, prefix and language
(``biys.servicedesk.forms.KeptWhenUnbound``)."""

from django.utils import translation

from biys.servicedesk.forms import ReplyForm, RequesterReplyForm, _kept_forms


def fresh(form_class, **kwargs) -> str:
    _kept_forms.clear()
    return str(form_class(**kwargs))


def test_kept_html_is_the_forms_own_per_class_prefix_and_language():
    for form_class in (ReplyForm, RequesterReplyForm):
        for language in ("tr", "en"):
            with translation.override(language):
                for prefix in (None, "reply", "comment"):
                    expected = fresh(form_class, prefix=prefix)
                    assert len(_kept_forms) == 1
                    _kept_forms[next(iter(_kept_forms))] = "kept"
                    assert str(form_class(prefix=prefix)) == "kept"  # rendered from what was kept
                    expected = fresh(form_class, prefix=prefix)
                    assert str(form_class(prefix=prefix)) == expected
                    assert str(form_class(prefix=prefix)) == expected  # from what was kept
    with translation.override("tr"):
        turkish = str(ReplyForm(prefix="reply"))
    with translation.override("en"):
        english = str(ReplyForm(prefix="reply"))
    assert "Mesaj" in turkish and "Message" in english
    assert 'name="reply-internal"' in turkish and "internal" not in str(RequesterReplyForm())


def test_a_bound_form_is_rendered_afresh_with_its_values_and_errors():
    str(ReplyForm(prefix="reply"))
    _kept_forms[next(iter(_kept_forms))] = "kept"
    bound = str(ReplyForm({"reply-text": "Yazıcı <b>yine</b> bozuldu"}, prefix="reply"))
    assert "Yazıcı &lt;b&gt;yine&lt;/b&gt; bozuldu" in bound
    empty = ReplyForm({"reply-text": ""}, prefix="reply")
    assert empty.errors and "is-invalid" in str(empty)
    assert str(ReplyForm(prefix="reply")) != bound
