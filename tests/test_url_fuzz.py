"""Hostile links: every page opened with injection strings in every URL parameter it reads.

Keys fuzzed per page: the shared filters, `project`, every widget key the page creates (a bound
widget reads its value from the URL under its key), every literal the page's source reads with
`st.query_params`, and the Budget variance drill path (`bv_<dimension>`). For each payload the
page must render without an exception and without an error that shows a traceback, and the store
must be exactly as before (no version, no file, no row changed).
"""

from __future__ import annotations

import hashlib
import re

import pytest
from streamlit.testing.v1 import AppTest

from pmo import budget, query
from pmo.store import Store

from conftest import ROOT, use_store

pytestmark = pytest.mark.app

PAGES = ["dashboard.py", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))]
BASE_KEYS = ["portfolio", "program", "department", "manager", "stage", "as_of", "project"]
PAYLOADS = {
    "quote": "' or 1=1 --",
    "drop": '"; drop table projects; --',
    "encoded": "%27%20or%20%271%27%3D%271",
    "script": "<script>alert(document.cookie)</script>",
    "long": "A'" * 2500,                                # 5,000 characters
    "path": "../../../../etc/passwd",
    "union": "x' union select employee_name, base_salary from salaries --",
    "unicode": "Ω’; select 1/0; --\u202e",
}


def source_keys(page: str) -> set[str]:
    """Literal URL keys a page (and the pmo/ui modules) read with st.query_params."""
    text = (ROOT / page).read_text() + "".join(p.read_text() for p in (ROOT / "pmo" / "ui").glob("*.py"))
    keys = set(re.findall(r'query_params(?:\.get\(|\[)\s*"([A-Za-z_][\w]*)"', text))
    keys |= set(re.findall(r'url_choice\([^)]*?,\s*"([a-z_]+)",\s*"', text, re.S))
    return keys


def fuzz_keys(page: str, widget_keys: set[str]) -> list[str]:
    keys = set(BASE_KEYS) | source_keys(page) | {k for k in widget_keys if not k.startswith("_")}
    keys |= {"bv_" + d for d in budget.DIMENSIONS}
    return sorted(k for k in keys if re.fullmatch(r"[A-Za-z_][\w:.-]*", k))


def store_fingerprint(root) -> dict[str, str]:
    """sha256 of every file in the store (the audit log and the empty lock files aside)."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*"))
            if p.is_file() and "audit" not in p.relative_to(root).parts and not p.name.endswith(".lock")}


@pytest.fixture(scope="module")
def fuzz_store(sample_store_dir, tmp_path_factory):
    import shutil

    dest = tmp_path_factory.mktemp("fuzz") / "store"
    shutil.copytree(sample_store_dir, dest)
    return dest


@pytest.fixture()
def app_env(fuzz_store, monkeypatch):
    use_store(monkeypatch, fuzz_store)
    monkeypatch.setenv("STREAMLIT_CLIENT_SHOW_ERROR_DETAILS", "full")   # a failure names its cause
    return fuzz_store


def counts(root) -> dict:
    con = query.connect(Store(root)).con
    return {t: con.execute(f"select count(*) from {t}").fetchall()[0][0]
            for t in ("projects", "tasks", "financials", "salaries", "status_snapshots", "risks")}


@pytest.mark.parametrize("page", PAGES)
def test_injection_strings_in_every_url_parameter(app_env, page):
    first = AppTest.from_file(str(ROOT / page), default_timeout=90).run()
    assert not first.exception, [e.value for e in first.exception]
    # after the page's first plain visit, which may save its default results in the cache: the
    # payloads must change nothing beyond that (before, the test passed only when an earlier
    # test had visited the page)
    before, rows = store_fingerprint(app_env), counts(app_env)
    keys = fuzz_keys(page, set(first.session_state.keys()))
    assert {"portfolio", "as_of", "project"} <= set(keys)
    for name, payload in PAYLOADS.items():
        at = AppTest.from_file(str(ROOT / page), default_timeout=90)
        for key in keys:
            at.query_params[key] = payload
        at.run()
        assert not at.exception, (page, name, [e.value for e in at.exception])
        for e in at.error:
            assert "Traceback" not in e.value and 'File "' not in e.value, (page, name, e.value)
        # nothing of the payload is echoed as markup (Streamlit escapes text; no HTML is allowed)
        assert not any("<script>" in m.value for m in at.markdown if getattr(m, "allow_html", False)), (page, name)
    after = store_fingerprint(app_env)
    assert after == before, sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    assert counts(app_env) == rows


@pytest.mark.parametrize("page", PAGES)
def test_each_url_parameter_alone(app_env, page):
    """One key at a time, so a key the page checks early cannot hide a later one."""
    first = AppTest.from_file(str(ROOT / page), default_timeout=90).run()
    for key in fuzz_keys(page, set(first.session_state.keys())):
        at = AppTest.from_file(str(ROOT / page), default_timeout=90)
        at.query_params[key] = PAYLOADS["quote"]
        at.run()
        assert not at.exception, (page, key, [e.value for e in at.exception])
        for e in at.error:
            assert "Traceback" not in e.value, (page, key, e.value)
