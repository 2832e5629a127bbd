import pytest
from kombu import pools

from marketplace.celery import app as celery_app

pytestmark = pytest.mark.django_db


def _reset_connection_pool() -> None:
    """Close the app's broker connections and drop the closed pool, so the next use builds one."""
    celery_app.pool.force_close_all()
    # kombu keeps pools in a registry by connection; a closed one would be handed back again.
    pools.reset()
    celery_app._pool = None


def test_healthz_is_ok_when_database_and_broker_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "broker": "ok"}


def test_healthz_names_the_broker_when_redis_is_unreachable(client, settings):
    # given a broker address where nothing listens
    original = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    _reset_connection_pool()
    try:
        response = client.get("/healthz")
    finally:
        celery_app.conf.broker_url = original
        _reset_connection_pool()
    # then the page says the broker failed, and only the broker
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["broker"]
    assert body["checks"]["database"] == "ok"
