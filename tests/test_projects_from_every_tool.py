"""Projects come from every export that describes them: each tool's test file alone in an empty store
shows its projects on Portfolio health and the Project page; next to the sample data it either
matches the sample's projects or is listed to match on the Data page. Which source wins for which
field is configuration; an analyst's link is kept as a version and replayed by `pmo rebuild`."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from helpers.canonical import make_store
from pmo import project_links, query
from pmo.ui import safe
from pmo.ingest import ingest_files, rebuild, rollback
from pmo.store import Store

from conftest import FIXTURES, ROOT

EVERY = dict.fromkeys(("portfolio", "program", "department", "manager", "stage"))

# tool file -> the project ids it describes (as the pages show them, alone in a store)
TOOLS = {
    "asana/brand_refresh.csv": ["Brand Refresh 2026"],
    "azure_devops/payments_query.csv": ["Fabrikam"],
    "clarity/investments.csv": ["PR00231", "PR00240", "PR00252"],
    "jira/cloud_all_fields.csv": ["OPS", "PAY"],
    "ledger/project_costs.csv": ["PRJ-1", "PRJ-2"],
    "msproject/website_relaunch_grid.csv": ["Website relaunch"],
    "oracle/expenditures.csv": ["PRJ-2026-014", "PRJ-2026-021"],
    "sap/cji3_actuals_2025-11.csv": ["P-100200"],
    "servicenow/pm_project.csv": ["PRJ0010042", "PRJ0010057"],
    "servicenow/project_status.csv": ["Data centre exit – Frankfurt", "HR system consolidation"],
    "smartsheet/PMO Portfolio.csv": ["PRJ-2001", "PRJ-2002"],
    "raid_log/pmo_raid_log_2026-11-20.csv": ["PRJ-1021", "PRJ-1023", "PRJ-1028", "PRJ-1034"],
    "gate_log/pmo_gate_log_2026-11-20.csv": ["PRJ-1021", "PRJ-1028", "PRJ-1034", "PRJ-1040"],
    "tempo/worklogs_2026-11.csv": ["CRM", "PAY"],
    "allocation_sheet/float_schedule_2026-11.csv": ["PRJ-1012", "PRJ-1034", "PRJ-1037"],
}


def alone(tmp_path, name: str) -> Store:
    store = Store(tmp_path / "store")
    ingest_files(store, [FIXTURES / name], as_of=date(2026, 11, 20))
    return store


@pytest.mark.parametrize("name", list(TOOLS))
def test_a_tools_file_alone_shows_its_projects_on_the_pages(name, tmp_path, monkeypatch):
    store = alone(tmp_path, name)
    projects = query.connect(store).query("portfolio_health_projects", **EVERY, as_of=None, eac_method=None)
    assert sorted(projects["project_id"].to_list()) == sorted(TOOLS[name])
    # a colour where the data allows one, else grey with the reason
    for row in projects.iter_rows(named=True):
        assert row["overall_health"] in ("red", "amber", "green", "grey")
        assert row["health_reason"], row
        if row["overall_health"] == "grey":
            assert "grey" in row["health_reason"]

    monkeypatch.setenv("PMO_DATA_DIR", str(store.root))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "pages/1_Portfolio_Health.py"), default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    table = next(df.value for df in at.dataframe if "health_history" in df.value.columns)
    assert sorted(table["project_id"].to_list()) == sorted(
        projects.filter(projects["is_active"])["project_id"].to_list())
    first = TOOLS[name][0]
    at = AppTest.from_file(str(ROOT / "pages/6_Project.py"), default_timeout=120)
    at.query_params["project"] = first
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value.startswith(safe.md(first))


@pytest.fixture(scope="module")
def sample_copy_factory(sample_store_dir, tmp_path_factory):
    def make() -> Store:
        root = tmp_path_factory.mktemp("beside-sample") / "store"
        shutil.copytree(sample_store_dir, root, ignore=shutil.ignore_patterns("audit", "cache"))
        return Store(root)
    return make


REGISTER_TOOLS = {"clarity/investments.csv", "servicenow/pm_project.csv", "msproject/website_relaunch_grid.csv"}


@pytest.mark.parametrize("name", [n for n in TOOLS if n not in REGISTER_TOOLS])
def test_beside_the_sample_each_project_matches_or_is_listed_to_match(name, sample_copy_factory):
    store = sample_copy_factory()
    ingest_files(store, [FIXTURES / name], as_of=date(2026, 11, 20))
    rt = query.connect(store)
    register = set(rt.query("register_projects")["project_id"].to_list())
    aliases = dict(rt.sql("select alias, project_id from _project_alias").iter_rows())
    unmatched = set(rt.query("projects_to_match")["project_id"].to_list())
    for pid in TOOLS[name]:
        target = pid if pid in register else aliases.get(pid)
        assert (target in register) or (pid in unmatched), (pid, target)


def test_register_tools_beside_the_sample_add_register_projects(sample_copy_factory):
    store = sample_copy_factory()
    ingest_files(store, [FIXTURES / "servicenow/pm_project.csv"], as_of=date(2026, 11, 20))
    rt = query.connect(store)
    assert {"PRJ0010042", "PRJ0010057"} <= set(rt.query("register_projects")["project_id"].to_list())
    assert rt.query("projects_to_match").is_empty()


def test_jira_keys_of_the_sample_merge_into_the_register_projects(sample_con):
    rows = sample_con.execute("""select project_id, project_name, list_has_any(sources, ['jira:issues:DATA'])
                                 from projects where project_id = 'PRJ-1013'""").fetchall()
    assert rows == [("PRJ-1013", "Enterprise Data Platform", True)]
    assert sample_con.execute("select count(*) from projects where project_id in ('MOB', 'DATA')").fetchone() == (0,)


# ---- precedence from configuration (hand-made stores) --------------------------------------------

REGISTER = {"project_id": "P1", "project_name": "Alpha register", "manager": None, "percent_complete": 0.40,
            "start_date": date(2026, 1, 5), "finish_date": date(2026, 12, 18), "budget_original": 1000.0,
            "currency": "USD", "source": "msproject:projectdata", "external_ids": ["ALPHA"]}
TRACKER = {"project_id": "ALPHA", "project_name": "Alpha (Jira)", "manager": "Dana Ortiz",
           "source": "jira:issues:ALPHA", "external_ids": []}
TASKS = [{"task_id": "A-1", "project_id": "ALPHA", "status_category": "done", "percent_complete": 1.0,
          "start_date": date(2026, 1, 1), "finish_date": date(2026, 2, 1), "source": "jira:issues:ALPHA"},
         {"task_id": "A-2", "project_id": "ALPHA", "status_category": "todo", "percent_complete": 0.0,
          "start_date": date(2026, 2, 1), "finish_date": date(2027, 1, 29), "source": "jira:issues:ALPHA"}]


def merged(tmp_path, config_toml: str | None = None) -> dict:
    store = make_store(tmp_path / "s", {"projects": [REGISTER, TRACKER], "tasks": TASKS}, config_toml=config_toml)
    return query.connect(store).sql("select * from projects").row(0, named=True)


def test_each_field_group_takes_the_first_kind_of_export_that_gives_it(tmp_path):
    p = merged(tmp_path)
    assert p["project_id"] == "P1"
    assert p["project_name"] == "Alpha register"         # identity: the register first
    assert p["manager"] == "Dana Ortiz"                   # the register gives none: the tracker's
    assert p["finish_date"] == date(2026, 12, 18)         # dates: the register's
    assert p["percent_complete"] == pytest.approx(0.5)    # progress: the task tool's (1 of 2 leaf tasks done)
    assert p["budget"] == pytest.approx(1000.0)
    assert sorted(p["sources"]) == ["jira:issues:ALPHA", "msproject:projectdata"]


def test_the_precedence_is_configuration_not_sql(tmp_path):
    p = merged(tmp_path, config_toml='[projects.precedence]\nprogress = ["register", "task"]\n'
                                     'identity = ["task", "register"]\n')
    assert p["percent_complete"] == pytest.approx(0.40)
    assert p["project_name"] == "Alpha (Jira)"


def test_a_name_matches_the_register_when_only_one_project_has_it(tmp_path):
    store = make_store(tmp_path / "s", {
        "projects": [{**REGISTER, "external_ids": []}],
        "tasks": [{"task_id": "T1", "project_id": "alpha   REGISTER", "source": "asana:Alpha"}]})
    rt = query.connect(store)
    assert rt.sql("select alias, project_id, matched_by from _project_alias").rows() == [
        ("alpha   REGISTER", "P1", "same name as the register's project")]
    assert rt.sql("select project_id from tasks").rows() == [("P1",)]


# ---- an analyst's decision, kept as a version ----------------------------------------------------

def test_a_link_is_published_replayed_by_rebuild_and_undone_by_rollback(sample_copy_factory):
    store = sample_copy_factory()
    ingest_files(store, [FIXTURES / "asana/brand_refresh.csv"], as_of=date(2026, 11, 20))
    before = store.current_version()
    rt = query.connect(store)
    assert "Brand Refresh 2026" in rt.query("projects_to_match")["project_id"].to_list()

    version = project_links.decide(store, "Brand Refresh 2026", link_to="PRJ-1008", user="ana@example.com")
    assert version == before + 1
    linked = query.connect(store)
    assert linked.query("projects_to_match").is_empty()
    assert linked.sql("select count(*) as n from tasks where project_id = 'PRJ-1008' "
                      "and source like 'asana:%'")["n"][0] == 7
    assert linked.query("project_link_decisions").select("alias", "project_id", "decision").rows() == [
        ("Brand Refresh 2026", "PRJ-1008", "link")]

    rebuild(store)                                      # from the kept raw files alone
    assert query.connect(store).query("project_link_decisions").height == 1
    rollback(store, before)
    assert "Brand Refresh 2026" in query.connect(store).query("projects_to_match")["project_id"].to_list()


def test_keeping_a_project_apart_stops_it_being_listed_and_matched_by_name(tmp_path):
    store = make_store(tmp_path / "s", {
        "projects": [{**REGISTER, "external_ids": []}],
        "tasks": [{"task_id": "T1", "project_id": "Alpha register", "source": "asana:Alpha"}]})
    assert query.connect(store).sql("select count(*) as n from _project_alias")["n"][0] == 1
    project_links.decide(store, "Alpha register", link_to=None, user="ana")
    rt = query.connect(store)
    assert rt.sql("select count(*) as n from _project_alias")["n"][0] == 0
    assert sorted(rt.sql("select project_id from projects")["project_id"].to_list()) == ["Alpha register", "P1"]
    assert rt.query("projects_to_match").is_empty()


# ---- the as-of picker offers only dates at which some project has a status -----------------------

def test_status_dates_are_dates_some_project_has_a_status(sample_copy_factory):
    store = sample_copy_factory()
    ingest_files(store, [FIXTURES / "servicenow/project_status.csv"])
    rt = query.connect(store)
    offered = set(rt.query("filter_options").filter(rt.query("filter_options")["dimension"] == "as_of")["value"])
    for d in offered:
        kpis = rt.query("portfolio_health_kpis", **EVERY, as_of=date.fromisoformat(d))
        assert kpis.filter(kpis["period"] == "current")["active_projects"][0] > 0, d
