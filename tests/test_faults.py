"""Fault injection: the faults the store promises to survive, each made to happen for real.

- `pmo ingest` killed with SIGKILL at every write it makes (and at random moments): the store
  always opens at a complete version with every row of it, and the next ingest succeeds;
- the disk fills during an ingest (a file size limit, and a tmpfs of a few hundred KB): one clear
  message, exit 2, the store byte for byte as it was;
- a read-only store: one clear message and exit 2 from every command that writes, the reading
  ones work, `/healthz` reports it and the pages stay up (tests/test_hosting.py runs the pages);
- bytes flipped in one segment file: `pmo check` names the file, the dashboard says which version
  is damaged and serves the last whole one (or refuses clearly), `pmo rebuild` repairs it;
- two ingests and an upload at once: nothing lost, the one that found the store busy is told to retry.

Marked `faults` (run by `make test`, as every test); `pytest -m faults` runs only these.
A read-only mount and a small filesystem need a private mount namespace (`unshare`, no root
needed where unprivileged user namespaces are on); without it the read-only tests use a store
without write permission (non-root) and the tmpfs test is the one skipped (the file size limit
test covers a full disk).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from pmo import integrity, query
from pmo.ingest import ingest_files
from pmo.store import Store

from conftest import FIXTURES, ROOT, run_pmo

pytestmark = pytest.mark.faults

LEDGER = ROOT / "sample_data" / "finance" / "fpna_ledger_FY2025-FY2026.csv"     # 6,606 lines, 600 KB
JIRA = FIXTURES / "jira" / "cloud_current_fields.csv"
JIRA_B = FIXTURES / "jira" / "german_cloud.csv"
FX = FIXTURES / "store" / "fx_a.csv"
KILL_AT = ROOT / "tests" / "helpers" / "kill_at.py"
PAUSE = ROOT / "tests" / "helpers" / "interrupted_ingest.py"


# A whole-store command on the sample store (pmo check, rebuild) costs tens of CPU seconds; on a
# shared 2-core machine that is minutes of wall time. The bound only stops a hung command.
SLOW = 900

def hashes(root: Path, skip: tuple = (".lock",)) -> dict[str, str]:
    out = {}
    for p in sorted(root.rglob("*")):
        rel = str(p.relative_to(root))
        if rel in skip:
            continue
        out[rel] = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
    return out


def assert_whole(store: Store) -> int:
    """The store opens at a complete version: every file matches its checksum and every row the
    manifest records is there (each segment read whole). Returns the version."""
    import pyarrow.parquet as pq

    v = store.current_version()
    serving = integrity.serving(store, fresh=True)
    assert serving.version == v and not serving.damaged, serving.message()
    for table, segs in store.manifest().segments.items():
        for seg in segs.values():
            assert pq.read_table(store.path(seg.file)).num_rows == seg.rows, (table, seg)
    return v


def assert_no_debris(store: Store) -> None:
    """After a successful write: no staging folder, no version past CURRENT, no segment or
    rejects file that no version names."""
    assert not store.path("tmp").exists() or not any(store.path("tmp").iterdir())
    current = store.current_version()
    assert max(int(p.stem) for p in store.path("versions").glob("*.json")) == current
    named = set()
    for v in range(1, current + 1):
        named |= {rel for rel, _ in store.manifest(v).files()}
    files = {str(p.relative_to(store.root)) for k in ("segments", "rejects") for p in store.path(k).rglob("*.parquet")}
    assert files <= named, sorted(files - named)[:5]


def kill_run(root: Path, n: int, count_file: Path, *args: str, summaries: str = "skip") -> subprocess.CompletedProcess:
    env = dict(os.environ, PMO_SUMMARIES=summaries)
    return subprocess.run([sys.executable, str(KILL_AT), str(n), str(count_file), *args, "--data-dir", str(root)],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)


def test_sigkill_at_every_write_of_a_real_ingest(tmp_path):
    store = Store(tmp_path / "store")
    ingest_files(store, [JIRA], user="seed")
    count = tmp_path / "writes"
    r = kill_run(store.root, 0, count, "ingest", str(LEDGER))          # how many writes one ingest makes
    assert r.returncode == 0, r.stderr
    writes = int(count.read_text())
    assert writes >= 25                  # copying and hashing, parsing, staging, publishing
    killed = published = 0
    for n in range(1, writes + 1):
        before = store.current_version()
        r = kill_run(store.root, n, count, "ingest", str(LEDGER))
        assert r.returncode in (-signal.SIGKILL, 0), (n, r.returncode, r.stderr)
        killed += r.returncode == -signal.SIGKILL
        after = assert_whole(store)
        assert after in (before, before + 1), (n, before, after)      # the old version or the new one
        published += after == before + 1
        if n % 8 == 0:                   # the next ingest succeeds, and cleans up what the kill left
            ok = run_pmo("ingest", str(LEDGER), "--summaries", "skip", data_dir=store.root, timeout=SLOW)
            assert ok.returncode == 0, (n, ok.stderr)
            assert assert_whole(store) == after + 1
            assert_no_debris(store)
    # then the dashboard's summary tables the ingest builds after publishing, killed every few writes
    shutil.rmtree(store.path("cache"), ignore_errors=True)
    r = kill_run(store.root, 0, count, "summaries")
    summary_writes = int(count.read_text())
    summary_killed = 0
    for n in range(1, summary_writes + 1, 3):
        shutil.rmtree(store.path("cache"), ignore_errors=True)     # built from scratch each time
        r = kill_run(store.root, n, count, "summaries")
        assert r.returncode in (-signal.SIGKILL, 0), (n, r.returncode, r.stderr)
        summary_killed += r.returncode == -signal.SIGKILL
        assert_whole(store)
    rt = query.connect(store)            # what the pages read after the kills: saved tables, or computed again
    try:
        rt.ensure_summaries(tuple(query.cache.summary_views()))
        loaded = {r["table_name"]: r["row_count"] for r in rt.query("store_tables_overview").iter_rows(named=True)}
        assert loaded["projects"] >= 1 and loaded["financials"] >= 1, loaded
    finally:
        rt.close()
    ok = run_pmo("ingest", str(LEDGER), data_dir=store.root, timeout=SLOW)
    assert ok.returncode == 0 and "Traceback" not in ok.stderr
    assert_whole(store)
    assert_no_debris(store)
    # killed at every write before the swap (the old version stays) and after it (the new one stays)
    assert killed >= writes - 2 and 0 < published < writes
    print(f"\nSIGKILL at {killed} of {writes} writes of an ingest ({killed - published} left the previous "
          f"version, {published} the new one) and at {summary_killed} of the {summary_writes} writes of its "
          "summary tables; every time whole")


def test_sigkill_at_random_moments(tmp_path):
    store = Store(tmp_path / "store")
    ingest_files(store, [JIRA], user="seed")
    rnd = random.Random(16)
    env = dict(os.environ, PMO_SUMMARIES="now")
    for _ in range(8):
        before = store.current_version()
        proc = subprocess.Popen([sys.executable, "-m", "pmo", "ingest", str(LEDGER), "--data-dir", str(store.root)],
                                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rnd.uniform(0.3, 3.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        after = assert_whole(store)
        assert after in (before, before + 1)
    ok = run_pmo("ingest", str(LEDGER), "--summaries", "skip", data_dir=store.root, timeout=SLOW)
    assert ok.returncode == 0, ok.stderr
    assert_whole(store)
    assert_no_debris(store)


# --- a full disk -----------------------------------------------------------------------------

def _limited(limit: int):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)     # a write past the limit fails (EFBIG) instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_a_file_size_limit_during_an_ingest_is_refused_cleanly(tmp_path):
    store = Store(tmp_path / "store")
    ingest_files(store, [JIRA], user="seed")
    before = hashes(store.root)
    r = subprocess.run([sys.executable, "-m", "pmo", "ingest", str(LEDGER), "--summaries", "skip",
                        "--data-dir", str(store.root)], capture_output=True, text=True, cwd=ROOT,
                       preexec_fn=_limited(300_000), timeout=120)
    assert r.returncode == 2, (r.returncode, r.stderr)
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "is full" in lines[0] and "the store is unchanged" in lines[0], r.stderr
    assert "Traceback" not in r.stderr
    assert hashes(store.root) == before
    assert run_pmo("ingest", str(LEDGER), "--summaries", "skip", data_dir=store.root, timeout=SLOW).returncode == 0


def _userns() -> bool:
    return shutil.which("unshare") is not None and subprocess.run(
        ["unshare", "-r", "-m", "true"], capture_output=True).returncode == 0


IN_SMALL_FS = textwrap.dedent("""
    import hashlib, json, shutil, subprocess, sys
    from pathlib import Path
    src, work, ledger, rooms = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], json.loads(sys.argv[4])
    # what the store takes on tmpfs: whole 4 KB pages per file
    base_kb = sum(-(-p.stat().st_size // 4096) * 4 for p in src.rglob("*") if p.is_file())
    out = []
    for room in rooms:
        mount = work / f"fs{room}"
        mount.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={base_kb + room}k", "tmpfs", str(mount)], check=True)
        store = mount / "store"
        shutil.copytree(src, store)
        def hashes():
            return {str(p.relative_to(store)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
                    for p in sorted(store.rglob("*")) if p.name != ".lock"}
        before = hashes()
        r = subprocess.run([sys.executable, "-m", "pmo", "ingest", ledger, "--summaries", "skip",
                            "--data-dir", str(store)], capture_output=True, text=True)
        out.append({"room": room, "rc": r.returncode, "stderr": r.stderr, "same": hashes() == before})
    print(json.dumps(out))
""")


def test_a_full_small_filesystem_during_an_ingest_is_refused_cleanly(tmp_path):
    """A tmpfs with a little room past the store, from too little for the raw copy to just enough
    for everything: each ingest either publishes or is refused with one line and no change."""
    if not _userns():
        pytest.skip("no private mount namespace here (unshare); the file size limit test covers a full disk")
    store = Store(tmp_path / "store")
    ingest_files(store, [JIRA], user="seed")
    rooms = list(range(40, 840, 40))                                  # KB of free space
    cmd = ["unshare", "-r", "-m", sys.executable, "-c", IN_SMALL_FS, str(store.root), str(tmp_path),
           str(LEDGER), json.dumps(rooms)]
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert r.returncode == 0, r.stderr
    runs = json.loads(r.stdout.strip().splitlines()[-1])
    refused = [x for x in runs if x["rc"] == 2]
    for x in refused:
        lines = [ln for ln in x["stderr"].splitlines() if ln.strip()]
        assert len(lines) == 1 and "is full" in lines[0] and "No space left" in lines[0], x
        assert "Traceback" not in x["stderr"] and x["same"], x
    for x in runs:
        assert x["rc"] in (0, 2), x
    where = {"raw copy" if "parquet" not in x["stderr"] else "segment write" for x in refused}
    assert where == {"raw copy", "segment write"}, runs      # the disk filled at both stages
    assert runs[-1]["rc"] == 0                                # with room enough, it publishes


# --- a read-only store -----------------------------------------------------------------------

def read_only(root: Path, argv: list[str]) -> list[str]:
    """`argv` run with `root` mounted read-only (a private mount namespace), else without write
    permission (non-root)."""
    if _userns():
        return ["unshare", "-r", "-m", "sh", "-c",
                f'mount --bind "{root}" "{root}" && mount -o remount,ro,bind "{root}" && exec "$@"', "sh", *argv]
    if os.geteuid() == 0:
        pytest.skip("running as root without unshare: no way to make the store read-only")
    for p in [root, *root.rglob("*")]:
        p.chmod(p.stat().st_mode & ~0o222)
    return argv


WRITERS = [["ingest", str(JIRA_B)], ["rebuild"], ["rollback", "1"], ["summaries"], ["watch", "--once"],
           ["demo"]]
READERS = [["history"], ["sql", "select count(*) from projects"], ["check"], ["health"]]


def test_a_read_only_store_gives_one_clear_message_and_exit_2_from_every_writing_command(tmp_path):
    store = Store(tmp_path / "store")
    ingest_files(store, [JIRA], user="seed")
    ingest_files(store, [FX], user="seed")
    before = hashes(store.root)
    for args in WRITERS + READERS:
        argv = [sys.executable, "-m", "pmo", *args, "--data-dir", str(store.root)]
        r = subprocess.run(read_only(store.root, argv), capture_output=True, text=True, cwd=ROOT, timeout=180,
                           env=dict(os.environ, PMO_SUMMARIES="skip"))
        assert "Traceback" not in r.stderr and "PermissionError" not in r.stderr, (args, r.stderr)
        if args in WRITERS:
            lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
            assert r.returncode == 2 and len(lines) == 1, (args, r.returncode, r.stderr)
            assert "read-only" in lines[0] or "already holds data" in lines[0], (args, lines)
        else:
            assert r.returncode == 0, (args, r.returncode, r.stderr)
            if args == ["health"]:
                assert json.loads(r.stdout)["read_only"] is True
    assert hashes(store.root) == before


# --- flipped bytes in a segment file ---------------------------------------------------------

def flip(path: Path, at: int = 200, n: int = 64) -> None:
    data = bytearray(path.read_bytes())
    for i in range(at, min(at + n, len(data))):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def test_flipped_bytes_are_named_and_repaired_from_the_raw_files(sample_store_copy, monkeypatch):
    from pmo import readiness

    store = Store(sample_store_copy)
    seg = store.segments()["projects"][0]
    flip(store.path(seg.file))
    check = run_pmo("check", data_dir=store.root, timeout=SLOW)
    assert check.returncode == 2 and str(store.path(seg.file)) in check.stderr
    assert "does not match its checksum" in check.stderr and "pmo rebuild" in check.stderr
    monkeypatch.setenv("PMO_DATA_DIR", str(store.root))
    ready, body = readiness.health()
    assert not ready and body["status"] == "damaged" and "version 1 is damaged" in body["reason"]
    # the only version is damaged: every page and `pmo sql` refuse clearly
    sql = run_pmo("sql", "select count(*) from projects", data_dir=store.root, timeout=SLOW)
    assert sql.returncode == 2 and "damaged" in sql.stderr and "Traceback" not in sql.stderr
    fixed = run_pmo("rebuild", data_dir=store.root, timeout=SLOW)
    assert fixed.returncode == 0, fixed.stderr
    assert store.current_version() == 2 and assert_whole(store) == 2
    ready, body = readiness.health()
    assert ready and body["status"] == "ok" and body["serving_version"] == 2
    assert run_pmo("check", data_dir=store.root, timeout=SLOW).returncode == 0


def test_a_damaged_new_version_serves_the_last_whole_one(sample_store_copy, monkeypatch):
    from pmo import readiness

    store = Store(sample_store_copy)
    ingest_files(store, [JIRA_B], user="ana")                      # version 2 adds a tasks segment
    new = [s for s in store.segments()["tasks"] if s.ingest_id == store.manifest().ingests[-1]["ingest_id"]]
    flip(store.path(new[0].file))
    monkeypatch.setenv("PMO_DATA_DIR", str(store.root))
    ready, body = readiness.health()
    assert ready and body["status"] == "degraded" and body["serving_version"] == 1
    assert "Store version 2 is damaged" in body["reason"] and "Showing version 1" in body["reason"]
    serving = integrity.serving(store)
    assert serving.version == 1 and serving.damaged[0].files[0][0] == new[0].file


@pytest.mark.app
def test_pages_say_which_version_is_damaged_for_every_role(sample_store_copy, monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    store = Store(sample_store_copy)
    [o] = ingest_files(store, [JIRA_B], user="ana")                   # version 2: one new tasks segment
    flip(store.path(next(s.file for s in store.segments()["tasks"] if s.ingest_id == o.ingest_id)))
    roles = tmp_path / "roles.toml"
    roles.write_text('[roles.dc-viewer]\nlevel = "viewer"\nportfolios = ["Digital Channels"]\n')
    monkeypatch.setenv("PMO_DATA_DIR", str(store.root))
    monkeypatch.setenv("PMO_ROLES_FILE", str(roles))
    monkeypatch.chdir(ROOT)
    for role in ("admin", "dc-viewer"):
        monkeypatch.setenv("PMO_ROLE", role)
        at = AppTest.from_file(str(ROOT / "pages" / "1_Portfolio_Health.py"), default_timeout=180).run()
        assert not at.exception, (role, [e.message for e in at.exception])
        warned = [w.value for w in at.warning if "is damaged" in w.value]
        assert warned and "Store version 2 is damaged" in warned[0] and "Showing version 1" in warned[0], role
    # the only whole version damaged too: a clear refusal, no traceback
    flip(store.path(store.segments()["projects"][0].file))
    at = AppTest.from_file(str(ROOT / "pages" / "1_Portfolio_Health.py"), default_timeout=180).run()
    assert not at.exception
    assert any("No earlier version is whole" in e.value for e in at.error)


# --- two ingests and an upload at once -------------------------------------------------------

@pytest.mark.app
def test_two_ingests_and_an_upload_at_once_lose_nothing(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    store = Store(tmp_path / "store")
    ingest_files(store, [FX], user="seed")
    monkeypatch.setenv("PMO_DATA_DIR", str(store.root))
    monkeypatch.setenv("PMO_USER", "uma")
    monkeypatch.delenv("PMO_ROLE", raising=False)
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "pages" / "4_Data.py"), default_timeout=180).run()
    at.file_uploader[0].upload(JIRA_B.name, JIRA_B.read_bytes(), "text/csv")
    at.run()                                                      # previewed, ready to publish
    signal_file = tmp_path / "signal"
    holder = subprocess.Popen([sys.executable, str(PAUSE), str(store.root), str(LEDGER), "pause:4", str(signal_file)],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=dict(os.environ, PMO_SUMMARIES="skip"))
    deadline = time.time() + 60
    while not signal_file.exists() and time.time() < deadline:
        time.sleep(0.05)
    assert signal_file.exists(), "the first ingest never got the store"
    # while it holds the store: a second ingest (told to retry) and the upload's publish (waits its turn)
    second = {}
    t = threading.Thread(target=lambda: second.update(r=run_pmo("ingest", str(JIRA), "--summaries", "skip",
                                                                data_dir=store.root, timeout=SLOW)))
    t.start()
    at.button(key="data_publish").click().run()
    t.join(120)
    out, err = holder.communicate(timeout=120)
    assert holder.returncode == 0, err
    busy = second["r"]
    assert busy.returncode == 3 and "busy" in busy.stderr and "retry" in busy.stderr, busy.stderr
    assert not at.exception and not at.error
    assert any("is live" in s.value for s in at.success)
    # nothing lost: both published files are in the served version with every row; the refused one retries
    retried = run_pmo("ingest", str(JIRA), "--summaries", "skip", data_dir=store.root, timeout=SLOW)
    assert retried.returncode == 0
    m = store.manifest()
    assert sorted(i["file_name"] for i in m.active_ingests()) == sorted([FX.name, LEDGER.name, JIRA_B.name, JIRA.name])
    assert assert_whole(store) == 4
    con = query.connect(store).con
    assert con.execute("select count(*) from seg_financials").fetchone()[0] == 6606
    assert con.execute("select count(*) from tasks").fetchone()[0] == 2 + 3
