"""Queries compiled once per shape, with slots filled at each run."""

import pytest
from django.contrib.auth import get_user_model

from core.queries import compiled_rows, slot
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def emails_named(name: str, *, shape="users-by-email") -> list[str]:
    User = get_user_model()
    return [
        row[0]
        for row in compiled_rows(
            lambda: User.objects.filter(email=slot("email")).values_list("email"),
            shape=shape,
            fill={"email": name},
        )
    ]


def test_one_compiled_query_answers_each_value_filled_in():
    make_user(email="ani@example.com")
    make_user(email="budi@example.com")
    assert emails_named("ani@example.com") == ["ani@example.com"]
    assert emails_named("budi@example.com") == ["budi@example.com"]
    assert emails_named("nobody@example.com") == []


def test_a_slot_left_unfilled_is_refused_not_sent_as_text():
    User = get_user_model()
    with pytest.raises(ValueError, match="email"):
        compiled_rows(
            lambda: User.objects.filter(email=slot("email")).values_list("pk"),
            shape="users-unfilled",
        )
