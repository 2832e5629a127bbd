"""Fixtures for the cooperative's curation: an admin, a staff member of the cooperative."""

import pytest
from django import forms
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


def change_form_data(response, **changes) -> dict:
    """What the admin's change form would post back as shown, with `changes` applied.

    Reads the page's form and inline formsets (management forms included); file inputs are left
    out, as a browser leaves them when no new file is chosen.
    """
    shown = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        shown.append(inline.formset.management_form)
        shown.extend(inline.formset.forms)
    data: dict = {}
    for form in shown:
        for bound in form:
            value = bound.value()
            if value is None or isinstance(bound.field, forms.FileField):
                continue
            if isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(item) for item in value]
            else:
                data[bound.html_name] = str(value)
    data.update(changes)
    return data
