"""Existing API tokens (DRF's authtoken table, plain keys) become hashed tokens; the plain keys
are deleted. Holders keep using the same key."""

import hashlib

from django.db import migrations

PLAIN_TABLE = "authtoken_token"


def hash_plain_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if PLAIN_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("accounts", "ApiToken")
    table = connection.ops.quote_name(PLAIN_TABLE)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {connection.ops.quote_name('key')}, user_id FROM {table}")
        rows = cursor.fetchall()
        for key, user_id in rows:
            ApiToken.objects.update_or_create(
                user_id=user_id,
                defaults={
                    "prefix": key[:8],
                    "key_hash": hashlib.sha256(key.encode("utf-8")).hexdigest(),
                },
            )
        cursor.execute(f"DELETE FROM {table}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_api_token")]

    operations = [migrations.RunPython(hash_plain_tokens, migrations.RunPython.noop)]
