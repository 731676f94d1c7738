"""Computed RAG in the project_health view: every threshold edge, grey, overall = worst, the
configuration, and the reason sentences; plus the pure helpers in pmo.health.

Defaults (config/pmo.toml [health]): schedule slip or cost overrun more than 10% amber, 20% or
more red; CPI or SPI below 0.95 amber, below 0.90 red; no baseline grey.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest
from helpers.canonical import connect

from pmo import config, health

AS_OF = date(2026, 6, 30)
START, FINISH = AS_OF - timedelta(days=50), AS_OF + timedelta(days=50)   # 100-day baseline, PV = 50%
BAC = 100_000.0


def case(pid: str, *, pct: float = 0.5, ac: float = 50_000.0, slip: int = 0, baseline: bool = True,
         budget: float | None = BAC, tasks: list | None = None) -> dict:
    """One project on the 100-day baseline: by default SPI 1.0, CPI 1.0, no slip."""
    return {
        "project": {"project_id": pid, "project_name": pid, "portfolio": "Edges", "stage": "Execution",
                    "currency": "USD", "budget_original": budget,
                    "baseline_start_date": START if baseline else None,
                    "baseline_finish_date": FINISH if baseline else None},
        "snapshot": {"project_id": pid, "as_of": AS_OF, "percent_complete": pct, "actual_cost": ac,
                     "budget": budget, "finish_date": FINISH + timedelta(days=slip)},
        "tasks": tasks or [],
    }


def work_tasks(pid: str, estimate: float, actual: float, remaining: float) -> list[dict]:
    return [{"task_id": f"{pid}-1", "project_id": pid, "task_name": "Build", "estimate_hours": estimate,
             "actual_hours": actual, "remaining_hours": remaining}]


CASES = [
    # schedule slip as a share of the 100-day baseline
    case("slip_10", slip=10),              # exactly 10%: not more than 10% -> green
    case("slip_11", slip=11),              # 11% -> amber
    case("slip_19", slip=19),              # 19% -> amber
    case("slip_20", slip=20),              # exactly 20%: 20% or more -> red
    case("slip_early", slip=-30),          # 30 days early -> green
    # SPI = EV / 50,000 (AC 10,000 keeps CPI green)
    case("spi_0.95", pct=0.475, ac=10_000),     # 47,500 / 50,000 = 0.95 -> green
    case("spi_0.9499", pct=0.47495, ac=10_000),  # 0.9499 -> amber
    case("spi_0.90", pct=0.45, ac=10_000),      # 0.90: not below 0.90 -> amber
    case("spi_0.8999", pct=0.44995, ac=10_000),  # 0.8999 -> red
    # CPI = EV / AC with EV 95,000 etc. (SPI >= 1.8 stays green)
    case("cpi_0.95", pct=0.95, ac=100_000),     # 0.95 -> green (EAC 5.3% over BAC: green)
    case("cpi_0.9499", pct=0.9499, ac=100_000),  # 0.9499 -> amber
    case("cpi_0.90", pct=0.90, ac=100_000),     # 0.90 -> amber (EAC 11.1% over: amber)
    case("cpi_0.8999", pct=0.8999, ac=100_000),  # 0.8999 -> red
    # grey
    case("no_baseline", baseline=False),        # schedule grey; cost judged (green)
    case("no_budget", budget=None),             # cost grey; schedule judged (green)
    case("nothing", baseline=False, budget=None),
    # overall = worst: schedule amber (slip 15%) + cost red (CPI 0.5)
    case("worst", slip=15, ac=100_000),
    # work vs the original estimate (Jira-like: estimate differs from actual + remaining)
    case("work_10", tasks=work_tasks("work_10", 100, 60, 50)),    # 110 h vs 100 h = 10% -> green
    case("work_11", tasks=work_tasks("work_11", 100, 60, 51)),    # 11% -> amber
    case("work_20", tasks=work_tasks("work_20", 100, 80, 40)),    # 20% -> red
    # a plan's Work field (= actual + remaining on every task): nothing to compare
    case("work_plan", tasks=work_tasks("work_plan", 100, 60, 40)),
    # grey schedule and cost: green work alone does not make it green, red work does make it red
    case("grey_work_green", baseline=False, budget=None, tasks=work_tasks("grey_work_green", 100, 60, 45)),
    case("grey_work_red", baseline=False, budget=None, tasks=work_tasks("grey_work_red", 100, 90, 40)),
]


def build(root, config_toml: str | None = None, cases=CASES):
    return connect(root, {
        "projects": [c["project"] for c in cases],
        "status_snapshots": [c["snapshot"] for c in cases],
        "tasks": [t for c in cases for t in c["tasks"]] or [],
    }, config_toml=config_toml)


@pytest.fixture(scope="module")
def rated(tmp_path_factory) -> dict[str, dict]:
    con = build(tmp_path_factory.mktemp("rag") / "s")
    return {r["project_id"]: r for r in con.sql("select * from project_health").pl().iter_rows(named=True)}


@pytest.mark.parametrize("pid, expected", [
    ("slip_10", "green"), ("slip_11", "amber"), ("slip_19", "amber"), ("slip_20", "red"),
    ("slip_early", "green"),
    ("spi_0.95", "green"), ("spi_0.9499", "amber"), ("spi_0.90", "amber"), ("spi_0.8999", "red"),
    ("no_baseline", "grey"), ("nothing", "grey"), ("no_budget", "green"),
])
def test_schedule_thresholds(rated, pid, expected):
    assert rated[pid]["schedule_health"] == expected, rated[pid]["schedule_reason"]


@pytest.mark.parametrize("pid, expected", [
    ("cpi_0.95", "green"), ("cpi_0.9499", "amber"), ("cpi_0.90", "amber"), ("cpi_0.8999", "red"),
    ("no_budget", "grey"), ("nothing", "grey"), ("no_baseline", "green"), ("slip_20", "green"),
])
def test_cost_thresholds(rated, pid, expected):
    assert rated[pid]["cost_health"] == expected, rated[pid]["cost_reason"]


@pytest.mark.parametrize("pid, expected", [
    ("work_10", "green"), ("work_11", "amber"), ("work_20", "red"), ("work_plan", None), ("slip_10", None),
])
def test_work_thresholds(rated, pid, expected):
    assert rated[pid]["work_health"] == expected, rated[pid]["work_reason"]


@pytest.mark.parametrize("pid, expected", [
    ("worst", "red"), ("slip_11", "amber"), ("work_20", "red"), ("cpi_0.95", "green"),
    ("nothing", "grey"), ("no_baseline", "green"), ("grey_work_green", "grey"), ("grey_work_red", "red"),
])
def test_overall_is_the_worst_dimension(rated, pid, expected):
    assert rated[pid]["overall_health"] == expected, rated[pid]["health_reason"]


def test_slip_days_and_share(rated):
    assert rated["slip_20"]["schedule_slip_days"] == 20
    assert rated["slip_20"]["schedule_slip_pct"] == pytest.approx(0.20)
    assert rated["slip_early"]["schedule_slip_days"] == -30


def test_reasons_name_the_rule_and_the_inputs(rated):
    assert rated["slip_20"]["schedule_reason"] == (
        f"Schedule red: finish {FINISH + timedelta(days=20):%-d %b %Y} is 20 days after baseline "
        f"{FINISH:%-d %b %Y} (20.0% of the 100-day baseline; 20% or more is red) · SPI 1.00 is at or "
        "above 0.95")
    assert rated["slip_11"]["schedule_reason"].startswith("Schedule amber: finish")
    assert "(11.0% of the 100-day baseline; more than 10% is amber)" in rated["slip_11"]["schedule_reason"]
    # on a threshold after rounding to two decimals, four are shown: 0.8999 is not "0.90 below 0.90"
    assert "SPI 0.8999 is below 0.90" in rated["spi_0.8999"]["schedule_reason"]
    assert "SPI 0.90 is below 0.95" in rated["spi_0.90"]["schedule_reason"]
    assert rated["cpi_0.8999"]["cost_reason"].startswith("Cost red: CPI 0.8999 is below 0.90 · EAC $111K (BAC ÷ CPI)")
    assert rated["no_baseline"]["schedule_reason"] == "Schedule grey: no baseline dates, so no schedule variance"
    assert rated["no_budget"]["cost_reason"] == "Cost grey: no budget (BAC)"
    assert rated["work_20"]["work_reason"] == (
        "Work red: actual + remaining 120 h is 20.0% over the 100 h original estimate (20% or more is red)")
    # the overall reason leads with the worst dimension and leaves green ones out
    assert rated["worst"]["health_reason"].startswith("Cost red: CPI 0.50 is below 0.90")
    assert "Schedule amber: finish" in rated["worst"]["health_reason"]
    # a green project says why it is green
    assert rated["cpi_0.95"]["health_reason"].startswith("Schedule green:")
    assert "Cost green: CPI 0.95 is at or above 0.95" in rated["cpi_0.95"]["health_reason"]


def test_issue_reason_example(tmp_path):
    # BAC $1.00M, CPI 0.85 -> EAC 1,000,000 / 0.85 = $1.18M, 17.6% over BAC
    c = case("big", pct=0.85, ac=1_000_000, budget=1_000_000)
    con = build(tmp_path / "s", cases=[c])
    reason = con.sql("select cost_reason from project_health").fetchall()[0][0]
    assert reason == ("Cost red: CPI 0.85 is below 0.90 · EAC $1.18M (BAC ÷ CPI) is 17.6% over BAC $1.00M "
                      "(more than 10% is amber)")


def test_thresholds_come_from_the_store_config(tmp_path):
    # stricter: 5% / 8% overrun, CPI/SPI 0.99 / 0.97; EAC = AC + (BAC - EV); overall ignores work
    con = build(tmp_path / "s", config_toml="""
[health]
overrun_amber = 0.05
overrun_red = 0.08
index_amber = 0.99
index_red = 0.97
eac_method = "plan"
overall = "worst_schedule_cost"
""")
    h = {r[0]: r[1:] for r in con.sql(
        "select project_id, schedule_health, cost_health, overall_health, eac from project_health").fetchall()}
    assert h["slip_10"][0] == "red"            # 10% >= 8%
    assert h["spi_0.95"][0] == "red"           # 0.95 < 0.97
    assert h["cpi_0.95"][1] == "red"           # 0.95 < 0.97
    assert h["cpi_0.95"][3] == pytest.approx(105_000)   # 100,000 + (100,000 - 95,000)
    assert h["work_20"][2] == "green"          # work red, but not counted
    settings = con.sql("select * from settings_health").pl().row(0, named=True)
    assert settings["overrun_red"] == 0.08 and settings["config_problem"] is None


@pytest.mark.parametrize("toml, problem", [
    ('overrun_amber = "ten"', "overrun_amber = 'ten' is not a number"),
    ("index_red = 0.99", "index_red (0.99) is above index_amber"),
    ('eac_method = "magic"', "eac_method = 'magic' is not one of cpi, plan, cpi_spi"),
    ("overrun_amber = 0.5", "overrun_amber (0.5) is above overrun_red"),
])
def test_bad_config_falls_back_to_defaults_and_says_so(toml, problem):
    frame = health.settings_frame({"health": {**config.load()["health"], **_toml(toml)}})
    row = frame.row(0, named=True)
    assert problem in row["config_problem"]
    assert (row["overrun_amber"], row["overrun_red"], row["index_amber"], row["index_red"]) == (0.10, 0.20, 0.95, 0.90)


def _toml(text: str) -> dict:
    import tomllib
    return tomllib.loads(text)


def test_shipped_config_documents_the_defaults():
    values, problems = health.read_settings(config.load())
    assert problems == []
    assert values == health.DEFAULTS


# ---------------------------------------------------------------------------------------------
# Pure helpers
# ---------------------------------------------------------------------------------------------

def test_short_reason_lists_the_inputs_of_amber_and_red_dimensions():
    row = {"schedule_health": "red", "schedule_slip_days": 139, "spi": 0.68, "cost_health": "amber",
           "cpi": 0.93, "cost_overrun_pct": 0.076, "work_health": "green"}
    assert health.short_reason(row) == "Schedule red: 139 days late, SPI 0.68 · Cost amber: CPI 0.93, EAC 8% over BAC"
    assert health.short_reason({"schedule_health": "green", "cost_health": "green"}) == "No amber or red dimension."


def test_delta_text_and_since():
    assert health.delta_text(8, 5) == "+3"
    assert health.delta_text(0.86, 0.91, "ratio") == "-0.05"
    assert health.delta_text(80_730_000, 80_652_000, "money") == "+$78K"
    assert health.delta_text(1, None) is None
    assert health.since_text(date(2026, 10, 30)) == "since 30 Oct 2026"


def test_changes_when_nothing_to_compare():
    empty = pl.DataFrame(schema={"as_of": pl.Date, "project_id": pl.String, "project_name": pl.String,
                                 "overall_health": pl.String, "health_reason": pl.String})
    assert health.changes(empty, date(2026, 11, 20), date(2026, 10, 30)).is_empty()
    assert health.changes(empty, date(2026, 11, 20), None).is_empty()


def test_rules_text_states_the_thresholds():
    text = health.rules_markdown(health.DEFAULTS)
    assert "more than 10%" in text and "20% or more" in text and "below 0.95" in text and "below 0.90" in text
    assert "BAC ÷ CPI" in text


def test_pagination_helpers():
    assert health.page_count(0) == 1 and health.page_count(25) == 1 and health.page_count(26) == 2
    assert health.sort_key("cpi") == "cpi" and health.sort_key(None) == "health"


def test_every_health_key_is_documented():
    from pmo.config import ROOT

    docs = (ROOT / "docs" / "configuration.md").read_text()
    section = docs.split("## health", 1)[1].split("\n## ", 1)[0]
    for key in config.load()["health"]:
        assert f"| `{key}` |" in section, key
    assert set(config.load()["health"]) == set(health.DEFAULTS)
