"""Timeline notes keep what happened (a phrase), shown in the reader's language.

Notes written before in either language by the system (without values) get their phrase; the
others (typed reasons, notes with values) keep showing as written.
"""

from django.db import migrations, models
from django.utils import translation

# The system's notes without values, as they were written until now.
SYSTEM_NOTES = [
    "Order placed.",
    "Work started.",
    "Ready to ship.",
    "Not paid in time.",
    "The rest was not paid in time; cancelled by the cooperative.",
]


def add_phrases(apps, schema_editor):
    SubOrderEvent = apps.get_model("orders", "SubOrderEvent")
    for msgid in SYSTEM_NOTES:
        for language in ("id", "en"):
            with translation.override(language):
                written = translation.gettext(msgid)
            SubOrderEvent.objects.filter(note=written, note_phrase__isnull=True).update(
                note_phrase={"msgid": msgid, "params": {}}
            )


class Migration(migrations.Migration):
    dependencies = [("orders", "0012_merge_20261202_0016")]

    operations = [
        migrations.AddField(
            model_name="suborderevent",
            name="note_phrase",
            field=models.JSONField(blank=True, null=True, verbose_name="note phrase"),
        ),
        migrations.RunPython(add_phrases, migrations.RunPython.noop),
    ]
