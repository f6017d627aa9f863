"""The shipped pick-lists of the processing inventory (``biys.kvkk.listdata``: VERBİS's lists,
KVKK md. 5 and 6, the Board's technical and administrative measures). Data an administrator
edits afterwards; entries already there (by list, code and name) are left as they are."""

from django.db import migrations


def add_lists(apps, schema_editor):
    from biys.kvkk.listdata import load_shipped

    load_shipped(apps.get_model("kvkk", "ListItem"))


class Migration(migrations.Migration):
    dependencies = [("kvkk", "0001_initial")]

    operations = [migrations.RunPython(add_lists, migrations.RunPython.noop)]
