"""The PMO's stage-gate log (issue 17): `governance/stage_gate_log_<date>.xlsx`, one row per gate
of every project, held or planned, as the portfolio boards record them.

Lifecycle (the register's stages): G1 Business case -> Planning, G2 Plan approval -> Execution,
G3 Go-live readiness -> Closing, G4 Closure -> Closed. Planned dates follow each project's
baseline: G1 two weeks before the start, G2 at 12% of the baseline span, G3 three weeks before the
baseline finish, G4 four weeks after the finish. A gate is decided when the project has reached
its stage by the latest status date (the decision a few days after the planned date, never after
2026-11-20).

The story: the S/4HANA core passed G2 with conditions; the tax engine's business case was deferred
once and approved on resubmission; nobody convened G3 for the payroll consolidation (its go-live
was missed) nor for the supplier portal; the in-store receipts business case board was postponed
(G1 overdue).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from .helpers import OUT, new_workbook, weekday_on_or_after, weekday_on_or_before
from .story import LATEST, Project, stage_at

HEADER = ["Project", "Gate", "Stage", "Planned date", "Decision date", "Decision", "Approver", "Comments"]
BOARDS = {"Digital Channels": "Digital Investment Board", "Infrastructure & Cloud": "Technology Investment Board",
          "Finance Transformation": "Finance Investment Board", "People & Workplace": "People & Workplace Board"}
ORDER = ["Initiation", "Planning", "Execution", "Closing", "Closed"]
GATES = [("G1 Business case", "Planning"), ("G2 Plan approval", "Execution"), ("G3 Go-live readiness", "Closing"),
         ("G4 Closure", "Closed")]
WITHHELD = {"PRJ-1034": "G3 Go-live readiness", "PRJ-1029": "G3 Go-live readiness",
            "PRJ-1010": "G1 Business case"}      # reached or due, but no decision recorded


def _planned(p: Project, gate: str) -> date:
    span = (p.baseline_finish - p.start).days
    if gate.startswith("G1"):
        return weekday_on_or_before(p.start - timedelta(days=14))
    if gate.startswith("G2"):
        return weekday_on_or_after(p.start + timedelta(days=round(span * 0.12)))
    if gate.startswith("G3"):
        return weekday_on_or_before(p.baseline_finish - timedelta(days=21))
    return weekday_on_or_after((p.closed or p.finish) + timedelta(days=28))


def gate_rows(p: Project, rng: random.Random) -> list[list]:
    stage = p.drops[-1]["stage"] if p.drops[-1] else stage_at(p, LATEST, 0)
    reached = ORDER.index(stage) if stage in ORDER else 0
    board = BOARDS.get(p.portfolio, "Portfolio Board")
    rows = []
    for n, (gate, into) in enumerate(GATES, start=1):
        planned = _planned(p, gate)
        if p.code == "PRJ-1010" and n == 1:
            planned = date(2026, 11, 6)              # the board meeting was postponed
        decided = ORDER.index(into) <= reached and WITHHELD.get(p.code) != gate
        if p.code == "PRJ-1028" and n == 1:          # deferred once, approved on resubmission
            rows.append([p.code, gate, into, planned, planned + timedelta(days=11), "Deferred", board,
                         "Choose the tax content vendor first"])
            rows.append([p.code, f"{gate} (resubmitted)", into, date(2026, 4, 10), date(2026, 4, 10), "Approved",
                         board, None])
            continue
        if not decided:
            note = {"PRJ-1034": "Parallel run 2 failed; readiness review not convened",
                    "PRJ-1029": "Supplier onboarding behind; review not scheduled",
                    "PRJ-1010": "Board meeting postponed"}.get(p.code) if WITHHELD.get(p.code) == gate else None
            rows.append([p.code, gate, into, planned, None, None, None, note])
            continue
        when = min(weekday_on_or_after(planned + timedelta(days=rng.randint(0, 6))), LATEST)
        decision, note = "Approved", None
        if p.code == "PRJ-1021" and n == 2:
            decision, note = "Approved with conditions", "Re-baseline the data workstream by March"
        rows.append([p.code, gate, into, planned, when, decision, board, note])
    return rows


def write_gate_log(projects: list[Project], rng: random.Random) -> dict:
    path = OUT / "governance" / f"stage_gate_log_{LATEST.isoformat()}.xlsx"
    wb = new_workbook(path)
    day = wb.add_format({"num_format": "yyyy-mm-dd"})
    bold = wb.add_format({"bold": True})
    ws = wb.add_worksheet("Gate log")
    ws.write_row(0, 0, HEADER, bold)
    r = 1
    for p in sorted(projects, key=lambda x: x.code):
        if p.drops[-1] is None:
            continue
        for cells in gate_rows(p, rng):
            for c, v in enumerate(cells):
                if v is None:
                    continue
                if isinstance(v, date):
                    ws.write_datetime(r, c, datetime.combine(v, time()), day)
                else:
                    ws.write_string(r, c, v)
            r += 1
    ws.set_column(0, 0, 10)
    ws.set_column(1, 2, 24)
    ws.set_column(3, 4, 13)
    ws.set_column(5, 7, 28)
    wb.close()
    return {path.name: r - 1}
