"""Scoping, tested as a matrix (issue 16, point 9): for each role of a test roles.toml (viewer, a
viewer scoped to one portfolio, an analyst scoped to one portfolio, analyst, admin) and each channel
(every page's figures, tables, charts and text under AppTest, the CSV / Excel / SVG downloads the page
offers (their bytes, built as a click builds them), the meeting pack, saved views, the SQL explorer's
worker, the raw-file download on the Data page, the audit log page and `pmo sql` with PMO_ROLE), no
out-of-scope project id or name is reachable, and the names of individuals whose pay is in the HR
export appear only for roles that may see individual salaries.

tests/test_scoping.py proves the query layer (every relation, every query, user SQL) for one scope;
tests/test_salary_privacy.py the small-group suppression on every salary figure. This file checks
what reaches a person, channel by channel, on one copy of the sample store."""

from __future__ import annotations

import html
import io
import re
import shutil
import zipfile

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from pmo import auth, config, export, query, sandbox, saved_views
from pmo.auth import Scope
from pmo.safe_sql import SqlLimits, UnsafeSQL
from pmo.store import Store

from conftest import ROOT, run_pmo

pytestmark = pytest.mark.app

PORTFOLIO = "Digital Channels"
OTHER_PORTFOLIO = "Finance Transformation"
ROLES_TOML = f"""
[auth]
required = false
[roles.digital-viewer]
level = "viewer"
portfolios = ["{PORTFOLIO}"]
[roles.digital-analyst]
level = "analyst"
portfolios = ["{PORTFOLIO}"]
"""
ROLES = ["viewer", "digital-viewer", "digital-analyst", "analyst", "admin"]
SCOPED = {"digital-viewer", "digital-analyst"}
INDIVIDUALS = {"analyst", "admin"}        # config/pmo.toml [salaries] show_individuals_to
# pages are swept for the roles with something to hide: analyst and admin see every row and every
# individual (their raw-file, SQL and CLI channels are checked below, and the positive checks open
# pages as admin)
PAGE_ROLES = ["viewer", "digital-viewer", "digital-analyst"]
PAGES = ["dashboard.py", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))]
DATA_VIEWS = ("Upload", "Projects to match", "History", "Data quality", "Drop folder")
SKIP_BYTES = (".png", ".pdf")   # pictures of the charts the page draws (their data is in the page)


# ---- the store, the roles and what is out of bounds ---------------------------------------------
@pytest.fixture(scope="module")
def matrix(sample_store_dir, sample_con, tmp_path_factory):
    """A copy of the sample store (downloads and queries write the audit log), the roles file, and
    the markers: out-of-scope project ids and names, in-scope ids, and the names of people who are
    in the HR export only (whose name on a page can only come from salary rows)."""
    base = tmp_path_factory.mktemp("matrix")
    root = base / "store"
    shutil.copytree(sample_store_dir, root, ignore=shutil.ignore_patterns("audit"))
    roles = base / "roles.toml"
    roles.write_text(ROLES_TOML)

    projects = sample_con.sql("select project_id, project_name, portfolio from projects").pl()
    mine = projects.filter(pl.col("portfolio") == PORTFOLIO)
    others = projects.filter(pl.col("portfolio") != PORTFOLIO)
    in_names = mine["project_name"].to_list()
    out_names = [n for n in others["project_name"].drop_nulls().to_list()
                 if len(n) >= 6 and not any(n in m for m in in_names)]
    aliases = sample_con.execute(
        "select alias from _project_alias a join projects p using (project_id) where p.portfolio <> $p",
        {"p": PORTFOLIO}).fetchall()
    out_ids = others["project_id"].to_list() + [a for (a,) in aliases if len(a) >= 8]

    # names visible without any salary row (managers, owners, people logging time ...): every text
    # of the segments a role without salaries reads (the views only derive from them)
    public = query.connect(Store(root), scope=Scope(hide_salaries=True)).con
    seen: set[str] = set()
    for (rel,) in public.execute("select table_name from information_schema.tables where table_schema = 'main' "
                                 "and table_name like 'seg\\_%' escape '\\'").fetchall():
        for col, dtype in public.sql(f"select * from {rel} limit 0").pl().schema.items():
            if dtype == pl.String:
                seen |= {v for (v,) in public.execute(f'select distinct "{col}" from {rel}').fetchall() if v}
    text = "\n".join(seen)
    workers = sample_con.sql("select distinct employee_name from salaries").pl()["employee_name"].to_list()
    hr_only = [w for w in workers if w not in text]
    assert len(mine) == 10 and len(out_ids) >= 30 and len(out_names) >= 25
    assert len(hr_only) >= 5, hr_only
    return {"root": root, "roles": roles, "out_ids": out_ids, "out_names": out_names,
            "in_ids": mine["project_id"].to_list(), "hr_only": hr_only}


def leaks(haystack: str, m: dict, role: str, *, ids: bool = True) -> list[str]:
    """What of the out-of-bounds markers `haystack` holds for `role` (`ids=False`: names only, for a
    page opened with an out-of-scope id in its link, which the page may quote back)."""
    found = []
    if role in SCOPED and ids:
        found += [i for i in m["out_ids"] if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", haystack)]
    if role in SCOPED:
        found += [n for n in m["out_names"] if n in haystack]
    if role not in INDIVIDUALS:
        found += [w for w in m["hr_only"] if w in haystack]
    return found


def file_text(name: str, data: bytes) -> str:
    """A download as searchable text: CSV / SVG as they are, Excel and PowerPoint by their XML."""
    if name.endswith((".xlsx", ".pptx")):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return html.unescape("\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                                           if n.endswith(".xml")))
    return data.decode("utf-8", "replace")


@pytest.fixture()
def deferred(monkeypatch):
    """Every download a run offers: (file name, the callable a click runs)."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    offered: list[tuple[str, object]] = []
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        offered.append((file_name or "", data_callable))
        return original(self, data_callable, mimetype, coordinates, file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return offered


@pytest.fixture()
def as_role(matrix, monkeypatch):
    monkeypatch.setenv("PMO_DATA_DIR", str(matrix["root"]))
    monkeypatch.setenv("PMO_ROLES_FILE", str(matrix["roles"]))
    monkeypatch.setenv("STREAMLIT_CLIENT_SHOW_ERROR_DETAILS", "full")
    monkeypatch.chdir(ROOT)

    def use(role: str):
        monkeypatch.setenv("PMO_ROLE", role)
    return use


def _nodes(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def reached(at, offered, *, skip_toasts: bool = False) -> str:
    """Everything a run sent to the browser (every element's proto: text, table and chart data) and
    every download it offered, built (the meeting pack without its chart pictures)."""
    parts = []
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None or (skip_toasts and proto.DESCRIPTOR.name == "Toast"):
            continue
        parts.append(proto.SerializeToString().decode("utf-8", "replace"))
    for name, make in offered:
        if not name.endswith(SKIP_BYTES):
            data = make()
            parts.append(file_text(name, data if isinstance(data, bytes) else str(data).encode()))
    if "_share_view" in at.session_state:
        view = at.session_state["_share_view"]
        view.pack.meta = view.meta()
        pack = export.Pack(view.pack.meta, view.pack.kpi_rows, [], view.pack.tables)
        parts.append(file_text("pack.pptx", export.pack_pptx(pack)))
    return "\n".join(parts)


def open_page(page: str, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / page), default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def runs(page: str, role: str):
    """The runs that make up one page: the Data page once per view (once for a viewer, who is
    refused), the Project page on an in-scope project."""
    if page.endswith("_Data.py"):
        return [{"data_view": v} for v in (DATA_VIEWS if role != "viewer" else DATA_VIEWS[:1])]
    if page.endswith("_Project.py"):
        return [{"project": "PRJ-1001"}]
    return [{}]


# ---- pages, downloads, the meeting pack, the audit log ------------------------------------------
@pytest.mark.parametrize("role", PAGE_ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_and_its_downloads_stay_in_scope(matrix, as_role, deferred, role, page):
    as_role(role)
    for params in runs(page, role):
        deferred.clear()
        at = open_page(page, **params)
        assert not at.exception, (role, page, params, [e.value for e in at.exception])
        found = leaks(reached(at, deferred), matrix, role)
        assert not found, (role, page, params, found[:10])
        if page.endswith("_Audit.py"):
            assert bool(at.dataframe) == (role == "admin"), role     # the log is for admins only
        if page.endswith("_Data.py") and params["data_view"] == "History" and role != "viewer":
            raw = [d for d in at.get("download_button") if d.proto.label == "Download the raw file"]
            # a scoped role gets no raw file at all (docs/security.md); others get the picked one
            assert bool(raw) == (role not in SCOPED), (role, [d.proto.label for d in at.get("download_button")])


def test_the_markers_are_found_where_they_may_be(matrix, as_role, deferred):
    """The checks above can fail: unscoped pages name out-of-scope projects, the salary page names
    HR-only people to a role that may see individuals, and a scoped page names its own projects."""
    as_role("admin")
    at = open_page("pages/1_Portfolio_Health.py")
    assert leaks(reached(at, deferred), matrix, "digital-viewer")
    deferred.clear()
    at = open_page("pages/3_Salary_Benchmarks.py")
    assert leaks(reached(at, deferred), matrix, "viewer")
    as_role("digital-viewer")
    deferred.clear()
    at = open_page("pages/1_Portfolio_Health.py")
    text = reached(at, deferred)
    assert sum(i in text for i in matrix["in_ids"]) >= 5
    assert any(name.endswith(".csv") for name, _ in deferred)       # the downloads were built and read


# ---- raw files of every ingest, for each role that may open the History view ----------------
@pytest.mark.parametrize("role", ["analyst", "admin"])
def test_raw_files_are_offered_whole_only_to_unscoped_roles_personal_files_only_with_individuals(
        matrix, as_role, deferred, role):
    as_role(role)
    store = Store(matrix["root"])
    at = open_page("pages/4_Data.py", data_view="History")
    picked = {}
    for ing in store.manifest().ingests:
        if ing["file_name"].startswith(("workday_pmo_compensation", "fpna_ledger")):
            deferred.clear()
            at.selectbox(key="data_ingest_pick").set_value(ing["ingest_id"]).run()
            raw = [d for d in at.get("download_button") if d.proto.label == "Download the raw file"]
            picked[ing["file_name"]] = bool(raw)
    assert picked and all(picked.values()), picked     # analysts and admins may see individuals here


# ---- saved views: a view saved with an out-of-scope filter shows nothing out of scope ---------
@pytest.mark.parametrize("role", sorted(SCOPED))
def test_a_saved_view_with_out_of_scope_values_shows_only_the_scope(matrix, as_role, deferred, role):
    as_role(role)
    out_project = next(i for i in matrix["out_ids"] if i.startswith("PRJ-"))
    params = {"portfolio": OTHER_PORTFOLIO, "project": out_project}
    for page in ("pages/1_Portfolio_Health.py", "pages/2_Budget_Variance.py", "pages/6_Project.py"):
        saved_views.save_view(matrix["root"], "local", f"other portfolio {page}", page, params)
        deferred.clear()
        at = open_page(page, **params)
        assert not at.exception, (role, page, [e.value for e in at.exception])
        # a notice or the share link may quote the link's own id back: that is the user's text, not
        # data; no name of an out-of-scope project may appear
        found = leaks(reached(at, deferred, skip_toasts=True), matrix, role, ids=False)
        assert not found, (role, page, found[:10])


# ---- SQL: the explorer's worker and `pmo sql` with PMO_ROLE ----------------------------------
SQL = ["select * from projects", "select * from salaries", "select * from risks",
       "select * from tasks", "select * from financials", "select * from status_snapshots",
       "select * from seg_projects", "select * from seg_salaries", "select * from _project_alias",
       "select * from project_health", "select * from budget_variance",
       "select * from ingests"]          # file and source names can name a project


@pytest.mark.parametrize("role", ROLES)
def test_the_sql_explorer_worker_returns_only_the_roles_rows(matrix, role, monkeypatch):
    monkeypatch.setenv("PMO_ROLE", role)
    monkeypatch.setenv("PMO_ROLES_FILE", str(matrix["roles"]))
    cfg = config.load(matrix["root"])
    r = auth.local_role(auth.load(cfg, matrix["root"]))
    assert r.name == role
    store = Store(matrix["root"])
    salary_rows = 0
    for sql in SQL:
        try:
            df, _ = sandbox.run(store.root, store.current_version(), r.sql_scope(), sql, SqlLimits.from_config(cfg))
        except UnsafeSQL as exc:          # a relation a scoped connection does not have is refused
            assert role in SCOPED and sql.startswith("select * from seg_"), (role, sql, exc)
            continue
        text = export.flatten(df).write_csv()          # nested columns as JSON text, as the download has them
        assert not leaks(text, matrix, role), (role, sql, leaks(text, matrix, role)[:10])
        if "salaries" in sql:
            salary_rows += df.height
    assert (salary_rows > 0) == (role in INDIVIDUALS), (role, salary_rows)


@pytest.mark.parametrize("role", ROLES)
def test_pmo_sql_with_pmo_role_returns_only_the_roles_rows(matrix, role):
    env = {"PMO_ROLE": role, "PMO_ROLES_FILE": str(matrix["roles"])}
    query_text = ("select project_id, project_name from projects union all "
                  "select employee_name, job_title from salaries")
    out = run_pmo("sql", query_text, "--format", "csv", data_dir=matrix["root"], env=env, timeout=900)
    assert out.returncode == 0, out.stderr
    assert not leaks(out.stdout, matrix, role), (role, leaks(out.stdout, matrix, role)[:10])
    assert ("PRJ-10" in out.stdout)                     # every role sees some projects
    assert any(w in out.stdout for w in matrix["hr_only"]) == (role in INDIVIDUALS), role
