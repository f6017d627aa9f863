"""The ticket search's index: pg_trgm GIN on PostgreSQL, an FTS5 trigram table on SQLite
(see biys/core/search_index.py; each operation does nothing on the other database)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from biys.core.search_index import migration_operations


class Migration(migrations.Migration):
    dependencies = [
        ("servicedesk", "0002_permissions_knowledge_link"),
    ]

    operations = [TrigramExtension(), *migration_operations("servicedesk_ticket")]
