"""Shared fixtures: a store built once from sample_data/, small stores per test, a free port."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# `pmo ingest` builds the summary tables before it returns, so no background process writes into
# a test's store after the test looked (tests/test_summary_tables.py tests the background mode).
os.environ.setdefault("PMO_SUMMARIES", "now")
# Pages skip checking their charts against the Vega-Lite schema at run time (pmo/ui/share.py
# `_unvalidated`); under the tests every chart a page draws is checked.
os.environ.setdefault("PMO_VALIDATE_CHARTS", "1")


def pytest_report_header(config):
    import duckdb
    import polars
    import streamlit
    return f"duckdb {duckdb.__version__}, polars {polars.__version__}, streamlit {streamlit.__version__}"


@pytest.fixture(scope="session")
def sample_store_dir(tmp_path_factory) -> Path:
    """A store holding every file in sample_data/ (built once per test session), with its summary
    tables and saved results built, as `pmo ingest` leaves a store. Without them the first query
    over the raw views plans the whole view stack at once: minutes, not seconds."""
    from pmo import query
    from pmo.demo import load_demo
    from pmo.store import Store

    root = tmp_path_factory.mktemp("sample-store")
    load_demo(Store(root))
    query.warm(Store(root))
    return root


@pytest.fixture(scope="session")
def sample_con(sample_store_dir):
    from pmo import query
    from pmo.store import Store

    # the summary tables in place, as the dashboard has them: every view reads a table, so each
    # test query costs what it costs on a page
    rt = query.connect(Store(sample_store_dir))
    rt.ensure_summaries(tuple(query.cache.summary_views()))
    return rt.con


@pytest.fixture(autouse=True)
def _sample_con_idle(request):
    """A test that stops reading a result early (`execute(...).fetchone()`) leaves the shared
    connection busy for the next one in DuckDB 2.0, so each test that uses it starts with nothing
    pending, whatever order the tests run in (pytest-xdist changes it)."""
    if "sample_con" in request.fixturenames:
        request.getfixturevalue("sample_con").abort()


def use_store(monkeypatch, root: Path) -> None:
    """Point the dashboard (AppTest pages) at the store in `root`, run from the repository, with
    no role forced from the environment."""
    monkeypatch.setenv("PMO_DATA_DIR", str(root))
    monkeypatch.delenv("PMO_ROLE", raising=False)
    monkeypatch.chdir(ROOT)


@pytest.fixture()
def app_env(sample_store_dir, monkeypatch) -> Path:
    """AppTest pages over the sample store (a test file may define its own over another store)."""
    use_store(monkeypatch, sample_store_dir)
    return sample_store_dir


@pytest.fixture()
def sample_store_copy(sample_store_dir, tmp_path) -> Path:
    """A private copy of the sample store, for tests that change it."""
    dest = tmp_path / "store"
    # The audit log is per store and not part of versions: a copy starts with none.
    shutil.copytree(sample_store_dir, dest, ignore=shutil.ignore_patterns("audit"))
    return dest


@pytest.fixture()
def store(tmp_path):
    from pmo.store import Store

    return Store(tmp_path / "data")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_pmo(*args: str, data_dir: Path | None = None, env: dict | None = None, timeout: int = 120):
    """Run the `pmo` command in a subprocess; return CompletedProcess (text)."""
    cmd = [sys.executable, "-m", "pmo", *args]
    if data_dir is not None:
        cmd += ["--data-dir", str(data_dir)]
    full_env = dict(os.environ, **(env or {}))
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=full_env, timeout=timeout)


@pytest.fixture()
def pmo_cli():
    return run_pmo


def wait_for_http(url: str, timeout: float = 60.0) -> None:
    import urllib.request

    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


@contextlib.contextmanager
def serving(data_dir: Path, port: int | None = None, env: dict | None = None, drop: tuple = ()):
    """`pmo serve` on a free port (or `port`) over `data_dir`, stopped with its process group.
    `env` adds variables, `drop` removes inherited ones."""
    port = port or free_port()
    full_env = dict(os.environ, PMO_DATA_DIR=str(data_dir), **(env or {}))
    for name in drop:
        full_env.pop(name, None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "pmo", "serve", "--port", str(port), "--host", "127.0.0.1"],
        cwd=ROOT, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/_stcore/health")
        yield {"url": f"http://127.0.0.1:{port}", "data_dir": data_dir, "proc": proc}
    finally:
        os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)


@pytest.fixture()
def server(sample_store_copy):
    """`pmo serve` on a free port over a private copy of the sample store."""
    with serving(sample_store_copy) as srv:
        yield srv


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    exe = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(exe).exists():
        pytest.fail("Debian's chromium is not installed: run ./.ci/install-chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield b
        b.close()
