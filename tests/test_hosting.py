"""Hosted `pmo serve`, probed the way a hostile or unlucky user would (issue 16):

- it refuses to start with sign-in required and no or a weak cookie secret, naming the setting;
- it is ready from the first answer: an empty store gets the sample data before the port opens
  (or, with the demo off, is "ready, no data" with a clear page); /healthz has no server paths;
- every response carries X-Frame-Options and a Content-Security-Policy, and the pages render
  under it;
- the upload endpoint refuses sessions not signed in as analyst or admin, bounds the bytes one
  session holds and releases them when the session ends;
- the queries from the issue neither move the server's memory past its documented bound nor slow
  /healthz beyond a second; the one DuckDB does not interrupt is killed at the timeout;
- with a read-only store the pages stay up and /healthz says so.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from pmo import hosting

from conftest import ROOT, free_port, run_pmo, serving, wait_for_http
from test_browser_oidc import ADMIN, VIEWER, oidc_provider, sign_in, signed_server  # noqa: F401 - fixtures

HOSTILE = "select repeat('a',8000000) a, repeat('b',8000000) b, repeat('c',8000000) c from range(220)"
LONG_SINGLE_OPERATION = "select length(repeat('x',1500000000))"
ROLES_REQUIRED = '[auth]\nrequired = true\ndefault_role = "viewer"\n[groups]\n"pmo-admins" = "admin"\n'


def get(url: str, timeout: float = 10) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


# --- secrets and settings at start -------------------------------------------------------------

@pytest.mark.parametrize("secret, words", [
    (None, "[auth] cookie_secret is missing"),
    ("short", "[auth] cookie_secret in .streamlit/secrets.toml is too weak: it is 5 characters long"),
    ("<64 random hex chars: python -c 'import secrets; print(secrets.token_hex(32))'>", "looks like a placeholder"),
    ("a" * 40, "repeats a few characters"),
])
def test_serve_refuses_to_start_without_a_strong_cookie_secret(tmp_path, secret, words):
    home = tmp_path / "home"
    (home / ".streamlit").mkdir(parents=True)
    lines = ["[auth]", 'client_id = "pmo"', 'client_secret = "x"',
             'server_metadata_url = "http://127.0.0.1:9/.well-known/openid-configuration"']
    if secret is not None:
        lines.append(f"cookie_secret = {json.dumps(secret)}")
    (home / ".streamlit" / "secrets.toml").write_text("\n".join(lines) + "\n")
    roles = tmp_path / "roles.toml"
    roles.write_text(ROLES_REQUIRED)
    r = run_pmo("serve", "--port", str(free_port()), data_dir=tmp_path / "store", timeout=60,
                env={"HOME": str(home), "PMO_ROLES_FILE": str(roles), "PMO_DEMO": "0"})
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert words in r.stderr and "the dashboard did not start" in r.stderr
    assert "Traceback" not in r.stderr


def test_start_checks_pass_a_strong_secret_and_check_the_xsrf_secret_too():
    cfg = {"required": True}
    strong = "9f0c2e51a7d84b36c1e0f5a2b7d9c4e8a1f3b6d0c2e5a7f9b1d3c5e7a9f0b2d4"
    assert hosting.start_problems(cfg, {"auth": {"cookie_secret": strong}}, env={}) == []
    assert hosting.start_problems({"required": False}, {}, env={}) == []          # local mode: no sign-in
    [p] = hosting.start_problems({"required": False}, {}, env={"STREAMLIT_SERVER_COOKIE_SECRET": "changeme"})
    assert p.startswith("STREAMLIT_SERVER_COOKIE_SECRET is too weak")
    [p] = hosting.start_problems(cfg, {}, env={})
    assert "has no [auth] section" in p


# --- ready from the start -----------------------------------------------------------------------

def watch_healthz(url: str, proc: subprocess.Popen, seconds: float = 180) -> list[tuple[int, dict]]:
    """Every /healthz answer from the first one the port gives until it is ready."""
    answers = []
    deadline = time.time() + seconds
    while time.time() < deadline and proc.poll() is None:
        try:
            status, _, body = get(url + "/healthz", timeout=5)
            answers.append((status, json.loads(body)))
            if status == 200:
                return answers
        except (urllib.error.URLError, ConnectionError, OSError):
            pass                                     # the port is not open yet
        time.sleep(0.1)
    return answers


@pytest.mark.browser
def test_a_fresh_deployment_is_ready_from_its_first_answer(tmp_path):
    port = free_port()
    env = dict(os.environ, PMO_DATA_DIR=str(tmp_path / "fresh"))
    env.pop("PMO_DEMO", None)
    proc = subprocess.Popen([sys.executable, "-m", "pmo", "serve", "--port", str(port), "--host", "127.0.0.1"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        answers = watch_healthz(f"http://127.0.0.1:{port}", proc)
        # no browser session was ever opened: the sample data was loaded before the port opened
        assert answers and all(status == 200 for status, _ in answers), answers
        assert answers[0][1] == {"ready": True, "status": "ok", "store_version": 1, "serving_version": 1}
        assert str(tmp_path) not in json.dumps(answers)
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=20)


@pytest.mark.browser
def test_with_the_demo_off_an_empty_store_is_ready_with_no_data(tmp_path, browser):
    with serving(tmp_path / "empty", env={"PMO_DEMO": "0"}) as srv:
        status, _, body = get(srv["url"] + "/healthz")
        answer = json.loads(body)
        assert status == 200 and answer["ready"] and answer["status"] == "no data" and answer["store_version"] == 0
        page = browser.new_page()
        page.goto(srv["url"])
        page.get_by_text("No data yet").first.wait_for(timeout=60_000)
        page.get_by_text("Open the Data page").first.wait_for(timeout=30_000)
        page.goto(srv["url"] + "/Data")
        page.get_by_text("Export files").first.wait_for(timeout=60_000)      # analysts can publish there
        assert page.get_by_text("This app has encountered an error").count() == 0
        page.close()
    assert not (tmp_path / "empty" / "CURRENT").exists()                    # nothing loaded behind our back


# --- headers ------------------------------------------------------------------------------------

@pytest.mark.browser
def test_every_response_carries_frame_and_content_security_headers(server, browser):
    for path in ("/", "/healthz", "/_stcore/health", "/Portfolio_Health", "/static/does-not-exist.js"):
        _, headers, _ = get(server["url"] + path)
        lower = {k.lower(): v for k, v in headers.items()}
        assert lower.get("x-frame-options") == "SAMEORIGIN", path
        assert "frame-ancestors 'self'" in lower.get("content-security-policy", ""), path
        assert "default-src 'self'" in lower["content-security-policy"]
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    for path in ("", "/Portfolio_Health", "/Salary_Benchmarks"):
        page.goto(server["url"] + path)
        page.locator('[data-testid="stMetric"]').first.wait_for(timeout=90_000)
        if path:                         # Vega compiled and drew its charts under the policy
            page.locator('[data-testid="stVegaLiteChart"] svg').first.wait_for(state="attached", timeout=60_000)
    page.close()
    assert not blocked, blocked[:3]          # the pages (charts included) need nothing the policy refuses


# --- uploads ------------------------------------------------------------------------------------

def session_id_of(page, url: str) -> str:
    """Open `url` and read the session id Streamlit sends this browser session."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    found: dict = {}

    def on_ws(ws):
        def frame(payload):
            if isinstance(payload, (bytes, bytearray)):
                msg = ForwardMsg()
                try:
                    msg.ParseFromString(bytes(payload))
                except Exception:   # noqa: BLE001 - not every frame is a whole message
                    return
                if msg.HasField("new_session"):
                    found["id"] = msg.new_session.initialize.session_id
        ws.on("framereceived", frame)
    page.on("websocket", on_ws)
    page.goto(url)
    deadline = time.time() + 60
    while "id" not in found and time.time() < deadline:
        page.wait_for_timeout(200)
    assert "id" in found, "no session"
    return found["id"]


PUT = """async ([sid, fid, n]) => {
    const c = document.cookie.split('; ').find(c => c.startsWith('_streamlit_xsrf='));
    const fd = new FormData(); fd.append('file', new Blob([new Uint8Array(n)]), 'export.csv');
    const r = await fetch(`/_stcore/upload_file/${sid}/${fid}`, {method: 'PUT', body: fd,
        headers: {'X-Xsrftoken': c ? c.split('=').slice(1).join('=') : ''}, credentials: 'same-origin'});
    return [r.status, await r.text()];
}"""


def upload_bytes_held(url: str) -> int:
    _, _, body = get(url + "/_stcore/metrics")
    return sum(int(float(line.rsplit(" ", 1)[1])) for line in body.decode().splitlines()
               if 'cache_type="UploadedFileManager"' in line)


def upload_bytes_become(url: str, expected: int, seconds: float = 40) -> int:
    """The bytes held once they reach `expected` (or at the deadline): Streamlit caches the memory
    figures of /_stcore/metrics for 5 s, and the sweep of ended sessions runs every 10 s."""
    deadline = time.time() + seconds
    while (held := upload_bytes_held(url)) != expected and time.time() < deadline:
        time.sleep(1)
    return held


@pytest.fixture()
def upload_budget(sample_store_copy):
    """Uploads bounded to 3 MB per session in the store's settings (before the server starts)."""
    with (sample_store_copy / "config.toml").open("a") as fh:
        fh.write("\n[store]\nupload_session_mb = 3\n")


@pytest.mark.browser
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_no_uploads_before_sign_in_and_a_bound_per_session(browser, upload_budget, signed_server):
    url = signed_server["url"]
    context = browser.new_context()
    page = context.new_page()
    sid = session_id_of(page, url)                           # the sign-in screen, with its XSRF cookie
    page.get_by_role("button", name="Sign in with your organisation account").wait_for(timeout=60_000)
    status, text = page.evaluate(PUT, [sid, "f1", 1_000_000])
    assert status == 403 and "signed in as an analyst or admin" in text
    context.close()

    context, page = sign_in(browser, url, VIEWER)            # signed in, but a viewer may not publish
    sid = session_id_of(page, url)
    page.get_by_text("Active projects").first.wait_for(timeout=60_000)
    assert page.evaluate(PUT, [sid, "f1", 1_000_000])[0] == 403
    context.close()
    assert upload_bytes_held(url) == 0

    context, page = sign_in(browser, url, ADMIN)
    sid = session_id_of(page, url + "/Data")
    page.get_by_text("Export files").first.wait_for(timeout=60_000)
    assert page.evaluate(PUT, [sid, "f1", 2_000_000])[0] == 204
    status, text = page.evaluate(PUT, [sid, "f2", 2_000_000])    # 4 MB would pass the 3 MB bound
    assert status == 413 and "upload_session_mb" in text
    assert upload_bytes_become(url, 2_000_000) == 2_000_000
    context.close()                                           # the session ends: its uploads are released
    assert upload_bytes_become(url, 0) == 0


# --- memory bound and /healthz under hostile SQL --------------------------------------------------

def tree_rss_mb(pid: int) -> tuple[float, float]:
    """(the server process's resident MB, the whole process tree's)."""
    def rss(p: int) -> float:
        try:
            with open(f"/proc/{p}/status") as fh:
                return next(int(ln.split()[1]) for ln in fh if ln.startswith("VmRSS:")) / 1024
        except (OSError, StopIteration):
            return 0.0

    def children(p: int) -> list[int]:
        try:
            out = []
            for task in Path(f"/proc/{p}/task").iterdir():
                out += [int(c) for c in (task / "children").read_text().split()]
            return out
        except OSError:
            return []
    total, todo, server = 0.0, [pid], None
    while todo:
        p = todo.pop()
        total += rss(p)
        todo += children(p)
    kids = children(pid)
    server = next((c for c in kids), pid)                      # pmo serve -> streamlit (the server)
    return rss(server), total


@pytest.mark.browser
def test_hostile_queries_stay_within_the_memory_bound_and_healthz_answers_within_a_second(server, browser):
    from pmo import config
    from pmo.safe_sql import SqlLimits

    limits = SqlLimits.from_config(config.load(server["data_dir"]))
    pid = server["proc"].pid
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(server["url"] + "/SQL_Explorer")
    editor = page.locator("textarea").first
    editor.wait_for(timeout=90_000)
    baseline_server, baseline_total = tree_rss_mb(pid)
    samples: list[tuple[float, float]] = []
    latencies: list[float] = []
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            samples.append(tree_rss_mb(pid))
            t0 = time.perf_counter()
            status, _, _ = get(server["url"] + "/healthz", timeout=30)
            latencies.append(time.perf_counter() - t0)
            assert status == 200
            stop.wait(0.1)
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        timings = {}
        for sql in (HOSTILE, LONG_SINGLE_OPERATION):
            editor.fill(sql)
            t0 = time.perf_counter()
            page.get_by_role("button", name="Run", exact=True).click()
            page.get_by_text("Query refused").first.wait_for(timeout=120_000)
            timings[sql] = time.perf_counter() - t0
            refusal = page.get_by_text("Query refused").first.inner_text()
            assert "memory" in refusal or "longer than" in refusal, refusal
    finally:
        stop.set()
        watcher.join(30)
    peak_server = max(s for s, _ in samples)
    peak_total = max(t for _, t in samples)
    bound = baseline_total + limits.workers * limits.worker_memory_mb          # docs/security.md
    print(f"\nserver {baseline_server:.0f} -> peak {peak_server:.0f} MB; process tree {baseline_total:.0f} -> "
          f"peak {peak_total:.0f} MB (bound {bound:.0f} MB); /healthz slowest {max(latencies):.3f} s over "
          f"{len(latencies)} probes; refused after {', '.join(f'{t:.1f} s' for t in timings.values())}")
    assert peak_total <= bound
    assert peak_server - baseline_server < 300          # the server itself never holds the result
    assert max(latencies) < 1.0
    assert timings[LONG_SINGLE_OPERATION] < limits.timeout_s + 15     # killed, not left running
    editor.fill("select count(*) as n from projects")
    page.get_by_role("button", name="Run", exact=True).click()
    page.get_by_text("1 rows · 1 columns").first.wait_for(timeout=60_000)     # the explorer still works
    page.close()


# --- a read-only store ----------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.faults
def test_a_read_only_store_keeps_the_pages_up(sample_store_copy, browser):
    from test_faults import _userns

    if not _userns():
        pytest.skip("no private mount namespace here (unshare) to mount the store read-only")
    root = sample_store_copy
    port = free_port()
    env = dict(os.environ, PMO_DATA_DIR=str(root))
    env.pop("PMO_ROLE", None)
    argv = [sys.executable, "-m", "pmo", "serve", "--port", str(port), "--host", "127.0.0.1"]
    cmd = ["unshare", "-r", "-m", "sh", "-c",
           f'mount --bind "{root}" "{root}" && mount -o remount,ro,bind "{root}" && exec "$@"', "sh", *argv]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(url + "/_stcore/health", timeout=120)
        status, _, body = get(url + "/healthz")
        answer = json.loads(body)
        assert status == 200 and answer["ready"] and answer.get("read_only") is True
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        for path in ("", "/Portfolio_Health", "/Data"):
            page.goto(url + path)
            page.get_by_text("The store is read-only").first.wait_for(timeout=90_000)
            assert page.get_by_text("This app has encountered an error").count() == 0, path
        page.goto(url + "/SQL_Explorer")
        # the page builds its connection first: minutes on a busy 2-core machine, not 30 s
        page.locator("textarea").first.wait_for(timeout=180_000)
        page.locator("textarea").first.fill("select count(*) from projects")
        page.get_by_role("button", name="Run", exact=True).click()
        page.get_by_text("Query refused: the store is read-only").first.wait_for(timeout=60_000)
        assert page.get_by_text("PermissionError").count() == 0
        page.close()
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=20)
        # shown only when the test fails: the server's own account of an error box
        print((proc.stdout.read() or b"").decode(errors="replace")[-6000:])
