"""The Prioritisation and PMO maturity pages under AppTest: on the sample store (the story the
sample tells, a filter changing the figures) and on hand-made stores with figures worked by hand,
including a link that restores forced choices and a viewer who cannot write."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import ROOT
from helpers import app
from helpers.app import metrics as cards
from helpers.canonical import make_store

pytestmark = pytest.mark.app

PRIORITY = "pages/11_Prioritisation.py"
MATURITY = "pages/12_Maturity.py"


def open_page(page: str, **query):
    """The page as the menu opens it; an st.error is allowed (a hand-made store's weights add up
    to 200 on purpose, and the page says so)."""
    return app.open_page(page, errors_ok=True, **query)


# ---- sample store ----------------------------------------------------------------------------
@pytest.fixture()
def sample_env(sample_store_dir, monkeypatch):
    monkeypatch.setenv("PMO_DATA_DIR", str(sample_store_dir))
    monkeypatch.chdir(ROOT)


def test_prioritisation_on_the_sample_store(sample_env):
    at = open_page(PRIORITY)
    shown = cards(at)
    # 40 projects, 3 closed: 37 candidates; the sample company's FY27 envelope is 70M
    assert shown["Candidate projects"] == "37"
    assert shown["Budget (scenario)"] == "$70.00M"
    assert shown["Candidates not fully scored"] == "2"          # PRJ-1010 and PRJ-1040
    cost = float(shown["Cost of the selection"].strip("$M"))
    assert 65 < cost <= 70
    digital = cards(open_page(PRIORITY, portfolio="Digital Channels"))
    assert int(digital["Candidate projects"]) < 37


def test_role_capacity_on_the_sample_store(sample_env):
    """The sample's HR export and allocations: after the last logged day (20 Nov 2026) the two Scrum
    Masters have 864 h in FY2027 Q1 (Dec-Feb, December fiscal year) while the open projects' plans
    book 1,646 h on the role (806 h on the two people, the rest on unnamed Scrum Master placeholders):
    the budget alone selects 35 projects, the capacity 32, leaving out Scrum Master-hungry ones."""
    off = open_page(PRIORITY)
    assert off.toggle(key="capacity").value is False
    assert not [d for d in off.dataframe if "capacity_role" in d.value.columns]
    at = open_page(PRIORITY, capacity="true")
    assert not at.exception
    assert at.toggle(key="capacity").value is True
    before, after = cards(off), cards(at)
    assert (before["Projects selected"], after["Projects selected"]) == ("35", "32")
    assert float(after["Total score of the selection"].replace(",", "")) < \
        float(before["Total score of the selection"].replace(",", ""))
    table = next(d.value for d in at.dataframe if "selection_reason" in d.value.columns)
    reasons = [r for r in table["selection_reason"] if "would need" in r]
    assert len(reasons) == 4 and all("Scrum Master · FY2027 Q1 would need" in r for r in reasons)
    assert all(r.endswith("of 864 h available") for r in reasons)
    use = next(d.value for d in at.dataframe if "capacity_role" in d.value.columns)
    sm = use[(use["capacity_role"] == "Scrum Master") & (use["capacity_period"] == "FY2027 Q1")].iloc[0]
    assert (sm["role_capacity_hours"], sm["available_hours"]) == (864, 864)
    assert sm["selected_demand_hours"] <= 864 and (use["spare_hours"] >= 0).all()
    assert any("4 projects left out because a role would run short" in c.value for c in at.caption)


def test_maturity_on_the_sample_store(sample_env):
    at = open_page(MATURITY)
    shown = cards(at)
    # 2026 H1: levels 3, 2, 2, 2, 3, 1, 2 -> 15 / 7 = 2.14; 2025 H2: 1, 1, 1, 2, 1, 0, 1 -> 7 / 7 = 1.00
    assert shown["Overall maturity"] == "2.14"
    assert shown["Functions at target"] == "1"                  # RAID at 3; reporting's target is 4
    assert shown["Answers the data contradicts"] == "1"         # RAID-1 'Managed', about 75% clean
    assert any("RAID" in w.value for w in at.warning)
    old = cards(open_page(MATURITY, assessment="2025 H2"))
    assert old["Overall maturity"] == "1.00"


# ---- hand-made stores --------------------------------------------------------------------------
CONFIG = """
[prioritisation]
weights = { "Value" = 100 }
lower_is_better = []
budget = 10000000
"""


def project(pid: str, portfolio: str, budget: float) -> dict:
    return {"project_id": pid, "project_name": f"Project {pid}", "portfolio": portfolio, "stage": "Execution",
            "budget": budget, "currency": "USD", "budget_original": budget}


@pytest.fixture()
def hand_store(tmp_path, monkeypatch):
    # raw Value 60 / 45 / 45 / 10 / 0 -> normalised x 100 = 100, 75, 75, 16.67, 0; costs 6 / 5 / 5 / 2 / 1 M
    store = make_store(tmp_path / "store", {
        "projects": [project("A", "X", 6e6), project("B", "X", 5e6), project("C", "X", 5e6),
                     project("D", "Y", 2e6), project("E", "Y", 1e6)],
        "project_scores": [{"project_id": p, "criterion": "Value", "score": s, "rating": str(s)}
                           for p, s in (("A", 60), ("B", 45), ("C", 45), ("D", 10), ("E", 0))],
        "maturity_answers": [
            {"assessment": "Old", "assessed_on": date(2025, 11, 1), "question_id": "REP-1", "answer_level": 1},
            {"assessment": "Old", "assessed_on": date(2025, 11, 1), "question_id": "REP-2", "answer_level": 2},
            {"assessment": "New", "assessed_on": date(2026, 5, 1), "question_id": "REP-1", "answer_level": 4},
            {"assessment": "New", "assessed_on": date(2026, 5, 1), "question_id": "REP-2", "answer_level": 4},
            {"assessment": "New", "assessed_on": date(2026, 5, 1), "question_id": "GOV-1", "answer_level": 3}],
    }, source="msproject:register", config_toml=CONFIG)
    monkeypatch.setenv("PMO_DATA_DIR", str(store.root))
    monkeypatch.chdir(ROOT)
    return store


def test_prioritisation_figures_worked_by_hand(hand_store):
    shown = cards(open_page(PRIORITY))
    # budget 10M: B + C (150 points, 10M) beats A + D + E (116.7, 9M), which ranking by
    # score per cost would pick (A 16.7/M, B 15/M, C 15/M, D 8.3/M)
    assert shown["Candidate projects"] == "5"
    assert shown["Projects selected"] == "2"
    assert shown["Cost of the selection"] == "$10.00M"
    assert shown["Total score of the selection"] == "150.0"
    assert shown["Total score of the current portfolio"] == "266.7"   # 100 + 75 + 75 + 16.7 + 0
    # a link forcing A in: A + D (116.7, 8M); E adds 0 points and is left out
    forced = cards(open_page(PRIORITY, force_in="A"))
    assert (forced["Projects selected"], forced["Total score of the selection"]) == ("2", "116.7")
    assert forced["Cost of the selection"] == "$8.00M"
    # portfolio Y alone: D and E are normalised between themselves (D 100, E 0)
    y = cards(open_page(PRIORITY, portfolio="Y"))
    assert (y["Candidate projects"], y["Projects selected"], y["Total score of the selection"]) == ("2", "1", "100.0")


def test_without_capacity_data_the_switch_is_replaced_by_what_to_load(hand_store):
    at = open_page(PRIORITY, capacity="true")
    assert not at.exception and not [t for t in at.toggle if t.key == "capacity"]
    assert any("no capacity data is loaded" in c.value and "HR export" in c.value for c in at.caption)
    assert cards(at)["Projects selected"] == "2"          # the budget alone decides, as without the link


def test_a_viewer_sees_no_save_forms(hand_store, monkeypatch):
    monkeypatch.setenv("PMO_ROLE", "viewer")
    at = open_page(PRIORITY)
    assert not [b for b in at.button if b.label == "Save scenario"]
    assert any("saving needs an analyst" in c.value for c in at.caption)
    mt = open_page(MATURITY)
    assert not [b for b in mt.button if b.label == "Save the assessment"]


def test_maturity_figures_worked_by_hand(hand_store):
    at = open_page(MATURITY)
    shown = cards(at)
    # New: reporting min(4, 4) = 4; governance min(3, 0, 0) = 0 (GOV-2, GOV-3 unknown); the other
    # five functions 0 -> overall 4 / 7 = 0.57; Old: reporting min(1, 2) = 1 -> 1 / 7 = 0.14
    assert shown["Overall maturity"] == "0.57"
    assert shown["Functions at target"] == "1"          # reporting 4 >= its target 4
    assert shown["Questions unknown"] == "12"           # 15 questions, 3 answered
    # the store's projects have no status report and no baseline: REP-1 (4) and GOV-1 (3) are
    # contradicted by 0% measured
    assert shown["Answers the data contradicts"] == "2"
    flagged = at.warning[0].value.replace("\\", "")
    assert "REP-1" in flagged and "GOV-1" in flagged
