"""/healthz: readiness and the store version, from `pmo serve` (Streamlit's st.App + a route)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from pmo import readiness as pmo_server
from pmo.ingest import rollback

pytestmark = pytest.mark.browser


def get(url: str) -> tuple[int, dict, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, json.loads(r.read()), dict(r.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read()), dict(exc.headers)


def test_healthz_reports_ready_and_the_store_version(server):
    from pmo.store import Store

    status, body, headers = get(server["url"] + "/healthz")
    assert status == 200
    assert body == {"ready": True, "status": "ok", "store_version": 1, "serving_version": 1}
    assert str(server["data_dir"]) not in json.dumps(body)          # no server paths
    assert headers.get("cache-control") == "no-store"
    rollback(Store(server["data_dir"]), 1, user="test")      # a new version, published by another process
    status, body, _ = get(server["url"] + "/healthz")
    assert (status, body["store_version"]) == (200, 2)
    # Streamlit's own routes still answer
    with urllib.request.urlopen(server["url"] + "/_stcore/health", timeout=10) as r:
        assert r.status == 200


def test_empty_store_is_ready_with_no_data_and_a_damaged_one_is_not(tmp_path, monkeypatch, sample_store_copy):
    monkeypatch.setenv("PMO_DATA_DIR", str(tmp_path / "empty"))
    ready, body = pmo_server.health()
    assert ready and body["status"] == "no data" and body["store_version"] == 0 and "empty" in body["reason"]

    monkeypatch.setenv("PMO_DATA_DIR", str(sample_store_copy))
    assert pmo_server.health()[0]
    from pmo.store import Store

    store = Store(sample_store_copy)
    store.path(store.segments()["projects"][0].file).unlink()     # a file the current version needs
    ready, body = pmo_server.health()
    assert not ready and body["status"] == "damaged" and body["store_version"] == 1
    assert "is missing" in body["reason"] and str(sample_store_copy) not in body["reason"]
    ready, details = pmo_server.health(details=True)              # `pmo health`: with the paths
    assert details["data_dir"] == str(sample_store_copy.resolve()) and details["damaged"][1]

    (sample_store_copy / "CURRENT").write_text("garbage")
    ready, body = pmo_server.health()
    assert not ready and "cannot be read" in body["reason"] and str(sample_store_copy) not in body["reason"]
