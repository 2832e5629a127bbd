import io

import pytest
from django.core.management import call_command

from ledger.services import balance_of
from orders.models import Order, SubOrder

pytestmark = pytest.mark.django_db


def test_demo_orders_fill_the_dashboards_once(django_capture_on_commit_callbacks):
    call_command("seed_demo", stdout=io.StringIO())
    # What runs after commit (the ledger's sale, routing messages) runs here as in `make run`.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo_orders", stdout=io.StringIO())
    call_command("seed_demo_orders", stdout=io.StringIO())

    assert Order.objects.count() == 3
    statuses = sorted(SubOrder.objects.values_list("status", flat=True))
    assert statuses == ["completed", "new", "new", "shipped"]
    completed = SubOrder.objects.get(status="completed")
    assert balance_of(completed.shop) > 0
