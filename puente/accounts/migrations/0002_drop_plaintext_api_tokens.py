"""Drop Django REST framework's plaintext API tokens: knox's hashed, expiring tokens replace them.

The old tokens are not carried over (they were stored readable, and knox stores only a hash of a
key it generates), so everyone who used one creates a new token. Reversing recreates nothing.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [
        migrations.RunSQL(
            sql="DROP TABLE IF EXISTS authtoken_token",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
