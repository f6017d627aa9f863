import json
import subprocess
import sys

import pytest
from django.core.management import call_command

from biys.org.models import Duty, Paragraph, Regulation


@pytest.mark.django_db
def test_org_tree_json_lists_units_with_parent_and_duty_count(org_tree, capsys):
    regulation = Regulation.objects.create(title="Yönetmelik")
    article = regulation.articles.create(number=10, heading="Görevler")
    paragraph = Paragraph.objects.create(article=article, number=1, order=1)
    Duty.objects.create(
        paragraph=paragraph, label="a", text="Ağ altyapısını kurmak.", unit=org_tree["network"]
    )
    Duty.objects.create(
        paragraph=paragraph, label="b", text="Ağı izlemek.", unit=org_tree["network"]
    )

    call_command("org", "tree", "--json")
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)}

    assert rows["Sistem ve Ağ Şube Müdürlüğü"] == {
        "name": "Sistem ve Ağ Şube Müdürlüğü",
        "kind": "sube_mudurlugu",
        "parent": "Bilgi İşlem Dairesi Başkanlığı",
        "duties": 2,
        "it_department": True,
    }
    assert rows["Bilgi İşlem Dairesi Başkanlığı"]["parent"] is None
    assert rows["Teknik Destek Şefliği"]["parent"] == "Sistem ve Ağ Şube Müdürlüğü"
    assert len(rows) == 5


def test_biys_console_command_prints_usage():
    result = subprocess.run(
        [sys.executable, "-m", "biys.cli", "--help"], capture_output=True, text=True, check=True
    )
    for word in (
        "serve",
        "worker",
        "beat",
        "demo",
        "preset",
        "org tree",
        "regulation import",
        "audit verify",
    ):
        assert word in result.stdout
