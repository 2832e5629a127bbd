import pytest

from marketplace.celery import app as celery_app

pytestmark = pytest.mark.django_db


def test_healthz_is_ok_when_database_and_broker_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "broker": "ok"}


def test_healthz_names_the_broker_when_redis_is_unreachable(client, settings):
    # given a broker address where nothing listens
    original = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        celery_app.conf.broker_url = original
        # then the page says the broker failed, and only the broker
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["broker"]
    assert body["checks"]["database"] == "ok"


def test_healthz_tells_anonymous_callers_what_failed_but_never_the_error_text(client, admin_client):
    original = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        anonymous = client.get("/healthz")
        staff = admin_client.get("/healthz")
    finally:
        celery_app.conf.broker_url = original
    assert anonymous.json()["checks"] == {"database": "ok", "broker": "error"}
    assert "127.0.0.1" not in anonymous.content.decode()
    assert "Error" in staff.json()["checks"]["broker"]  # staff see the detail
