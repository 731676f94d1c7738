"""Prioritisation and maturity inputs (issue 19).

`prioritisation/driver_scores_<date>.xlsx`: the FY2027 portfolio review's scoring sheet, one row per
project and business driver (docs/prioritisation.md, "Scoring sheet"), scored by each portfolio's
investment board. Strategic alignment and Customer impact are Project Online style ratings (None /
Low / Moderate / Strong / Extreme); Financial value is a 1-10 index, Urgency and Delivery risk 1-5.

The story: High-priority projects mostly score well, but the HQ Office Consolidation (7.8M, High)
scores only moderately on value, so under a tighter budget the frontier drops it for several
smaller projects; the Wellbeing App Pilot has no financial value yet and the in-store receipts
business case (PRJ-1010) no delivery-risk rating ("not fully scored").

`maturity/pmo_maturity_assessment_<date>.csv`: two past self-assessments of the PMO against our
question bank (config/maturity_questions.toml), 2025 H2 and 2026 H1, answered by the Head of PMO
and the PMO managers: reporting and RAID improved; the 2026 H1 answer "Managed" (4) for RAID hygiene
is more than the register shows (about three in four open items are clean), so the page flags it.
"""

from __future__ import annotations

import csv
import random
from datetime import date, datetime, time

from .helpers import OUT, new_workbook
from .story import LATEST, Project

SCORED_ON = date(2026, 11, 13)
HEADER = ["Project ID", "Project name", "Criterion", "Score", "Scored by", "Scored at", "Note"]
BOARDS = {"Digital Channels": "Rachel Adams", "Infrastructure & Cloud": "David Chen",
          "Finance Transformation": "Claudia Meier", "People & Workplace": "Patricia Gomez"}
RATING = ["None", "Low", "Moderate", "Strong", "Extreme"]
BASE = {"High": 3, "Medium": 2, "Low": 1}
# hand-set scores that carry the story: (project, criterion) -> value
FIXED = {("PRJ-1036", "Strategic alignment"): "Moderate", ("PRJ-1036", "Financial value"): 4.0,
         ("PRJ-1036", "Customer impact"): "Low", ("PRJ-1036", "Delivery risk"): 4}
MISSING = {("PRJ-1040", "Financial value"), ("PRJ-1010", "Delivery risk")}
NOTES = {("PRJ-1036", "Financial value"): "Lease savings start only in 2029",
         ("PRJ-1004", "Urgency"): "Card scheme mandate, October 2027"}


def _scores(p: Project, rng: random.Random) -> dict[str, object]:
    b = BASE.get(p.priority, 2)
    align = RATING[max(1, min(4, b + rng.choice((0, 0, 1, -1))))]
    value = round(min(10.0, max(1.0, b * 2.6 + rng.uniform(-1.8, 1.8))), 1)
    urgency = max(1, min(5, b + rng.choice((0, 1, 1, -1))))
    customer = RATING[max(0, min(4, b + rng.choice((-1, 0, 0, 1)) - (1 if p.portfolio == "Finance Transformation" else 0)))]
    risk = max(1, min(5, 2 + (1 if p.driver in ("both", "cost") else 0) + (1 if p.budget > 4_000_000 else 0)
                      + rng.choice((-1, 0, 0, 1))))
    return {"Strategic alignment": align, "Financial value": value, "Urgency": urgency,
            "Customer impact": customer, "Delivery risk": risk}


def write_driver_scores(projects: list[Project], rng: random.Random) -> dict:
    path = OUT / "prioritisation" / f"driver_scores_{LATEST.isoformat()}.xlsx"
    wb = new_workbook(path)
    bold = wb.add_format({"bold": True})
    day = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws = wb.add_worksheet("Scores")
    ws.write_row(0, 0, HEADER, bold)
    r = 1
    for p in sorted(projects, key=lambda x: x.code):
        if p.closed is not None:
            continue
        for criterion, value in _scores(p, rng).items():
            value = FIXED.get((p.code, criterion), value)
            if (p.code, criterion) in MISSING:
                continue
            ws.write_string(r, 0, p.code)
            ws.write_string(r, 1, p.name)
            ws.write_string(r, 2, criterion)
            if isinstance(value, str):
                ws.write_string(r, 3, value)
            else:
                ws.write_number(r, 3, value)
            ws.write_string(r, 4, BOARDS.get(p.portfolio, "Portfolio Board"))
            ws.write_datetime(r, 5, datetime.combine(SCORED_ON, time()), day)
            if (p.code, criterion) in NOTES:
                ws.write_string(r, 6, NOTES[(p.code, criterion)])
            r += 1
    ws.set_column(0, 0, 10)
    ws.set_column(1, 2, 32)
    ws.set_column(3, 3, 10)
    ws.set_column(4, 6, 22)
    wb.close()
    return {path.name: r - 1}


# ---- maturity ------------------------------------------------------------------------------
ASSESSMENTS = [
    ("2025 H2", date(2025, 11, 14), "Margaret Ellison", {
        "REP-1": (2, "Monthly reports from most projects; no chasing"),
        "REP-2": (1, "Colours are the PM's call"),
        "GOV-1": (2, "Large projects only"), "GOV-2": (2, "Gate log started in 2025"),
        "GOV-3": (1, None), "PRI-1": (2, "Business cases reviewed one by one"), "PRI-2": (1, None),
        "RES-1": (2, "Key roles spreadsheet"), "RES-2": (2, "Harvest for contractors only"),
        "RAID-1": (2, "Per-project logs"), "RAID-2": (1, None), "BEN-1": (1, None), "BEN-2": (0, None),
        "PPL-1": (2, "PM training on request"), "PPL-2": (1, None)}),
    ("2026 H1", date(2026, 5, 15), "Daniel Okafor", {
        "REP-1": (3, "Weekly status cadence since January; https://wiki.example.com/pmo/status-cadence"),
        "REP-2": (3, "Computed RAG compared on the dashboard"),
        "GOV-1": (3, "Baseline required at G2"), "GOV-2": (3, "Gate log with approvers for every project"),
        "GOV-3": (2, "Schedule standard drafted"), "PRI-1": (2, "Scoring sheet piloted in Digital"),
        "PRI-2": (2, None), "RES-1": (2, "Harvest + Project Online assignments"),
        "RES-2": (3, "Harvest for everyone since March"),
        "RAID-1": (4, "One RAID log template; monthly hygiene review"), "RAID-2": (3, "Portfolio risk review"),
        "BEN-1": (2, "Benefits named in cases"), "BEN-2": (1, None),
        "PPL-1": (2, None), "PPL-2": (2, "Retrospectives at closure")}),
]


def write_maturity(bank_questions: dict[str, str]) -> dict:
    counts = {}
    for name, on, who, answers in ASSESSMENTS:
        path = OUT / "maturity" / f"pmo_maturity_assessment_{on.isoformat()}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(["Assessment", "Assessment date", "Question ID", "Question", "Level", "Evidence",
                        "Answered by", "Answered at"])
            for qid, (level, evidence) in answers.items():
                w.writerow([name, on.isoformat(), qid, bank_questions[qid], level, evidence or "", who,
                            on.isoformat()])
        counts[path.name] = len(answers)
    return counts
