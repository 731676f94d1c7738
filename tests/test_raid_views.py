"""RAID scoring, banding, ageing, flags, history and the dependency rules, on hand-built registers
(helpers.canonical: canonical rows straight into a store) with every expected value worked out."""

from __future__ import annotations

from datetime import date

import pytest

from helpers.canonical import connect

AS_OF = date(2026, 11, 20)


def risk(item_id: str, **kw) -> dict:
    return {"item_id": item_id, "project_id": "P1", "kind": "risk", "status": "Open", "owner": "Ana",
            "created_date": date(2026, 11, 1), "updated_date": date(2026, 11, 15), **kw}


def items(con) -> dict:
    return {r["item_id"]: r for r in con.sql("select * from raid_items").pl().to_dicts()}


@pytest.fixture()
def scored(tmp_path):
    """One item per source scale, plus band edges."""
    rows = [
        # Project Online: Probability % / 100, Impact 1-10
        risk("PO-a", probability=0.2, impact=2.0, impact_scale=10.0),    # p 1, i 1.44 -> 1: exposure 1
        risk("PO-b", probability=0.21, impact=3.0, impact_scale=10.0),   # p 2, i 1.89 -> 2: 4
        risk("PO-c", probability=0.6, impact=8.0, impact_scale=10.0),    # p 3, i 4.11 -> 4: 12
        risk("PO-d", probability=0.8, impact=9.0, impact_scale=10.0),    # p 4, i 4.56 -> 5: 20
        # ServiceNow: Low 0.25 / Moderate 0.5 / High 0.75 / Absolute 1.0; impact 1-3 (High = 3)
        risk("SN-a", probability=0.25, impact=1.0, impact_scale=3.0),    # 2 x 1 = 2
        risk("SN-b", probability=0.5, impact=2.0, impact_scale=3.0),     # 3 x 3 = 9
        risk("SN-c", probability=0.75, impact=3.0, impact_scale=3.0),    # 4 x 5 = 20
        risk("SN-d", probability=1.0, impact=3.0, impact_scale=3.0),     # 5 x 5 = 25
        # Azure DevOps: Probability 1-99 %, Severity 1-4 (Critical = 4)
        risk("AD-a", probability=0.01, impact=1.0, impact_scale=4.0),    # 1 x 1 = 1
        risk("AD-b", probability=0.99, impact=2.0, impact_scale=4.0),    # 5 x 2.33 -> 2 = 10
        risk("AD-c", probability=0.4, impact=3.0, impact_scale=4.0),     # 2 x 3.67 -> 4 = 8
        # 1-5 words / levels as given
        risk("RL-a", probability=0.5, impact=3.0, impact_scale=5.0),     # 3 x 3 = 9
        risk("RL-b", probability=0.7, impact=4.0, impact_scale=5.0),     # 4 x 4 = 16
        risk("RL-c", probability=0.0, impact=5.0, impact_scale=5.0),     # p 0 counts as 1: 5
        # no probability (an issue): no exposure
        risk("IS-a", kind="issue", impact=4.0, impact_scale=5.0),
    ]
    return connect(tmp_path / "s", {"risks": rows})


EXPECTED = {  # item: (probability score, impact score, exposure, band)
    "PO-a": (1, 1, 1, "low"), "PO-b": (2, 2, 4, "low"), "PO-c": (3, 4, 12, "high"), "PO-d": (4, 5, 20, "critical"),
    "SN-a": (2, 1, 2, "low"), "SN-b": (3, 3, 9, "medium"), "SN-c": (4, 5, 20, "critical"),
    "SN-d": (5, 5, 25, "critical"), "AD-a": (1, 1, 1, "low"), "AD-b": (5, 2, 10, "high"),
    "AD-c": (2, 4, 8, "medium"), "RL-a": (3, 3, 9, "medium"), "RL-b": (4, 4, 16, "critical"),
    "RL-c": (1, 5, 5, "medium"), "IS-a": (None, 4, None, None),
}


def test_scores_exposure_and_bands_per_source(scored):
    got = {k: (v["probability_score"], v["impact_score"], v["exposure"], v["exposure_band"])
           for k, v in items(scored).items()}
    assert got == EXPECTED


def test_bands_follow_the_config(tmp_path):
    rows = [risk(f"R{e}", probability=(p - 0.5) / 5, impact=float(i), impact_scale=5.0)
            for e, p, i in ((3, 1, 3), (4, 2, 2), (6, 2, 3), (8, 2, 4), (12, 3, 4), (15, 3, 5))]
    con = connect(tmp_path / "s", {"risks": rows},
                  config_toml="[raid]\nband_low_max = 3\nband_medium_max = 6\nband_high_max = 12\n")
    got = {k: (v["exposure"], v["exposure_band"]) for k, v in items(con).items()}
    assert got == {"R3": (3, "low"), "R4": (4, "medium"), "R6": (6, "medium"), "R8": (8, "high"),
                   "R12": (12, "high"), "R15": (15, "critical")}


def test_a_bad_band_setting_falls_back_and_says_so(tmp_path):
    con = connect(tmp_path / "s", {"risks": [risk("R1", probability=0.5, impact=3.0, impact_scale=5.0)]},
                  config_toml="[raid]\nband_low_max = 12\nband_medium_max = 9\n")
    assert items(con)["R1"]["exposure_band"] == "medium"        # 9: the default bands
    (problem,) = con.execute("select config_problem from settings_raid").fetchone()
    assert "bands must rise" in problem


def test_cost_exposure_in_the_reporting_currency(tmp_path):
    con = connect(tmp_path / "s", {
        "projects": [{"project_id": "P1", "currency": "EUR"}],
        "fx_rates": [{"currency": "EUR", "rate_to_reporting": 1.1, "valid_from": date(2026, 1, 1)},
                     {"currency": "GBP", "rate_to_reporting": 1.3, "valid_from": date(2026, 1, 1)}],
        "risks": [risk("R1", probability=0.6, cost=1000.0),                 # the project's EUR: 1,100 x 0.6
                  risk("R2", probability=0.25, cost=2000.0, currency="GBP"),  # 2,600 x 0.25
                  risk("R3", probability=0.5)],                            # no cost: none
    })
    got = {k: (v["cost_reporting"], v["cost_exposure"]) for k, v in items(con).items()}
    assert got["R1"] == pytest.approx((1100.0, 660.0))
    assert got["R2"] == pytest.approx((2600.0, 650.0))
    assert got["R3"] == (None, None)


def test_ageing_buckets_and_flags(tmp_path):
    day = lambda n: date.fromordinal(AS_OF.toordinal() - n)   # noqa: E731 - n days before the export date
    rows = [
        risk("A0", created_date=day(0)), risk("A30", created_date=day(30)), risk("A31", created_date=day(31)),
        risk("A60", created_date=day(60)), risk("A61", created_date=day(61)), risk("A90", created_date=day(90)),
        risk("A91", created_date=day(91), updated_date=day(31), owner=None, due_date=day(1)),
        risk("C1", created_date=day(100), closed_date=day(40), status="Closed", due_date=day(50), owner=None),
        risk("U30", created_date=day(45), updated_date=day(30), due_date=AS_OF),
        risk("U0", created_date=day(45), updated_date=None),     # no update date: raised 45 days ago
    ]
    con = connect(tmp_path / "s", {"risks": rows}, as_of=AS_OF)
    got = {k: (v["is_open"], v["age_days"], v["ageing_bucket"], v["flag_overdue"], v["flag_no_owner"],
               v["flag_not_updated"], v["flag_count"]) for k, v in items(con).items()}
    assert got == {
        "A0": (True, 0, "0-30", False, False, False, 0),
        "A30": (True, 30, "0-30", False, False, False, 0),
        "A31": (True, 31, "31-60", False, False, False, 0),
        "A60": (True, 60, "31-60", False, False, False, 0),
        "A61": (True, 61, "61-90", False, False, False, 0),
        "A90": (True, 90, "61-90", False, False, False, 0),
        "A91": (True, 91, "over 90", True, True, True, 3),      # due yesterday, no owner, 31 days since update
        "C1": (False, 60, None, False, False, False, 0),         # closed: raised to closed, no flags
        "U30": (True, 45, "31-60", False, False, False, 0),      # due today is not overdue; 30 days is not > 30
        "U0": (True, 45, "31-60", False, False, True, 1),
    }


def test_open_status_words_and_categories(tmp_path):
    rows = [risk("S1", status="Closed Complete"), risk("S2", status="(3) Closed"), risk("S3", status="Mitigated"),
            risk("S4", status="Resolved"), risk("S5", status="Done", status_category="open"),
            risk("S6", status="Active", closed_date=date(2026, 12, 1))]   # closes after the export date
    con = connect(tmp_path / "s", {"risks": rows})
    assert {k: v["is_open"] for k, v in items(con).items()} == {
        "S1": False, "S2": False, "S3": True, "S4": False, "S5": True, "S6": True}


def test_history_carries_each_source_forward(tmp_path):
    """Two sources exported on different dates: each date counts every source's newest export."""
    from helpers.canonical import make_store
    from pmo import query
    from pmo.ingest import FileOutcome, place
    from pmo.manifest import Manifest
    from pmo import schema
    import polars as pl

    store = make_store(tmp_path / "s", {"projects": [{"project_id": "P1"}, {"project_id": "P2"}]})
    snaps = [  # (source, as_of, rows)
        ("log", date(2026, 9, 30), [dict(item_id="R1", project_id="P1", probability=0.7, impact=4.0),   # 16
                                    dict(item_id="R2", project_id="P1", probability=0.3, impact=2.0)]),  # 4
        ("log", date(2026, 10, 31), [dict(item_id="R1", project_id="P1", probability=0.7, impact=4.0,
                                          closed_date=date(2026, 10, 20), status="Closed"),
                                     dict(item_id="R2", project_id="P1", probability=0.5, impact=3.0)]),  # 9
        ("po", date(2026, 10, 15), [dict(item_id="X1", project_id="P1", probability=0.9, impact=5.0),   # 25
                                    dict(item_id="I1", project_id="P2", kind="issue", impact=3.0)]),
    ]
    with store.writer() as w:
        segments = {t: dict(s) for t, s in w.base.segments.items()}
        for n, (src, day, rows) in enumerate(snaps, start=2):
            df = pl.DataFrame([{"kind": "risk", "status": "Open", "impact_scale": 5.0, "source": src,
                                "as_of": day, **r} for r in rows], infer_schema_length=None)
            frame = schema.conform("raid_snapshots", df).with_row_index("_row").with_columns(
                pl.col("_row").cast(pl.Int64))
            place(w, segments, FileOutcome(file_name=f"{src}.csv", tool="t", label="t", sha256="0" * 64,
                                           size_bytes=0, as_of=day, source=src,
                                           tables={"raid_snapshots": frame.height}, rows_read=0, rejects=[],
                                           frames={"raid_snapshots": frame}, ingest_id=n))
        w.publish(Manifest(action="ingest", note="t", user="t", segments=segments))
    con = query.connect(store).con
    rows = con.sql("select project_id, as_of, open_items, open_risks, open_issues, open_exposure, max_exposure, "
                   "critical_risks, medium_risks, low_risks, closed_items from raid_history order by all").fetchall()
    assert rows == [
        ("P1", date(2026, 9, 30), 2, 2, 0, 20, 16, 1, 0, 1, 0),    # log only
        ("P1", date(2026, 10, 15), 3, 3, 0, 45, 25, 2, 0, 1, 0),   # log (Sep) + po (Oct 15)
        ("P1", date(2026, 10, 31), 2, 2, 0, 34, 25, 1, 1, 0, 1),   # log (Oct 31: R1 closed, R2 now 9) + po
        ("P2", date(2026, 10, 15), 1, 0, 1, 0, None, 0, 0, 0, 0),
        ("P2", date(2026, 10, 31), 1, 0, 1, 0, None, 0, 0, 0, 0),
    ]


# ---------------------------------------------------------------------------------------------
# Dependencies
# ---------------------------------------------------------------------------------------------


@pytest.fixture()
def graph(tmp_path):
    """A: task T2 blocked by T1 (open, due after T2 starts); B: done blocker; C: a RAID dependency item
    waiting for a whole project; D: a cross-project link by Jira key; E: a cycle; F: unresolved."""
    tasks = [
        dict(task_id="T1", project_id="P1", task_name="Build", status_category="in_progress",
             start_date=date(2026, 10, 1), finish_date=date(2026, 12, 10)),
        dict(task_id="T2", project_id="P1", task_name="Test", status_category="todo",
             start_date=date(2026, 12, 1), finish_date=date(2026, 12, 20)),
        dict(task_id="T3", project_id="P1", task_name="Design", status_category="done",
             finish_date=date(2026, 9, 1)),
        dict(task_id="T4", project_id="P1", task_name="Train", status_category="todo", start_date=date(2026, 12, 5)),
        dict(task_id="PAY-9", project_id="PAY", task_name="Vault", status_category="todo",
             due_date=date(2026, 11, 30), start_date=date(2026, 11, 1)),
        dict(task_id="C1", project_id="P1", status_category="todo"),
        dict(task_id="C2", project_id="P1", status_category="todo"),
    ]
    risks = [dict(item_id="D-1", project_id="P1", kind="dependency", status="Open", due_date=date(2026, 12, 15))]
    deps = [
        dict(project_id="P1", item_id="T2", blocker_project_id="P1", blocker_id="T1", link_type="Blocks"),
        dict(project_id="P1", item_id="T4", blocker_id="T3", link_type="Blocks"),                # own project
        dict(project_id="P1", item_id="D-1", blocker_id="P2", link_type="Depends on"),           # a project
        dict(project_id="P1", item_id="T4", blocker_id="PAY-9", link_type="Depends on"),         # only one has it
        dict(project_id="P1", item_id="C2", blocker_project_id="P1", blocker_id="C1", link_type="Blocks"),
        dict(project_id="P1", item_id="C1", blocker_project_id="P1", blocker_id="C2", link_type="Blocks"),
        dict(project_id="P1", item_id="T2", blocker_id="ZZ-404", link_type="Depends on"),
    ]
    projects = [dict(project_id="P1", project_name="One", portfolio="A"),
                dict(project_id="P2", project_name="Two", portfolio="B", finish_date=date(2027, 1, 31)),
                dict(project_id="P3", project_name="Pay", portfolio="A", external_ids=["PAY"])]
    return connect(tmp_path / "s", {"projects": projects, "tasks": tasks, "risks": risks, "dependencies": deps})


def test_dependency_resolution(graph):
    got = graph.sql("select item_id, blocker_project_id, blocker_id from dependencies order by all").fetchall()
    assert got == [("C1", "P1", "C2"), ("C2", "P1", "C1"),
                   ("D-1", "P2", None),            # a project code: the whole project blocks
                   ("T2", "P1", "T1"),
                   ("T2", None, "ZZ-404"),         # found nowhere
                   ("T4", "P1", "T3"),             # the blocked item's own project
                   ("T4", "P3", "PAY-9")]          # the Jira key's project through its alias


def test_dependency_rules(graph):
    rows = graph.sql("select item_id, blocker_id, blocker_project_id, is_blocked, is_at_risk, is_cross_project, "
                     "in_cycle, is_unresolved, slip_days from raid_dependencies order by all").fetchall()
    assert rows == [
        ("C1", "C2", "P1", True, False, False, True, False, None),
        ("C2", "C1", "P1", True, False, False, True, False, None),
        # needed 15 Dec, P2 finishes 31 Jan: at risk by 47 days; another project
        ("D-1", None, "P2", True, True, True, False, False, 47),
        ("T2", "T1", "P1", True, True, False, False, False, 9),       # T1 due 10 Dec, T2 starts 1 Dec
        ("T2", "ZZ-404", None, False, False, False, False, True, None),  # an unknown blocker blocks nothing
        ("T4", "PAY-9", "P3", True, False, True, False, False, None),  # due 30 Nov before T4 starts 5 Dec
        ("T4", "T3", "P1", False, False, False, False, False, None),   # the blocker is done
    ]


def test_cycles_are_listed_as_data_errors(graph):
    from pmo import quality

    (cycle,) = graph.sql("select members, member_count, projects, cycle_text from raid_dependency_cycles").fetchall()
    assert cycle == (["P1/C1", "P1/C2"], 2, ["P1"], "P1/C1 -> P1/C2 -> P1/C1")
    report = {f.check: f.rows.rows() for f in quality.store_report(graph)}
    assert report["dependency_cycles"] == [("dependency cycle 1", "P1/C1 -> P1/C2 -> P1/C1 (2 items; projects P1)")]


def test_a_longer_cycle_is_found_once(tmp_path):
    deps = [dict(project_id=p, item_id=i, blocker_project_id=bp, blocker_id=b)
            for p, i, bp, b in (("P1", "A", "P2", "B"), ("P2", "B", "P3", "C"), ("P3", "C", "P1", "A"),
                                ("P1", "A", "P1", "Z"), ("P4", "Q", "P1", "A"))]   # a tail in and out
    con = connect(tmp_path / "s", {"dependencies": deps})
    assert con.sql("select cycle_text from raid_dependency_cycles").fetchall() == [
        ("P1/A -> P3/C -> P2/B -> P1/A",)]
