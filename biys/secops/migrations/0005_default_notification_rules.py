"""The default notification clocks (data the SOME lead edits; each names its source):

- the KVKK Board (Kişisel Verileri Koruma Kurulu), for a breach of personal data: 72 hours from
  detection, the Board's decision 2019/10 of 24.01.2019 on the notification of breaches;
- USOM / the Siber Güvenlik Başkanlığı, for every incident: the SOME rules (Siber Olaylara
  Müdahale Ekiplerinin Kuruluş, Görev ve Çalışmalarına Dair Usul ve Esaslar, 2013) and Law 7545
  ask for the report without delay; 24 hours is this default's reading of it, not a figure of
  the law: set your own.
"""

from django.db import migrations

DEFAULTS = [
    {
        "authority": "KVKK Kurulu",
        "name": "Kişisel veri ihlali bildirimi",
        "hours": 72,
        "applies_when": "personal_data",
        "source": (
            "Kişisel Verileri Koruma Kurulunun 24.01.2019 tarihli ve 2019/10 sayılı kararı:"
            " veri sorumlusu ihlali öğrendiği andan itibaren gecikmeksizin ve en geç 72 saat"
            " içinde Kurula bildirir (6698 sayılı KVKK md. 12/5)."
        ),
    },
    {
        "authority": "USOM / Siber Güvenlik Başkanlığı",
        "name": "Siber olay bildirimi",
        "hours": 24,
        "applies_when": "always",
        "source": (
            "Siber Olaylara Müdahale Ekiplerinin Kuruluş, Görev ve Çalışmalarına Dair Usul ve"
            " Esaslar (2013) ve 7545 sayılı Siber Güvenlik Kanunu olayın gecikmeksizin"
            " bildirilmesini ister; 24 saat bu varsayılanın yorumudur, kendi sürenizi girin."
        ),
    },
]


def add_defaults(apps, schema_editor):
    NotificationRule = apps.get_model("secops", "NotificationRule")
    for rule in DEFAULTS:
        NotificationRule.objects.get_or_create(
            authority=rule["authority"], name=rule["name"], defaults=rule
        )


class Migration(migrations.Migration):
    dependencies = [("secops", "0004_incidents")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
