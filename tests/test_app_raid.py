"""The RAID page under AppTest: on the hand-made store (tests/helpers/raid_store.py) every KPI is a
hand-worked number, at the newest exports, at a past status date and under a portfolio filter; a
heat-map cell in the URL lists its risks; a scoped role sees only its portfolio; on the sample
store the cards equal the queries and a filter changes them; the Project page's RAID tabs and
Portfolio health's critical-risk reason."""

from __future__ import annotations

import polars as pl
import pytest
from conftest import ROOT
from helpers import raid_store
from helpers.app import metrics as cards
from helpers.app import open_page
from streamlit.testing.v1 import AppTest

from pmo import query

pytestmark = pytest.mark.app

RAID = "pages/9_RAID.py"
ALL = {"portfolio": None, "program": None, "department": None, "manager": None, "stage": None}


@pytest.fixture(scope="module")
def hand_store(tmp_path_factory):
    return raid_store.build(tmp_path_factory.mktemp("raid-app") / "s").root


def frame_with(at: AppTest, *columns: str):
    """The first table on the page with all `columns` (query column names; the labels are the
    column config's)."""
    return next((d.value for d in at.dataframe if set(columns) <= set(d.value.columns)), None)


def test_hand_made_store_figures(hand_store, monkeypatch):
    monkeypatch.setenv("PMO_DATA_DIR", str(hand_store))
    monkeypatch.chdir(ROOT)
    at = open_page(RAID)
    shown = cards(at)
    assert {k: shown[k] for k in ("Open risks", "Critical risks", "Open risk exposure (Σ P×I)", "Open issues",
                                  "Flagged RAID items", "Blocked dependencies", "Dependencies at risk",
                                  "Dependency cycles (data errors)")} == {
        "Open risks": "2", "Critical risks": "1", "Open risk exposure (Σ P×I)": "34", "Open issues": "1",
        "Flagged RAID items": "2", "Blocked dependencies": "1", "Dependencies at risk": "1",
        "Dependency cycles (data errors)": "0"}
    deltas = {m.label: m.proto.delta for m in at.metric}
    assert deltas["Open risk exposure (Σ P×I)"] == "+14"          # 20 on 30 Sep
    assert deltas["Open risks"] == "no change"
    assert any(s.value.startswith("Assumptions due for validation (1)") for s in at.subheader)
    flagged = frame_with(at, "flag_reason", "kind", "updated_date")
    reasons = dict(zip(flagged["item_id"].to_list(), flagged["flag_reason"].to_list()))
    assert reasons == {"R3": "Mitigation overdue: due 25 Oct 2026, 6 days before 31 Oct 2026; No owner",
                       "I1": "Not updated for 36 days (last update 25 Sep 2026; limit 30)"}
    links = frame_with(at, "dependency_reason")
    assert links["dependency_reason"].to_list() == ["P2 (whole project) is due 31 Jan 2027, 61 days after P1 D1 needs it (1 Dec 2026)"]


def test_hand_made_store_past_date_filter_and_cell(hand_store, monkeypatch):
    monkeypatch.setenv("PMO_DATA_DIR", str(hand_store))
    monkeypatch.chdir(ROOT)
    past = cards(open_page(RAID, as_of="2026-09-30"))
    assert (past["Open risks"], past["Critical risks"], past["Open risk exposure (Σ P×I)"]) == ("2", "1", "20")
    assert past["Blocked dependencies"] == "0"                      # the link was exported on 31 Oct
    beta = cards(open_page(RAID, portfolio="B"))
    assert (beta["Open risks"], beta["Critical risks"], beta["Open risk exposure (Σ P×I)"]) == ("1", "1", "25")
    at = open_page(RAID, cell="5-5")
    assert any("Probability 5 × impact 5" in m.value for m in at.markdown)
    listed = [link.proto.label for link in at.page_link if link.proto.query_string == "project=P2"]
    assert listed == ["P2 R3 · Regulator objects"] and at.query_params["cell"] == "5-5"
    assert any("Mitigation overdue" in c.value and "no owner" in c.value for c in at.caption)
    at = open_page(RAID, cell="9-9")                                # an edited link: dropped, no error
    assert "cell" not in at.query_params


def test_a_scoped_role_sees_only_its_portfolio(hand_store, monkeypatch, tmp_path):
    roles = tmp_path / "roles.toml"
    roles.write_text('[auth]\nrequired = false\n[roles.beta]\nlevel = "viewer"\nportfolios = ["B"]\n')
    monkeypatch.setenv("PMO_DATA_DIR", str(hand_store))
    monkeypatch.setenv("PMO_ROLES_FILE", str(roles))
    monkeypatch.setenv("PMO_ROLE", "beta")
    monkeypatch.chdir(ROOT)
    at = open_page(RAID)
    shown = cards(at)
    assert (shown["Open risks"], shown["Critical risks"], shown["Open risk exposure (Σ P×I)"]) == ("1", "1", "25")
    assert shown["Blocked dependencies"] == "0"      # P1's link to P2 belongs to P1, outside the scope
    ranked = frame_with(at, "exposure_score", "exposure_band")
    assert set(ranked["project_id"].to_list()) == {"P2"}


def test_sample_store_cards_equal_the_queries_and_a_filter_changes_them(sample_store_dir, sample_con, monkeypatch):
    monkeypatch.setenv("PMO_DATA_DIR", str(sample_store_dir))
    monkeypatch.chdir(ROOT)
    for params in ({}, {"portfolio": "Finance Transformation"}):
        items = query.run(sample_con, "raid_register", **{**ALL, **params, "as_of": None})
        risks = items.filter(pl.col("is_open") & (pl.col("kind") == "risk"))
        links = query.run(sample_con, "raid_dependency_graph", **{**ALL, **params, "as_of": None})
        shown = cards(open_page(RAID, **params))
        assert shown["Open risks"] == f"{risks.height:,}"
        assert shown["Critical risks"] == str(risks.filter(pl.col("exposure_band") == "critical").height)
        assert shown["Open risk exposure (Σ P×I)"] == f"{int(risks['exposure_score'].sum()):,}"
        assert shown["Dependencies at risk"] == str(links.filter(pl.col("is_at_risk")).height)
        if not params:
            assert shown["Open risks"] == "88" and shown["Dependency cycles (data errors)"] == "1"
        else:
            assert int(shown["Open risks"]) < 88


def test_project_tab_and_health_reason(sample_store_dir, monkeypatch):
    monkeypatch.setenv("PMO_DATA_DIR", str(sample_store_dir))
    monkeypatch.chdir(ROOT)
    at = open_page("pages/6_Project.py", project="PRJ-1004")
    labels = [t.label for t in at.tabs]
    assert "Dependencies (1)" in labels and any(label.startswith("Risks (") for label in labels)
    assert any("Mitigation overdue" in str(v) or "R-101" in str(v)
               for d in at.dataframe for v in d.value.iloc[:, 0].tolist())
    health = open_page("pages/1_Portfolio_Health.py")
    assert any("Critical risk R\\-101 \\(exposure 25\\)" in c.value for c in health.caption)
