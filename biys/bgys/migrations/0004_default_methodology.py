"""The default risk methodology (5 × 5, appetite 8) and short default catalogues of threats and
vulnerabilities, in Turkish (data, not UI text). All three are editable afterwards."""

from django.db import migrations

from biys.bgys.riskdata import (
    APPETITE,
    IMPACT,
    LIKELIHOOD,
    METHODOLOGY_DESCRIPTION,
    METHODOLOGY_NAME,
    THREATS,
    VULNERABILITIES,
)


def forwards(apps, schema_editor):
    Methodology = apps.get_model("bgys", "Methodology")
    Threat = apps.get_model("bgys", "Threat")
    Vulnerability = apps.get_model("bgys", "Vulnerability")
    Methodology.objects.get_or_create(
        name=METHODOLOGY_NAME,
        defaults={
            "likelihood_labels": LIKELIHOOD,
            "impact_labels": IMPACT,
            "appetite": APPETITE,
            "is_default": True,
            "description": METHODOLOGY_DESCRIPTION,
        },
    )
    for name, description in THREATS:
        Threat.objects.get_or_create(name=name, defaults={"description": description})
    for name, description in VULNERABILITIES:
        Vulnerability.objects.get_or_create(name=name, defaults={"description": description})


class Migration(migrations.Migration):
    dependencies = [("bgys", "0003_assets_risks")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
