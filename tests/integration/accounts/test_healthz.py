import json

from django.core.cache import cache

from rfs.notify.tasks import HEARTBEAT_KEY


def test_healthy_when_database_redis_and_a_worker_answer(client, celery_worker):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "status": "ok",
        "database": "ok",
        "redis": "ok",
        "worker": "ok",
    }
    # The answer is remembered, so the next check does not ping again.
    assert cache.get(HEARTBEAT_KEY) is not None


def test_unhealthy_without_a_worker(client, db):
    from rfs.celery import app

    app.control.purge()
    response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["database"] == "ok"
    assert body["redis"] == "ok"
    assert body["worker"] == "down"


def test_heartbeat_from_beat_counts_as_a_live_worker(client, db):
    from rfs.notify.tasks import heartbeat

    heartbeat()
    assert client.get("/healthz").status_code == 200


def test_unreachable_redis_reports_503_not_500(client, db, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    # Down, and nothing about why: an exception's name tells an attacker what runs here.
    assert json.loads(response.content)["redis"] == "down"
    assert b"Error" not in response.content
