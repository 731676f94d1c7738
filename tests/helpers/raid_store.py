"""A small RAID store with exactly-known figures (tests/test_raid_page.py, tests/test_app_raid.py).

Two projects: P1 'Alpha One' (portfolio A) and P2 'Beta Two' (portfolio B, finishing 31 Jan 2027).
One RAID log ('raid_log:log') exported on 30 Sep and 31 Oct 2026:

30 Sep: R1 (P1) 0.7 x 4/5 -> 4 x 4 = 16 critical · R2 (P1) 0.3 x 2 -> 2 x 2 = 4 low · I1 (P2) issue.
31 Oct: R1 closed 20 Oct · R2 now 0.5 x 3 -> 3 x 3 = 9 medium · R3 (P2) 0.9 x 5 -> 5 x 5 = 25 critical,
        no owner, mitigation due 25 Oct (overdue 6 days) · I1 open, High, raised 20 Sep (age 41: 31-60),
        last updated 25 Sep (36 days: not updated) · A1 (P1) assumption due 15 Nov (15 days: due for
        validation) · D1 (P1) dependency 0.5 x 4 -> 3 x 4 = 12 high, needed 1 Dec, waiting for project P2
        (due 31 Jan 2027: at risk by 61 days, cross-project).

At 31 Oct: open risks 2 (R2, R3), critical 1, open exposure 34, open issues 1, flagged 2 (R3: overdue
and no owner; I1: not updated), 1 link blocked and at risk, no cycle.
At 30 Sep: open risks 2 (R1, R2), critical 1, open exposure 20, open issues 1.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from helpers.canonical import make_store

SEP, OCT = date(2026, 9, 30), date(2026, 10, 31)
SOURCE = "raid_log:log"

PROJECTS = [
    dict(project_id="P1", project_name="Alpha One", portfolio="A", start_date=date(2026, 1, 5),
         finish_date=date(2026, 12, 18)),
    dict(project_id="P2", project_name="Beta Two", portfolio="B", start_date=date(2026, 3, 2),
         finish_date=date(2027, 1, 31)),
]

STATUS = [dict(project_id=p, as_of=d, percent_complete=0.5, reported_health="amber", source="status:test")
          for p in ("P1", "P2") for d in (SEP, OCT)]


def _item(item_id, project, kind, **kw) -> dict:
    return {"item_id": item_id, "project_id": project, "kind": kind, "status": "Open", "impact_scale": 5.0,
            "source": SOURCE, **kw}


SNAPSHOT_SEP = [
    _item("R1", "P1", "risk", probability=0.7, impact=4.0, created_date=date(2026, 8, 1)),
    _item("R2", "P1", "risk", probability=0.3, impact=2.0, created_date=date(2026, 9, 10)),
    _item("I1", "P2", "issue", created_date=date(2026, 9, 20)),
]
SNAPSHOT_OCT = [
    _item("R1", "P1", "risk", probability=0.7, impact=4.0, created_date=date(2026, 8, 1), status="Closed",
          closed_date=date(2026, 10, 20)),
    _item("R2", "P1", "risk", probability=0.5, impact=3.0, created_date=date(2026, 9, 10)),
    _item("R3", "P2", "risk", probability=0.9, impact=5.0, created_date=date(2026, 10, 5)),
    _item("I1", "P2", "issue", created_date=date(2026, 9, 20)),
    _item("A1", "P1", "assumption", created_date=date(2026, 10, 1)),
    _item("D1", "P1", "dependency", probability=0.5, impact=4.0, created_date=date(2026, 10, 10)),
]
WORDS = {  # the newest export's descriptive fields
    "R1": dict(title="Vendor slips", owner="Ana", due_date=date(2026, 11, 30), updated_date=date(2026, 10, 20)),
    "R2": dict(title="Key person leaves", owner="Ben", due_date=date(2026, 12, 31), updated_date=date(2026, 10, 15)),
    "R3": dict(title="Regulator objects", owner=None, due_date=date(2026, 10, 25), updated_date=date(2026, 10, 20)),
    "I1": dict(title="Test rig broken", owner="Cy", priority="High", updated_date=date(2026, 9, 25)),
    "A1": dict(title="Budget holds", owner="Ana", due_date=date(2026, 11, 15)),
    "D1": dict(title="Needs Beta's API", owner="Ben", due_date=date(2026, 12, 1), updated_date=date(2026, 10, 30)),
}


def build(root: Path):
    risks = [{**r, **WORDS[r["item_id"]], "as_of": OCT} for r in SNAPSHOT_OCT]
    snapshots = [{**r, "as_of": SEP} for r in SNAPSHOT_SEP] + [{**r, "as_of": OCT} for r in SNAPSHOT_OCT]
    deps = [dict(project_id="P1", item_id="D1", blocker_id="P2", link_type="Depends on", source=SOURCE, as_of=OCT)]
    return make_store(root, {"projects": PROJECTS, "status_snapshots": STATUS, "risks": risks,
                             "raid_snapshots": snapshots, "dependencies": deps}, as_of=OCT)
