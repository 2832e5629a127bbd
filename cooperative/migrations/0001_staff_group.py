"""Create the "Koperasi staff" group with the permissions to curate and confirm payments."""

from django.db import migrations


def create_staff_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    from cooperative.staff import sync_staff_group

    # Permissions are normally created after all migrations ran; make them exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_staff_group(apps=apps)


def remove_staff_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Koperasi staff").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("artisans", "0002_shop_events"),
        ("catalog", "0003_moderation_and_collections"),
        ("orders", "0002_order_language"),
    ]

    operations = [migrations.RunPython(create_staff_group, remove_staff_group)]
