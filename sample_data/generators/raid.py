"""The PMO's RAID log (issue 17): one workbook the PMO keeps across all portfolios, saved at three
status dates (`raid/pmo_raid_log_<date>.xlsx`), so the RAID history has points.

Layout: a title row, then the common template header `ID, Type, Title, Description, Project, Owner,
Status, Date raised, Probability, Impact, Due date, Mitigation, Closed date, Cost, Last updated,
Depends on`; dates are typed cells shown day-first (a UK PMO); Probability and Impact are the
template's words (Very low ... Very high); Cost is a number in the project's currency.

The story (each item's changes take effect from their date; a copy shows what was known then):
- Risks on the red projects grow: PAY's HSM slip becomes critical in October, the storage price
  risk on the data-centre exit is overdue and not updated since early October.
- Cross-project dependencies: data migration waits for the S/4 core build (at risk), payroll waits
  for the tax engine (at risk), the card vault waits for the IAM refresh (at risk, another
  portfolio), the data-centre exit waits for SD-WAN (on time).
- A data error: the supplier portal and e-invoicing each logged the other as its blocker (a cycle).
- Assumptions due for validation, one overdue; one risk with no owner; an issue nobody updates.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from .helpers import OUT, d, new_workbook

COPIES = [d("2026-09-25"), d("2026-10-30"), d("2026-11-20")]
HEADER = ["ID", "Type", "Title", "Description", "Project", "Owner", "Status", "Date raised", "Probability",
          "Impact", "Due date", "Mitigation", "Closed date", "Cost", "Last updated", "Depends on"]

# id, type, project, title, description, owner, raised, fields (probability, impact, due, mitigation,
# cost, depends on), then changes {date: {field: value}} from that date on
ITEMS = [
    ("R-101", "Risk", "PRJ-1004", "HSM vendor slips again: card-vault cut-over would hit the change freeze",
     "A second slip of the HSM appliances moves the cut-over into the December freeze.", "Samir Haddad",
     "2026-06-15", {"probability": "High", "impact": "High", "due": "2026-12-15",
                    "mitigation": "Second HSM vendor on standby; weekly vendor call", "cost": 450000},
     {"2026-10-12": {"probability": "Very high", "impact": "Very high"}}),
    ("R-102", "Risk", "PRJ-1012", "Storage array supplier cannot hold its price beyond Q1",
     "The quote for the remaining arrays expires on 31 March.", "Elena Petrova", "2026-07-20",
     {"probability": "Medium", "impact": "High", "due": "2026-11-13",
      "mitigation": "Alternative supplier quote requested", "cost": 380000},
     {"2026-10-02": {"probability": "High", "impact": "Very high"}}),
    ("R-103", "Risk", "PRJ-1023", "Vendor-master data quality blocks mock load 4",
     "Top 5,000 supplier records still fail the cleansing rules.", "Lukas Weber", "2026-08-10",
     {"probability": "High", "impact": "Very high", "due": "2026-12-04",
      "mitigation": "Business data owners cleanse daily; defect triage", "cost": 250000}, {}),
    ("R-104", "Risk", "PRJ-1034", "Ireland and Poland payroll vendors not onboarded by year end",
     "", "Oliver Grant", "2026-06-20",
     {"probability": "High", "impact": "High", "due": "2026-12-18",
      "mitigation": "Contract escalation; in-country bureau as fallback", "cost": 180000},
     {"2026-10-05": {"impact": "Very high"}}),
    ("R-105", "Risk", "PRJ-1021", "SAP FI architect leaves when the contract ends in March",
     "", "Julia Hoffmann", "2026-09-01",
     {"probability": "Low", "impact": "High", "due": "2027-01-29", "mitigation": "Knowledge transfer plan"}, {}),
    ("R-106", "Risk", "PRJ-1016", "Legacy directory decommission slips with the IAM go-live",
     "", "Ahmed Farouk", "2026-08-03",
     {"probability": "Medium", "impact": "Medium", "due": "2026-12-31",
      "mitigation": "Run both directories for one more quarter"}, {}),
    ("R-107", "Risk", "PRJ-1014", "Carrier SLA credits not honoured",
     "", "Kwame Mensah", "2026-06-05",
     {"probability": "Medium", "impact": "Low", "due": "2026-10-30", "mitigation": "Escalated to vendor management"},
     {"2026-10-15": {"status": "Closed", "closed": "2026-10-15"}}),
    ("R-108", "Risk", "PRJ-1036", "Landlord works delay the move date",
     "", "Aisha Rahman", "2026-07-01",
     {"probability": "High", "impact": "High", "due": "2027-02-26",
      "mitigation": "Weekly site meeting with the landlord's contractor", "cost": 120000}, {}),
    ("R-109", "Risk", "PRJ-1029", "Suppliers ignore the portal invitation",
     "", None, "2026-10-05",
     {"probability": "Medium", "impact": "Medium", "due": "2026-12-15", "mitigation": "Procurement calls the top 50"},
     {}),
    ("R-110", "Risk", "PRJ-1002", "Brand sites add scope without budget",
     "", "Victor Alvarez", "2026-08-28",
     {"probability": "High", "impact": "Medium", "due": "2026-11-30", "mitigation": "Change request raised"},
     {"2026-11-02": {"status": "Closed", "closed": "2026-11-02"}}),
    ("A-201", "Assumption", "PRJ-1021", "Legacy GL stays read-only until March 2027",
     "The cut-over plan relies on it.", "Julia Hoffmann", "2026-05-05",
     {"due": "2026-12-31", "mitigation": "Validate with Finance operations"}, {}),
    ("A-202", "Assumption", "PRJ-1034", "Parallel run 3 is not needed if run 2 has fewer than 50 variances",
     "", "Oliver Grant", "2026-09-28", {"due": "2026-11-06", "mitigation": "Confirm with Payroll after run 2"}, {}),
    ("A-203", "Assumption", "PRJ-1028", "The tax content vendor delivers quarterly rate tables",
     "", "Olivia Reed", "2026-06-12", {"due": "2026-10-31", "mitigation": "Vendor confirmation letter"},
     {"2026-10-29": {"status": "Closed", "closed": "2026-10-29"}}),
    ("I-301", "Issue", "PRJ-1012", "Two cut-over weekends lost to the change freeze",
     "", "Elena Petrova", "2026-10-12", {"impact": "Very high", "due": "2026-11-27",
                                         "mitigation": "Re-plan cut-overs into January"}, {}),
    ("I-302", "Issue", "PRJ-1034", "Parallel run 2 failed with 312 variances",
     "", "Oliver Grant", "2026-10-22", {"impact": "Very high", "due": "2026-11-30",
                                        "mitigation": "Variance war room with the vendor"}, {}),
    ("I-303", "Issue", "PRJ-1023", "Mock load 3 failed reconciliation",
     "", "Lukas Weber", "2026-09-18", {"impact": "High", "due": "2026-10-30",
                                       "mitigation": "Root-cause workshop with the SI"},
     {"2026-11-13": {"status": "Resolved", "closed": "2026-11-13"}}),
    ("I-304", "Issue", "PRJ-1019", "Batch window overrun in the offload pilot",
     "", "Marcus Bell", "2026-10-01", {"impact": "Medium", "due": "2026-11-15", "mitigation": ""}, {}),
    ("D-401", "Dependency", "PRJ-1023", "Mock load 4 needs the S/4 core build in QA",
     "", "Lukas Weber", "2026-08-20",
     {"probability": "High", "impact": "Very high", "due": "2026-12-11", "depends": "PRJ-1021",
      "mitigation": "Joint plan review every Monday"}, {}),
    ("D-402", "Dependency", "PRJ-1034", "Irish payroll needs the tax tables from the tax engine",
     "", "Oliver Grant", "2026-09-10",
     {"probability": "Medium", "impact": "High", "due": "2026-12-04", "depends": "PRJ-1028"}, {}),
    ("D-403", "Dependency", "PRJ-1004", "Card vault needs the new IAM privileged-access policies",
     "", "Samir Haddad", "2026-10-20",
     {"probability": "High", "impact": "High", "due": "2026-12-11", "depends": "PRJ-1016"}, {}),
    ("D-404", "Dependency", "PRJ-1012", "Wave 2 cut-over needs the SD-WAN sites live",
     "", "Elena Petrova", "2026-07-15",
     {"probability": "Low", "impact": "High", "due": "2027-01-15", "depends": "PRJ-1014"}, {}),
    ("D-405", "Dependency", "PRJ-1029", "Portal's e-invoice channel needs the e-invoicing platform",
     "", "Ethan Brooks", "2026-10-08", {"probability": "Medium", "impact": "Medium", "due": "2026-12-15",
                                         "depends": "D-406"}, {}),
    ("D-406", "Dependency", "PRJ-1025", "E-invoicing needs the supplier master from the portal",
     "", "Lena Vogt", "2026-10-09", {"probability": "Medium", "impact": "Medium", "due": "2026-12-10",
                                      "depends": "D-405"}, {}),
]


def _state(item: tuple, day: date, rng: random.Random) -> dict:
    iid, kind, project, title, desc, owner, raised, fields, changes = item
    s = {"status": "Open", "closed": None, **fields}
    last = d(raised)
    for when, change in sorted(changes.items()):
        if d(when) <= day:
            s.update(change)
            last = d(when)
    # the owner touches an open item every few weeks; I-304 and R-102 not since the change above
    if s["status"] == "Open" and iid not in ("I-304", "R-102"):
        last = max(last, day - timedelta(days=rng.randint(2, 20)))
    s["last_updated"] = min(last, day)
    return s


def write_raid_logs(rng: random.Random) -> dict:
    counts = {}
    for day in COPIES:
        path = OUT / "raid" / f"pmo_raid_log_{day.isoformat()}.xlsx"
        wb = new_workbook(path)
        date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
        bold = wb.add_format({"bold": True})
        ws = wb.add_worksheet("RAID log")
        ws.write_string(0, 0, "PMO RAID log - all portfolios", bold)
        ws.write_row(1, 0, HEADER, bold)
        r = 2
        for item in ITEMS:
            if d(item[6]) > day:
                continue
            s = _state(item, day, rng)
            cells = [item[0], item[1], item[3], item[4] or None, item[2], item[5], s["status"], d(item[6]),
                     s.get("probability"), s.get("impact"), d(s["due"]) if s.get("due") else None,
                     s.get("mitigation") or None, d(s["closed"]) if s["closed"] else None, s.get("cost"),
                     s["last_updated"], s.get("depends")]
            for c, v in enumerate(cells):
                if v is None:
                    continue
                if isinstance(v, date):
                    ws.write_datetime(r, c, datetime.combine(v, time()), date_fmt)
                elif isinstance(v, (int, float)):
                    ws.write_number(r, c, v)
                else:
                    ws.write_string(r, c, v)
            r += 1
        ws.set_column(0, len(HEADER) - 1, 14)
        ws.set_column(2, 3, 48)
        wb.close()
        counts[path.name] = r - 2
    return counts
