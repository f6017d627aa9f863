from django.forms.renderers import TemplatesSetting


class BootstrapFormRenderer(TemplatesSetting):
    """Renders every form with Tabler/Bootstrap markup: label, input, translated error, help."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
