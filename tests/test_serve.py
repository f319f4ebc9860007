"""`mtaudit serve`: a real uvicorn server on 127.0.0.1, concurrent requests."""

import json
import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import uvicorn

from auditor.pipeline import audit_text
from auditor.serve import create_app

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BAD = "Talks stall\n\nThe minister said &mdash; talks will resume.\nRead also: other news\n"


class SlowScorer:
    """Stands in for the LM: takes longer than the request timeout."""

    def score_article(self, article, order_skip=()):
        time.sleep(1.0)
        from auditor.lm.types import ArticleFluency

        return ArticleFluency(sentences=[None] * len(article.sentences))


class Server:
    """uvicorn serving `app` on a loopback socket bound to a free port, in a thread."""

    def __init__(self, app):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.url = "http://127.0.0.1:%d" % self.sock.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self):
        self.thread.start()
        for _ in range(200):
            if self.server.started:
                return self
            time.sleep(0.02)
        raise RuntimeError("server did not start")

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


@pytest.fixture(scope="module")
def server():
    with Server(create_app(max_bytes=50_000, timeout=20)) as s:
        yield s


def test_healthz_and_openapi(server):
    r = httpx.get(server.url + "/healthz")
    assert r.status_code == 200 and r.json()["status"] == "ok" and r.json()["lm"] is False
    doc = httpx.get(server.url + "/openapi.json").json()
    assert "/v1/audit" in doc["paths"] and "post" in doc["paths"]["/v1/audit"]
    assert "AuditRequest" in json.dumps(doc["components"])


def test_audit_returns_the_same_report_as_the_pipeline(server):
    r = httpx.post(server.url + "/v1/audit", json={"text": BAD, "id": "cms-42", "date": "2022-03-16", "source": "Wire"})
    assert r.status_code == 200
    got = r.json()
    want = audit_text(BAD, source="cms-42", date=__import__("datetime").date(2022, 3, 16),
                      meta={"id": "cms-42", "source_name": "Wire"}).to_dict()
    assert got == want and got["verdict"] == "fail" and got["id"] == "cms-42"


def test_title_field_and_bad_requests(server):
    r = httpx.post(server.url + "/v1/audit", json={"text": "Body only here.", "title": "A headline"})
    assert r.status_code == 200 and r.json()["title"] == "A headline"
    assert httpx.post(server.url + "/v1/audit", json={"title": "no text"}).status_code == 422
    assert httpx.post(server.url + "/v1/audit", json={"text": "   "}).status_code == 422
    assert httpx.post(server.url + "/v1/audit", json={"text": "x", "date": "16/03/2022"}).status_code == 422
    assert httpx.post(server.url + "/v1/audit", content=b"{not json", headers={"content-type": "application/json"}).status_code == 422


def test_body_over_the_limit_is_413(server):
    big = {"text": "word " * 20_000}  # ~100 kB > 50 kB limit
    r = httpx.post(server.url + "/v1/audit", json=big)
    assert r.status_code == 413
    # streamed without a Content-Length: still refused
    def chunks():
        data = json.dumps(big).encode()
        for i in range(0, len(data), 8192):
            yield data[i:i + 8192]
    r = httpx.post(server.url + "/v1/audit", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert httpx.get(server.url + "/healthz").status_code == 200


def test_concurrent_requests_all_succeed(server):
    texts = [BAD if i % 2 else "Calm day\n\nNothing happened in Geneva on Monday.\n" for i in range(64)]

    def call(i):
        with httpx.Client(timeout=60) as c:
            r = c.post(server.url + "/v1/audit", json={"text": texts[i], "id": str(i)})
            return r.status_code, r.json()["id"], r.json()["verdict"]

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(call, range(64)))
    assert all(status == 200 for status, _, _ in results)
    assert [rid for _, rid, _ in results] == [str(i) for i in range(64)]
    assert [v for _, _, v in results] == ["fail" if i % 2 else "pass" for i in range(64)]


def test_per_request_timeout_is_504():
    with Server(create_app(scorer=SlowScorer(), timeout=0.2)) as s:
        t0 = time.monotonic()
        r = httpx.post(s.url + "/v1/audit", json={"text": BAD}, timeout=30)
        assert r.status_code == 504 and "longer than" in r.json()["detail"]
        assert time.monotonic() - t0 < 0.9  # answered before the slow audit finished
        assert httpx.get(s.url + "/healthz").json()["lm"] is True


def test_mtaudit_serve_command_end_to_end(tmp_path):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    proc = subprocess.Popen([sys.executable, "-m", "auditor.cli", "serve", "--port", str(port), "--no-lm", "--max-bytes", "1000"],
                            cwd=tmp_path, env={**os.environ, "PYTHONPATH": ROOT}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        else:
            pytest.fail("server did not come up: " + proc.stderr.read1().decode(errors="replace"))
        assert httpx.post(url + "/v1/audit", json={"text": BAD}).json()["verdict"] == "fail"
        assert httpx.post(url + "/v1/audit", json={"text": "x" * 2000}).status_code == 413
    finally:
        proc.terminate()
        proc.wait(10)
