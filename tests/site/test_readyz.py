"""/readyz: ready when the database and Redis answer and this node's worker beats."""

from datetime import timedelta

from sqlalchemy import update

from app.database import run_in_transaction
from app.models import WorkerHeartbeat, utcnow
from app.worker import heartbeat
from tests.mail.conftest import free_port

REDIS = "redis://127.0.0.1:6379/5"


def test_not_ready_until_this_nodes_worker_beats(app, client, db):
    app.config["NODE_NAME"] = "node-a"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json == {"database": "ok", "redis": "not configured", "worker": "no heartbeat"}

    heartbeat.beat()
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {"database": "ok", "redis": "not configured", "worker": "ok"}
    assert client.get("/healthz").json == {"status": "ok", "database": "ok"}  # unchanged


def test_another_nodes_worker_does_not_make_this_node_ready(app, client, db):
    app.config["NODE_NAME"] = "node-b"
    heartbeat.beat()
    app.config["NODE_NAME"] = "node-a"
    assert client.get("/readyz").status_code == 503
    assert heartbeat.age() is not None and heartbeat.age("node-a") is None


def test_a_heartbeat_three_intervals_old_is_a_dead_worker(app, client, db):
    app.config.update(NODE_NAME="node-a", WORKER_HEARTBEAT_INTERVAL=10)
    heartbeat.beat()
    stale = utcnow() - timedelta(seconds=31)
    run_in_transaction(lambda: db.session.execute(update(WorkerHeartbeat).values(beat_at=stale)))
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json["worker"] == "no heartbeat"
    assert 30 < heartbeat.age("node-a") < 300


def test_redis_is_checked_when_configured(app, client, db):
    app.config["NODE_NAME"] = "node-a"
    heartbeat.beat()
    app.config["REDIS_URL"] = REDIS
    assert client.get("/readyz").json == {"database": "ok", "redis": "ok", "worker": "ok"}
    app.config["REDIS_URL"] = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json["redis"] == "unreachable"
