"""A newcomer's demo: more than one way to pay, and emails that link to the running site."""

import io
import re
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from artisans.models import Shop
from catalog.models import ProductOption
from orders.models import PaymentMethod

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_some_demo_shops_take_cash_on_delivery_and_show_it_at_checkout(client):
    call_command("seed_demo", stdout=io.StringIO())
    cod_shops = Shop.objects.filter(shipping_profile__offers_cod=True)
    assert 0 < cod_shops.count() < Shop.objects.count()
    assert Shop.objects.filter(shipping_profile__offers_pickup=True).exists()

    option = ProductOption.objects.filter(
        product__shop=cod_shops.first(), product__is_made_to_order=False, stock__gt=0
    ).first()
    client.post("/pesanan/keranjang/tambah/", {"option": option.pk, "quantity": 1})
    html = client.get("/pesanan/checkout/").content.decode()
    assert f'value="{PaymentMethod.COD}"' in html
    assert f'value="{PaymentMethod.BANK_TRANSFER}"' in html


def test_make_run_seeds_orders_with_the_address_it_serves_on():
    # The seeded orders' emails are written during `make run`'s seeding, before the server
    # starts: they must link to the port `make run` serves on, not to the default one.
    dry_run = subprocess.run(
        ["make", "-n", "run", "PORT=8765", "HOST=127.0.0.1"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    seed_lines = [line for line in dry_run.stdout.splitlines() if "seed_demo" in line]
    assert len(seed_lines) == 2
    for line in seed_lines:
        assert re.search(r"SITE_URL=http://127\.0\.0\.1:8765\b", line), line
