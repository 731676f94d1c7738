"""The story every file tells: one fictional company as of 2026-11-20 (today is 2026-11-25).

40 projects in 4 portfolios (`PROJECTS`), their budgets, slips and monthly spend, six monthly status
drops, and the PMO staff who manage them (`STAFF`). Each tool's generator reads this model and writes
it in that tool's own layout; change a constant here and every file follows.

Randomness comes from one seed: `random_streams()` gives each part of the story its own child
generator, drawn in a fixed order (`RANDOM_STREAMS`).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from .helpers import (d, days_in_month, elapsed, money, month_start, months_between, new_guid, s_curve,
                      weekday_on_or_before)

# =============================================================================================
# Constants: the story
# =============================================================================================

SEED = 2026
TODAY = date(2026, 11, 25)
STATUS_DATES = [date(2026, 6, 26), date(2026, 7, 31), date(2026, 8, 28),
                date(2026, 9, 25), date(2026, 10, 30), date(2026, 11, 20)]
LATEST = STATUS_DATES[-1]
LEDGER_FIRST = date(2024, 12, 1)                # FP&A window: Dec 2024 .. Nov 2026 (FY = Dec..Nov)
LEDGER_LAST = date(2026, 11, 1)
ACTUALS_LAST = date(2026, 10, 1)                # October is the last closed month
FORECAST_LAST = date(2027, 12, 1)

# One child generator per part of the story, drawn from random.Random(SEED) in this order. A new
# tool's export adds its name at the END: every earlier stream, and so every file, stays as it is.
RANDOM_STREAMS = ["model", "fpna", "drop", "ps", "jira", "hr", "oews", "plans", "raid", "gates",
                  "resources", "priority"]  # new streams go last

# Program -> (portfolio, department, cost-centre number, spend profile, enterprise project type)
PROGRAMS = {
    "Customer Experience":  ("Digital Channels", "Digital Channels", 4720, "digital", "IT Project"),
    "Payments & Commerce":  ("Digital Channels", "Digital Channels", 4721, "digital", "IT Project"),
    "Cloud Migration":      ("Infrastructure & Cloud", "IT Infrastructure", 4711, "infra", "Infrastructure Project"),
    "Network & Security":   ("Infrastructure & Cloud", "IT Infrastructure", 4712, "infra", "Infrastructure Project"),
    "Data Platform":        ("Infrastructure & Cloud", "Data & Analytics", 4725, "digital", "IT Project"),
    "ERP Modernisation":    ("Finance Transformation", "Finance", 4730, "erp", "Business Project"),
    "Record-to-Report":     ("Finance Transformation", "Finance", 4731, "erp", "Business Project"),
    "Procure-to-Pay":       ("Finance Transformation", "Procurement", 4735, "erp", "Business Project"),
    "HR Systems":           ("People & Workplace", "Human Resources", 4740, "hr", "Business Project"),
    "Workplace Experience": ("People & Workplace", "Workplace Services", 4745, "workplace", "Facilities Project"),
}
SPONSORS = {
    "Customer Experience": "Rachel Adams", "Payments & Commerce": "Mark Sullivan",
    "Cloud Migration": "David Chen", "Network & Security": "Anna Kowalski",
    "Data Platform": "David Chen", "ERP Modernisation": "Claudia Meier",
    "Record-to-Report": "Robert Hughes", "Procure-to-Pay": "Claudia Meier",
    "HR Systems": "Patricia Gomez", "Workplace Experience": "Simon Clarke",
}
COST_CENTRE_NAMES = {
    4720: "Digital Channels", 4721: "Payments & Commerce", 4711: "IT Infrastructure",
    4712: "Network & Security", 4725: "Data & Analytics", 4730: "Finance Systems",
    4731: "Financial Reporting", 4735: "Procurement Systems", 4740: "HR Technology",
    4745: "Workplace Services",
}

# Scenario: green | amber | red | trend (green -> amber -> red) | recovering | closed | closing |
# nobaseline. Driver says what goes wrong: cost | schedule | scope | both.
# Health per drop: G / Y / R / "-" (not reported), six letters for the six status dates.
P = dict  # short alias for the table below
PROJECTS = [
    # --- Digital Channels ---------------------------------------------------------------------
    P(code="PRJ-1001", name="Mobile App 3.0", program="Customer Experience", cur="USD", prio="High",
      jira="MOB", health="GGGGGG", driver="scope", start="2025-09-01", finish="2027-03-31", budget=2_400_000,
      pm="Amy Zhang"),
    P(code="PRJ-1002", name="Web Replatforming (Headless CMS)", program="Customer Experience", cur="USD",
      prio="Medium", jira="WEB", health="GGGYYY", driver="scope", start="2025-06-02", finish="2026-12-18",
      budget=1_850_000, pm="Hannah Kim"),
    P(code="PRJ-1003", name="Customer 360 CRM", program="Customer Experience", cur="USD", prio="High",
      jira="CRM", health="GGGGGG", driver="cost", start="2025-04-01", finish="2027-01-29", budget=3_200_000,
      pm="Victor Alvarez"),
    P(code="PRJ-1004", name="Payments Modernisation", program="Payments & Commerce", cur="USD", prio="High",
      jira="PAY", health="GGYYRR", driver="both", start="2025-03-03", finish="2026-12-11", budget=4_600_000,
      pm="Samir Haddad"),
    P(code="PRJ-1005", name="Open Banking API Gateway", program="Payments & Commerce", cur="GBP",
      prio="Medium", health="GGGGGG", driver="schedule", start="2025-10-06", finish="2026-12-16",
      budget=980_000, pm="Sophie Turner"),
    P(code="PRJ-1006", name="Loyalty Programme Relaunch", program="Customer Experience", cur="GBP",
      prio="Medium", health="GGGGGG", driver="cost", start="2026-02-02", finish="2027-02-26",
      budget=1_150_000, pm="James Whitfield"),
    P(code="PRJ-1007", name="Contact Centre AI Assistant", program="Customer Experience", cur="USD",
      prio="Medium", health="--GGGG", driver="scope", start="2026-04-06", finish="2027-03-31",
      budget=1_300_000, pm="Jason Park", baseline=False),
    P(code="PRJ-1008", name="Checkout Conversion Optimisation", program="Payments & Commerce", cur="USD",
      prio="Low", health="GGGGGG", driver="schedule", start="2025-01-06", finish="2026-07-31",
      budget=720_000, pm="Chloe Martin", closed="2026-08-14"),
    P(code="PRJ-1009", name="Consent & Preference Centre", program="Customer Experience", cur="EUR",
      prio="Medium", health="GGGGGG", driver="schedule", start="2025-11-03", finish="2026-12-11",
      budget=640_000, pm="Lena Vogt"),
    P(code="PRJ-1010", name="In-Store Digital Receipts", program="Payments & Commerce", cur="USD",
      prio="Low", health="------", driver="scope", start="2026-12-07", finish="2027-09-30",
      budget=560_000, pm="Derek Nguyen", baseline=False, created="2026-10-15"),
    # --- Infrastructure & Cloud ---------------------------------------------------------------
    P(code="PRJ-1011", name="Data Centre Exit - Wave 1", program="Cloud Migration", cur="USD", prio="High",
      health="GGGGGG", driver="schedule", start="2025-01-13", finish="2026-04-30", budget=5_200_000,
      pm="Marcus Bell", closed="2026-05-22"),
    P(code="PRJ-1012", name="Data Centre Exit - Wave 2", program="Cloud Migration", cur="USD", prio="High",
      health="YRRRRR", driver="both", start="2025-09-01", finish="2027-03-31", budget=6_800_000,
      pm="Elena Petrova", missed_milestone=True),
    P(code="PRJ-1013", name="Enterprise Data Platform", program="Data Platform", cur="USD", prio="High",
      jira="DATA", health="YYYYYY", driver="schedule", start="2025-02-03", finish="2026-12-18",
      budget=3_900_000, pm="Natalie Chen"),
    P(code="PRJ-1014", name="SD-WAN Rollout", program="Network & Security", cur="USD", prio="Medium",
      health="RRYYGG", driver="schedule", start="2025-05-05", finish="2026-12-18", budget=2_100_000,
      pm="Kwame Mensah", recovering=True),
    P(code="PRJ-1015", name="Zero Trust Network Access", program="Network & Security", cur="USD", prio="High",
      health="GGGGGG", driver="schedule", start="2025-10-01", finish="2027-04-30", budget=1_750_000,
      pm="Carlos Mendes"),
    P(code="PRJ-1016", name="Identity & Access Management Refresh", program="Network & Security", cur="USD",
      prio="High", health="GYYYYY", driver="schedule", start="2025-07-01", finish="2026-12-31",
      budget=1_400_000, pm="Ahmed Farouk"),
    P(code="PRJ-1017", name="Backup & DR Modernisation", program="Cloud Migration", cur="EUR", prio="Medium",
      health="GGGGGG", driver="cost", start="2025-08-04", finish="2026-11-27", budget=890_000,
      pm="Lukas Weber"),
    P(code="PRJ-1018", name="Observability Platform", program="Data Platform", cur="USD", prio="Medium",
      jira="OBS", health="GGGGGG", driver="cost", start="2025-11-03", finish="2027-02-26", budget=1_100_000,
      pm="Ben Cho"),
    P(code="PRJ-1019", name="Mainframe Batch Offload", program="Cloud Migration", cur="USD", prio="Medium",
      health="GGGGYY", driver="cost", start="2025-04-07", finish="2027-06-30", budget=3_300_000,
      pm="Raj Malhotra"),
    P(code="PRJ-1020", name="Data Quality & Governance Tooling", program="Data Platform", cur="GBP",
      prio="Low", health="GGGGGG", driver="cost", start="2026-01-12", finish="2026-12-18", budget=460_000,
      pm="James Whitfield"),
    # --- Finance Transformation ---------------------------------------------------------------
    P(code="PRJ-1021", name="S/4HANA Finance Core", program="ERP Modernisation", cur="EUR", prio="High",
      health="YYGYYY", driver="cost", start="2024-12-02", finish="2027-03-31", budget=8_500_000,
      pm="Julia Hoffmann", budget_change=(3, 0.06)),
    P(code="PRJ-1022", name="Group Consolidation Tool", program="Record-to-Report", cur="USD", prio="Medium",
      health="GGGGGG", driver="cost", start="2025-06-02", finish="2026-12-31", budget=1_250_000,
      pm="Brian Murphy"),
    P(code="PRJ-1023", name="S/4HANA Data Migration", program="ERP Modernisation", cur="EUR", prio="High",
      health="YYRRRR", driver="both", start="2025-04-01", finish="2026-12-18", budget=2_900_000,
      pm="Lukas Weber"),
    P(code="PRJ-1024", name="Fast Close Automation", program="Record-to-Report", cur="USD", prio="Medium",
      jira="FCL", health="GGGGGG", driver="schedule", start="2025-09-15", finish="2027-02-26",
      budget=900_000, pm="Maria Gonzalez"),
    P(code="PRJ-1025", name="E-Invoicing (EU Mandate)", program="Procure-to-Pay", cur="EUR", prio="High",
      health="GGGGGG", driver="schedule", start="2025-10-01", finish="2026-12-31", budget=760_000,
      pm="Lena Vogt"),
    P(code="PRJ-1026", name="Treasury Management System", program="Record-to-Report", cur="GBP",
      prio="Medium", health="GGGGGG", driver="schedule", start="2025-03-03", finish="2026-10-30",
      budget=1_050_000, pm="Oliver Grant", closing=True),
    P(code="PRJ-1027", name="Expense Management Rollout", program="Procure-to-Pay", cur="USD", prio="Low",
      health="GGGGGG", driver="schedule", start="2025-02-03", finish="2026-06-30", budget=540_000,
      pm="Ethan Brooks", closed="2026-07-10"),
    P(code="PRJ-1028", name="Tax Engine Upgrade", program="Record-to-Report", cur="USD", prio="Medium",
      health="---GGY", driver="schedule", start="2026-03-02", finish="2027-01-29", budget=830_000,
      pm="Olivia Reed", baseline=False),
    P(code="PRJ-1029", name="Supplier Portal", program="Procure-to-Pay", cur="USD", prio="Medium",
      health="GGYYYY", driver="schedule", start="2025-08-04", finish="2026-11-27", budget=1_150_000,
      pm="Ethan Brooks"),
    P(code="PRJ-1030", name="FP&A Planning Cloud", program="Record-to-Report", cur="USD", prio="Medium",
      health="--GGGG", driver="cost", start="2026-09-07", finish="2027-08-31", budget=1_600_000,
      pm="Tom Becker", created="2026-07-20"),
    # --- People & Workplace -------------------------------------------------------------------
    P(code="PRJ-1031", name="Workday HCM Phase 2", program="HR Systems", cur="USD", prio="High",
      health="GGGGGG", driver="cost", start="2025-07-07", finish="2027-01-29", budget=2_700_000,
      pm="Grace Liu"),
    P(code="PRJ-1032", name="Employee Experience Portal", program="HR Systems", cur="USD", prio="Medium",
      jira="HRX", health="GGGGGY", driver="scope", start="2025-10-06", finish="2027-02-26", budget=1_050_000,
      pm="Isabel Costa"),
    P(code="PRJ-1033", name="Learning Platform Migration", program="HR Systems", cur="USD", prio="Low",
      health="GGGGGG", driver="cost", start="2026-01-05", finish="2026-12-18", budget=620_000,
      pm="Rebecca Stone"),
    P(code="PRJ-1034", name="Global Payroll Consolidation", program="HR Systems", cur="GBP", prio="High",
      health="GYYRRR", driver="both", start="2025-02-03", finish="2026-10-30", budget=3_400_000,
      pm="Oliver Grant", missed_milestone=True),
    P(code="PRJ-1035", name="Hybrid Workplace Booking", program="Workplace Experience", cur="USD", prio="Low",
      health="GGGGGG", driver="cost", start="2025-12-01", finish="2026-12-11", budget=380_000,
      pm="Derek Nguyen"),
    P(code="PRJ-1036", name="HQ Office Consolidation", program="Workplace Experience", cur="USD", prio="High",
      health="YYYYYY", driver="schedule", start="2025-05-05", finish="2027-05-28", budget=7_400_000,
      pm="Aisha Rahman", budget_change=(1, 0.05)),
    P(code="PRJ-1037", name="Frankfurt Office Fit-out", program="Workplace Experience", cur="EUR",
      prio="Medium", health="GGGGGG", driver="cost", start="2025-11-03", finish="2027-01-29",
      budget=2_300_000, pm="Julia Hoffmann"),
    P(code="PRJ-1038", name="ATS Replacement", program="HR Systems", cur="USD", prio="Medium",
      health="GGGGGG", driver="schedule", start="2025-09-01", finish="2026-12-31", budget=870_000,
      pm="Hannah Kim"),
    P(code="PRJ-1039", name="Meeting Room AV Refresh", program="Workplace Experience", cur="USD", prio="Low",
      health="GGGGGG", driver="cost", start="2026-03-02", finish="2027-03-31", budget=940_000,
      pm="Carlos Mendes"),
    P(code="PRJ-1040", name="Wellbeing App Pilot", program="Workplace Experience", cur="GBP", prio="Low",
      health="GGGGGG", driver="scope", start="2026-10-05", finish="2027-04-30", budget=210_000,
      pm="Sophie Turner", created="2026-08-24"),
]

# Cost factor (EAC / budget) and finish slip (calendar days) at each reported health level,
# by what goes wrong. Jittered once per project.
COST_AT_LEVEL = {"cost": {"G": 1.00, "Y": 1.10, "R": 1.30}, "schedule": {"G": 1.00, "Y": 1.03, "R": 1.15},
                 "scope": {"G": 1.00, "Y": 1.07, "R": 1.20}, "both": {"G": 1.01, "Y": 1.14, "R": 1.36}}
SLIP_AT_LEVEL = {"cost": {"G": 0, "Y": 10, "R": 45}, "schedule": {"G": 3, "Y": 38, "R": 90},
                 "scope": {"G": 0, "Y": 30, "R": 70}, "both": {"G": 5, "Y": 45, "R": 118}}

# Why red and amber projects are red or amber (StatusComment in the Project Server drops).
REASONS = {
    "PRJ-1004": {
        "G": "On track; card-vault design approved and HSM order placed.",
        "Y": "PCI DSS 4.0 pre-assessment raised 7 findings on key management; HSM delivery at risk.",
        "R": "Over budget and late: HSM vendor delivery slipped 10 weeks, PCI remediation needs an extra "
             "squad and the contractor team was extended to March; go-live moved from 11 Dec to April.",
    },
    "PRJ-1012": {
        "Y": "Migration factory 4 applications behind plan; storage quote under review.",
        "R": "Over budget and late: migration factory is 14 applications behind plan, replacement storage "
             "arrays came in 38% above quote and two wave cut-overs were postponed to 2027.",
    },
    "PRJ-1023": {
        "Y": "Mock load 2 reconciliation at 97.1% against a 99.5% target; cleansing backlog growing.",
        "R": "Over budget and late: mock load 3 failed reconciliation (4.2% of open items unmatched), "
             "SI change requests for data cleansing add EUR 0.9m and go-live moves to late March 2027.",
    },
    "PRJ-1034": {
        "G": "On track; payroll vendor contracted and UK parallel run 1 passed.",
        "Y": "Country onboarding for Ireland and Poland behind plan; parallel run 2 at risk.",
        "R": "Over budget and late: parallel run 2 failed with 312 variances, vendor onboarding for Ireland "
             "and Poland is 3 months late and a third parallel run plus contractor support is needed.",
    },
    "PRJ-1014": {
        "R": "Carrier circuit delivery late at 23 branches; install partner underperforming.",
        "Y": "Recovery plan in place: install partner replaced, 18 of 23 delayed branches now live.",
        "G": "Recovered: remaining branches on track for December; SLA credit received from the carrier.",
    },
    "PRJ-1002": {"Y": "Scope grew by 3 additional brand sites; design-system rework adds about 6 weeks."},
    "PRJ-1013": {"Y": "CRM source extracts delayed by the upstream team; warehouse decommission moves "
                      "to February. Budget holding."},
    "PRJ-1016": {"Y": "Privileged-access vendor integration delayed; cut-over of 1,200 service accounts "
                      "moved by 5 weeks."},
    "PRJ-1019": {"Y": "COBOL conversion effort higher than estimated and contractor rates up 12%; "
                      "forecast about 9% over budget."},
    "PRJ-1021": {"Y": "Intercompany redesign change request approved (+6% budget); remaining contingency "
                      "below 3%.",
                 "G": "Back within tolerance after the change request was approved."},
    "PRJ-1028": {"Y": "No baseline saved yet, so variance cannot be tracked; vendor upgrade path unclear."},
    "PRJ-1029": {"Y": "Supplier onboarding at 41% against a 70% plan; portal go-live moved to January."},
    "PRJ-1032": {"Y": "Scope expanded to include a mobile app; MVP date at risk."},
    "PRJ-1036": {"Y": "Landlord works on floors 12-14 delayed; move dates under review with the landlord."},
}
GREEN_COMMENTS = [
    "On track; no material issues.",
    "On track. Next milestone on plan.",
    "Progressing to plan; risks under control.",
    "On track; vendor deliverables received as planned.",
    "Green: scope, schedule and cost within tolerance.",
]
PROJECTS_WITHOUT_SCOPE_HEALTH = {"PRJ-1006", "PRJ-1015", "PRJ-1022", "PRJ-1035", "PRJ-1039"}

# PMO staff (Workday): name, job profile, city, FTE %, full-time annual base, hire date.
STAFF = [
    ("Margaret Ellison", "Head of PMO", "New York", 100, 228_000, "2014-03-17"),
    ("Daniel Okafor", "PMO Manager", "New York", 100, 168_000, "2017-06-05"),
    ("Priya Raman", "PMO Manager", "Chicago", 100, 156_500, "2018-09-10"),
    ("Karen Whitaker", "Portfolio Manager", "New York", 100, 181_000, "2016-01-11"),
    ("Luis Ortega", "Portfolio Manager", "Austin", 100, 164_000, "2019-04-01"),
    ("Stefan Brandt", "Portfolio Manager", "Frankfurt", 100, 128_000, "2015-10-01"),
    ("Fiona McAllister", "Portfolio Manager", "London", 100, 98_000, "2018-02-19"),
    ("Marcus Bell", "Program Manager", "San Francisco", 100, 198_000, "2016-08-22"),
    ("Aisha Rahman", "Program Manager", "Seattle", 100, 169_000, "2019-11-04"),
    ("Tom Becker", "Program Manager", "Chicago", 100, 147_500, "2020-02-03"),
    ("Grace Liu", "Program Manager", "New York", 100, 162_000, "2017-05-15"),
    ("Oliver Grant", "Program Manager", "London", 100, 92_000, "2019-07-01"),
    ("Julia Hoffmann", "Program Manager", "Frankfurt", 100, 112_000, "2016-04-01"),
    ("Raj Malhotra", "Program Manager", "Austin", 100, 141_000, "2021-01-11"),
    ("Samir Haddad", "Senior Project Manager", "New York", 100, 142_000, "2018-10-08"),
    ("Elena Petrova", "Senior Project Manager", "San Francisco", 100, 155_000, "2019-03-04"),
    ("Brian Murphy", "Senior Project Manager", "Chicago", 100, 128_000, "2020-06-15"),
    ("Natalie Chen", "Senior Project Manager", "Seattle", 100, 146_000, "2018-01-08"),
    ("Kwame Mensah", "Senior Project Manager", "Austin", 100, 124_000, "2021-09-13"),
    ("Sophie Turner", "Senior Project Manager", "London", 100, 78_000, "2020-11-02"),
    ("Lukas Weber", "Senior Project Manager", "Frankfurt", 100, 92_000, "2017-07-01"),
    ("Rebecca Stone", "Senior Project Manager", "New York", 80, 138_000, "2015-02-23"),
    ("Jason Park", "Project Manager", "New York", 100, 118_000, "2021-04-19"),
    ("Maria Gonzalez", "Project Manager", "Austin", 100, 104_000, "2022-01-10"),
    ("Ethan Brooks", "Project Manager", "Chicago", 100, 99_000, "2022-08-01"),
    ("Hannah Kim", "Project Manager", "San Francisco", 100, 127_000, "2021-06-07"),
    ("Carlos Mendes", "Project Manager", "Seattle", 100, 112_000, "2020-10-19"),
    ("Olivia Reed", "Project Manager", "Austin", 100, 74_500, "2024-05-06"),
    ("Ahmed Farouk", "Project Manager", "Chicago", 100, 96_000, "2023-02-13"),
    ("Lena Vogt", "Project Manager", "Frankfurt", 100, 78_000, "2021-03-01"),
    ("James Whitfield", "Project Manager", "London", 100, 62_000, "2022-09-05"),
    ("Chloe Martin", "Project Manager", "New York", 60, 115_000, "2019-01-14"),
    ("Derek Nguyen", "Project Manager", "Seattle", 100, 121_000, "2020-05-26"),
    ("Isabel Costa", "Project Manager", "San Francisco", 100, 152_000, "2018-11-12"),
    ("Tyler Johnson", "Project Coordinator", "Austin", 100, 56_000, "2025-03-03"),
    ("Megan Scott", "Project Coordinator", "Chicago", 100, 66_000, "2023-07-17"),
    ("Nina Patel", "Project Coordinator", "New York", 100, 72_000, "2022-04-04"),
    ("Ruth Adeyemi", "Project Coordinator", "London", 100, 38_000, "2023-10-02"),
    ("Dana Whitfield", "PMO Analyst", "New York", 100, 84_000, "2021-08-16"),
    ("Kevin O'Brien", "PMO Analyst", "Chicago", 100, 76_000, "2022-11-07"),
    ("Sara Lindqvist", "PMO Analyst", "Seattle", 100, 88_000, "2020-09-21"),
    ("Jonas Müller", "PMO Analyst", "Frankfurt", 100, 62_000, "2023-01-09"),
    ("Victor Alvarez", "Delivery Lead", "San Francisco", 100, 152_000, "2019-08-05"),
    ("Amy Zhang", "Scrum Master", "Seattle", 100, 118_000, "2021-02-22"),
    ("Ben Cho", "Scrum Master", "Austin", 80, 109_000, "2022-06-13"),
]


# =============================================================================================
# The seeded random streams
# =============================================================================================

def random_streams() -> dict[str, random.Random]:
    """One generator per name in RANDOM_STREAMS, each seeded from the story's one seed in that order."""
    rng = random.Random(SEED)
    return {name: random.Random(rng.getrandbits(64)) for name in RANDOM_STREAMS}


# =============================================================================================
# The model: projects, their status history and monthly spend
# =============================================================================================

@dataclass
class Project:
    code: str
    name: str
    program: str
    portfolio: str
    department: str
    cost_centre: int
    profile: str
    ept: str
    currency: str
    priority: str
    jira: str | None
    health: str                 # six letters G/Y/R/-
    driver: str
    start: date
    baseline_finish: date       # planned finish when no baseline is saved
    budget: float
    pm: str
    sponsor: str
    has_baseline: bool
    created: date
    closed: date | None
    closing: bool
    recovering: bool
    missed_milestone: bool
    budget_change: tuple[int, float] | None
    guid: str = ""
    cost_jitter: float = 1.0
    slip_jitter: float = 1.0
    cost_offset: float = 0.0    # a green project's EAC is rarely exactly its budget
    finish: date | None = None  # latest forecast finish
    eac: float = 0.0            # latest estimate at completion
    budget_monthly: dict = field(default_factory=dict)   # month -> planned spend (baseline span)
    actual_monthly: dict = field(default_factory=dict)   # month -> actual total (from ledger lines)
    forecast_monthly: dict = field(default_factory=dict)
    drops: list = field(default_factory=list)            # one dict per status date (None = absent)


def build_projects(rng: random.Random) -> list[Project]:
    projects = []
    for row in PROJECTS:
        portfolio, dept, cc, profile, ept = PROGRAMS[row["program"]]
        start = d(row["start"])
        p = Project(
            code=row["code"], name=row["name"], program=row["program"], portfolio=portfolio,
            department=dept, cost_centre=cc, profile=profile,
            ept="Agile Project" if row.get("jira") else ept, currency=row["cur"], priority=row["prio"],
            jira=row.get("jira"), health=row["health"], driver=row["driver"], start=start,
            baseline_finish=d(row["finish"]), budget=float(row["budget"]), pm=row["pm"],
            sponsor=SPONSORS[row["program"]], has_baseline=row.get("baseline", True),
            created=d(row["created"]) if "created" in row else start - timedelta(days=45),
            closed=d(row["closed"]) if "closed" in row else None, closing=row.get("closing", False),
            recovering=row.get("recovering", False), missed_milestone=row.get("missed_milestone", False),
            budget_change=row.get("budget_change"),
        )
        p.guid = new_guid(rng)
        p.cost_jitter = rng.uniform(0.85, 1.15)
        p.slip_jitter = rng.uniform(0.8, 1.2)
        p.cost_offset = rng.choice([0.0, rng.uniform(-0.04, 0.035)])
        projects.append(p)
    return projects


def level_at(p: Project, i: int) -> str:
    """Health letter used for cost/slip at drop i ('-' reads as green)."""
    letter = p.health[i]
    return "G" if letter == "-" else letter


def cost_factor(p: Project, level: str) -> float:
    base = COST_AT_LEVEL[p.driver][level]
    return 1.0 + (base - 1.0) * p.cost_jitter + p.cost_offset


def slip_days(p: Project, level: str) -> int:
    return round(SLIP_AT_LEVEL[p.driver][level] * p.slip_jitter)


def finish_at(p: Project, i: int) -> date:
    if p.closed:
        # closed projects slipped a little and then finished
        planned = p.baseline_finish + timedelta(days=round((p.closed - p.baseline_finish).days * (i + 1) / 6))
        return weekday_on_or_before(min(planned, p.closed) if i < 5 else p.closed)
    return weekday_on_or_before(p.baseline_finish + timedelta(days=slip_days(p, level_at(p, i))))


def phase_weights(months: list[date], first: date, last: date) -> list[float]:
    """Share of spend per month over [first, last]: days in span x a bell over the span."""
    weights = []
    for m in months:
        lo = max(m, first)
        hi = min(date(m.year, m.month, days_in_month(m)), last)
        days = max((hi - lo).days + 1, 0)
        mid = elapsed(first, last, lo + (hi - lo) / 2) if days else 0
        weights.append(days * (0.55 + math.sin(math.pi * min(max(mid, 0), 1))))
    total = sum(weights) or 1.0
    return [w / total for w in weights]


def burn_rate(p: Project, m: date) -> float:
    """Actual spend relative to budget in month m (1.0 = on budget)."""
    final = cost_factor(p, level_at(p, 5))
    if p.recovering:
        return 1.07 if m < date(2026, 7, 1) else 0.82
    if p.health[0] in "G-" and p.health[5] in "YR":        # deteriorating: burn ramps up
        ramp = min(max((m - date(2026, 1, 1)).days / 180, 0.0), 1.0)
        return 1.0 + (final - 1.0) * 1.15 * ramp
    if p.driver == "schedule" and p.health[5] == "Y":
        return 0.96                                          # late, so spending slower
    return final


def build_spend(p: Project, rng: random.Random) -> None:
    """Monthly budget (baseline span), target actuals to Oct 2026 and forecast to finish."""
    p.finish = finish_at(p, 5)
    b_months = months_between(p.start, p.baseline_finish)
    for m, w in zip(b_months, phase_weights(b_months, p.start, p.baseline_finish), strict=True):
        p.budget_monthly[m] = money(p.budget * w)
    peak = max(p.budget_monthly, key=p.budget_monthly.get)   # phasing adds up to the budget exactly
    p.budget_monthly[peak] = money(p.budget_monthly[peak] + p.budget - sum(p.budget_monthly.values()))
    end_actual = min(p.finish, date(2026, 10, 31))
    target = {}
    if p.start <= end_actual:
        for m in months_between(p.start, end_actual):
            if m in p.budget_monthly:
                amount = p.budget_monthly[m] * burn_rate(p, m)
            else:  # slipped past the baseline finish: a tail of spend
                last3 = [target[k] for k in sorted(target)[-3:]] or [p.budget / 12]
                amount = sum(last3) / len(last3) * 0.75
            if p.closed and m == month_start(p.closed):
                amount *= 0.5
            target[m] = money(amount * rng.uniform(0.9, 1.1))
    p.actual_monthly = target  # replaced by ledger sums once lines are written


def build_forecast(p: Project) -> None:
    """EAC at the latest drop and the forecast Nov 2026 .. finish (max Dec 2027)."""
    spent = sum(v for m, v in p.actual_monthly.items())
    if p.closed or p.finish < date(2026, 11, 1):
        p.eac = money(spent)
        return
    months = months_between(max(p.start, date(2026, 11, 1)), min(p.finish, FORECAST_LAST))
    run_rate = (sum(sorted(p.actual_monthly.values())[-3:]) / 3) if p.actual_monthly else p.budget / 12
    wanted = p.budget * cost_factor(p, level_at(p, 5)) - spent
    remaining = max(wanted, 0.45 * run_rate * len(months))
    weights = [1.0] * len(months)
    weights[-1] = 0.6
    total = sum(weights)
    for m, w in zip(months, weights, strict=True):
        p.forecast_monthly[m] = money(remaining * w / total)
    p.eac = money(spent + sum(p.forecast_monthly.values()))


def actual_to(p: Project, day: date) -> float:
    """Actual cost at a status date: closed months plus the share of the current month."""
    total = sum(v for m, v in p.actual_monthly.items() if m < month_start(day))
    this = p.actual_monthly.get(month_start(day), p.forecast_monthly.get(month_start(day), 0.0))
    if p.finish and day > p.finish:
        return money(total + this)
    return money(total + this * day.day / days_in_month(day))


def stage_at(p: Project, day: date, pct: int) -> str:
    if p.closed and day >= p.closed:
        return "Closed" if day >= p.closed + timedelta(days=28) else "Closing"
    if day < p.start:
        return "Initiation"
    if pct >= 98 or (p.closing and day > p.baseline_finish) or (p.finish - day).days <= 7:
        return "Closing"
    if pct < 8 or elapsed(p.start, p.finish, day) < 0.12:
        return "Planning"
    return "Execution"


def build_drops(p: Project, rng: random.Random) -> None:
    """Project Server values at each of the six status dates."""
    last_pct = 0
    green_comment = rng.choice(GREEN_COMMENTS)
    for i, day in enumerate(STATUS_DATES):
        if p.created > day:
            p.drops.append(None)
            continue
        level = level_at(p, i)
        finish = finish_at(p, i) if i < 5 else p.finish
        if p.closed and day >= p.closed:
            pct = 100
        else:
            perf = {"G": 1.0, "Y": 0.95, "R": 0.86}[level]
            pct = round(100 * s_curve(elapsed(p.start, finish, day)) * perf)
            pct = min(pct, 98 if p.closing else 99)
            if day < p.start:
                pct = 0
        pct = max(pct, last_pct)
        last_pct = pct
        actual = actual_to(p, day) if day >= p.start else 0.0
        if i == 5:
            eac = p.eac
        elif p.closed and day >= p.closed:
            eac = actual
        else:
            eac = money(max(p.budget * cost_factor(p, level), actual * 1.02))
        budget = p.budget
        if p.budget_change and i >= p.budget_change[0]:
            budget = money(p.budget * (1 + p.budget_change[1]))
        letter = p.health[i]
        overall = {"G": "Green", "Y": "Yellow", "R": "Red", "-": None}[letter]
        if overall is None:
            sched = cost = scope = None
        else:
            sched = overall if p.driver in ("schedule", "both") else "Green"
            cost = overall if p.driver in ("cost", "both") else "Green"
            scope = overall if p.driver == "scope" else ("Yellow" if letter == "R" else "Green")
            if p.recovering and letter != "G":
                cost = "Yellow"
            if p.code in PROJECTS_WITHOUT_SCOPE_HEALTH:
                scope = None
        reasons = REASONS.get(p.code, {})
        if p.closed and day >= p.closed:
            comment = "Project closed; benefits tracking handed over to the business owner."
        elif day < p.start:
            comment = "In initiation: business case approved, planning starts " + p.start.strftime("%d %b %Y") + "."
        elif letter == "-":
            comment = "Status not yet reported."
        else:
            comment = reasons.get(letter) or green_comment
        p.drops.append(dict(
            status_date=day, finish=finish, pct=pct, actual=actual, eac=eac, budget=budget,
            stage=stage_at(p, day, pct), overall=overall, schedule=sched, cost=cost, scope=scope,
            comment=comment, actual_finish=p.closed if p.closed and day >= p.closed else None,
        ))
