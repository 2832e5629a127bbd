"""Fixtures for the cooperative's curation: an admin, a staff member of the cooperative."""

import pytest
from django.utils import translation

from tests.factories import make_user


@pytest.fixture(autouse=True)
def _default_language():
    """A request under /en/ leaves English active in the thread; start each test in Indonesian."""
    translation.activate("id")
    yield
    translation.deactivate()


@pytest.fixture
def superuser():
    return make_user(is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def post_action(client, changelist: str, action: str, objects, **extra):
    """Run a changelist action the way the admin's own form posts it."""
    data = {"action": action, "_selected_action": [obj.pk for obj in objects], **extra}
    return client.post(changelist, data, follow=True)
