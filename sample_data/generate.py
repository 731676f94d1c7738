#!/usr/bin/env python3
"""Write the sample exports in `sample_data/`: realistic files in each source tool's own format.

    python sample_data/generate.py

Deterministic: everything comes from `random.Random(2026)` (child generators are drawn from it in a
fixed order) and fixed dates, and xlsx document properties are pinned, so a second run writes
byte-identical files. `sample_data/README.md` says which file imitates which tool and what story
the data tells; layouts follow `shared/reference/export-formats.md` (sections 1, 2.3, 6.3, 7.1, 7.3).

One model drives every file: 40 projects in 4 portfolios (`PROJECTS`), their monthly spend, six
monthly Project Server status drops, tasks, risks, Jira issues, the FP&A ledger and the PMO staff
who manage them (`STAFF`). Change a constant at the top and every file follows.
"""

from __future__ import annotations

import calendar
import csv
import math
import random
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

import xlsxwriter

# =============================================================================================
# Constants: the story
# =============================================================================================

SEED = 2026
OUT = Path(__file__).resolve().parent
TODAY = date(2026, 11, 25)
STATUS_DATES = [date(2026, 6, 26), date(2026, 7, 31), date(2026, 8, 28),
                date(2026, 9, 25), date(2026, 10, 30), date(2026, 11, 20)]
LATEST = STATUS_DATES[-1]
XLSX_CREATED = datetime(2026, 11, 20)           # pinned document property -> byte-identical xlsx
LEDGER_FIRST = date(2024, 12, 1)                # FP&A window: Dec 2024 .. Nov 2026 (FY = Dec..Nov)
LEDGER_LAST = date(2026, 11, 1)
ACTUALS_LAST = date(2026, 10, 1)                # October is the last closed month
FORECAST_LAST = date(2027, 12, 1)

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
PS_OWNER_FOR = {"PRJ-1005", "PRJ-1009", "PRJ-1017", "PRJ-1020", "PRJ-1025", "PRJ-1033", "PRJ-1035",
                "PRJ-1039"}  # projects published by the PMO scheduler rather than their PM
PS_SCHEDULER = "Dana Whitfield"

# Spend mix by program profile: category -> share of budget.
SPEND_MIX = {
    "digital":   {"Labour": 0.45, "Vendor": 0.30, "Software": 0.17, "Hardware": 0.05, "Travel": 0.03},
    "infra":     {"Labour": 0.25, "Vendor": 0.33, "Hardware": 0.30, "Software": 0.09, "Travel": 0.03},
    "erp":       {"Labour": 0.35, "Vendor": 0.50, "Software": 0.12, "Travel": 0.03},
    "hr":        {"Labour": 0.35, "Vendor": 0.40, "Software": 0.22, "Travel": 0.03},
    "workplace": {"Labour": 0.12, "Vendor": 0.55, "Hardware": 0.30, "Travel": 0.03},
}
GL_ACCOUNTS = {"Labour": "615000", "Vendor": "620000", "Hardware": "640100", "Software": "641200",
               "Travel": "650000"}
CAPITALISABLE = {"infra", "erp", "workplace"}  # Labour/Vendor capitalised on these profiles

# FX: rate to USD on the first of each month (plausible, not official).
FX = {
    "EUR": [1.0480, 1.0350, 1.0410, 1.0820, 1.1230, 1.1280, 1.1530, 1.1680, 1.1620, 1.1730, 1.1640,
            1.1560, 1.1650, 1.1700, 1.1590, 1.1520, 1.1480, 1.1550, 1.1610, 1.1670, 1.1690, 1.1620,
            1.1580, 1.1610],
    "GBP": [1.2650, 1.2410, 1.2560, 1.2920, 1.3150, 1.3380, 1.3560, 1.3500, 1.3450, 1.3480, 1.3320,
            1.3150, 1.3400, 1.3460, 1.3380, 1.3290, 1.3250, 1.3330, 1.3410, 1.3520, 1.3480, 1.3390,
            1.3310, 1.3360],
}

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
# Job profile -> (job family, management level, grade)
JOB_PROFILES = {
    "Head of PMO": ("PMO Leadership", "7 Director", "PMO-G10"),
    "PMO Manager": ("PMO Leadership", "8 Senior Manager", "PMO-G9"),
    "Portfolio Manager": ("Portfolio Management", "8 Senior Manager", "PMO-G9"),
    "Program Manager": ("Program Management", "9 Manager", "PMO-G8"),
    "Senior Project Manager": ("Project Management", "11 Individual Contributor", "PMO-G7"),
    "Project Manager": ("Project Management", "11 Individual Contributor", "PMO-G6"),
    "Project Coordinator": ("PMO Operations", "11 Individual Contributor", "PMO-G4"),
    "PMO Analyst": ("PMO Operations", "11 Individual Contributor", "PMO-G5"),
    "Delivery Lead": ("Agile Delivery", "10 Supervisor", "PMO-G7"),
    "Scrum Master": ("Agile Delivery", "11 Individual Contributor", "PMO-G6"),
}
CITIES = {  # city -> (country as Workday spells it, currency, full-time weekly hours)
    "New York": ("United States of America", "USD", 40), "Chicago": ("United States of America", "USD", 40),
    "Austin": ("United States of America", "USD", 40), "San Francisco": ("United States of America", "USD", 40),
    "Seattle": ("United States of America", "USD", 40), "London": ("United Kingdom", "GBP", 37.5),
    "Frankfurt": ("Germany", "EUR", 40),
}

# Jira: project key -> (Jira project name, team-managed?, epics, work items)
JIRA = {
    "PAY": ("Payments Platform", False,
            ["Card vault hardening", "HSM migration", "Real-time payments rail", "Fraud scoring v2",
             "PCI DSS 4.0 remediation"],
            ["tokenisation service", "key rotation job", "settlement file parser", "3DS challenge flow",
             "refund API", "FX fee calculation", "chargeback webhook", "audit log export", "HSM client pool"]),
    "MOB": ("Mobile App", True,
            ["Onboarding redesign", "Biometric login", "Offline mode", "Push notification service",
             "Accessibility (WCAG 2.2)"],
            ["sign-up screen", "Face ID prompt", "sync queue", "notification preferences",
             "dark mode palette", "deep links", "crash reporting", "screen-reader labels"]),
    "WEB": ("Web Platform", False,
            ["Headless CMS migration", "Design system 2.0", "Brand sites onboarding", "Search & SEO"],
            ["content model", "page templates", "image CDN", "sitemap generator", "cookie banner",
             "component library", "redirect map", "search index"]),
    "CRM": ("Customer 360", False,
            ["Customer golden record", "Sales pipeline migration", "Service console",
             "Marketing consent sync"],
            ["match-merge rules", "account hierarchy", "opportunity import", "case routing",
             "consent API", "duplicate report", "lead scoring", "email-to-case"]),
    "DATA": ("Enterprise Data Platform", False,
             ["Ingestion framework", "Finance data domain", "CRM data domain", "Data catalogue",
              "Warehouse decommission"],
             ["CDC connector", "GL extract", "dbt models", "lineage export", "row-level security",
              "partitioning", "SLA monitor", "customer dimension", "schema registry"]),
    "OBS": ("Observability", False,
            ["Metrics pipeline", "Distributed tracing", "Alert routing", "SLO dashboards"],
            ["OpenTelemetry collector", "trace sampling", "PagerDuty routing", "error budget panel",
             "log retention", "Prometheus federation", "synthetic checks"]),
    "FCL": ("Fast Close", False,
            ["Intercompany matching", "Accrual automation", "Close calendar", "Reconciliation bots"],
            ["IC matching rules", "accrual template", "close task list", "bank rec bot",
             "variance commentary", "FX revaluation check", "journal upload"]),
    "HRX": ("Employee Experience", True,
            ["Employee portal MVP", "Mobile app", "Knowledge base", "Case management integration"],
            ["home page widgets", "SSO login", "article search", "case form", "leave balance tile",
             "push notifications", "feedback survey"]),
}
JIRA_SERVER_PROJECT = "DATA"  # split off into a Server/Data Center export
ENGINEERS = [
    "Lena Vogel", "Arjun Mehta", "Sofia Rossi", "Noah Williams", "Mei Tanaka", "Omar Haddad",
    "Ingrid Larsen", "Diego Fernández", "Fatima Zahra", "Peter Novak", "Yuki Sato", "Grace O'Neill",
    "Mateo Silva", "Hana Kovač", "Liam Murphy", "Zoe Fischer", "Ravi Kumar", "Emma Johansson",
    "Tomás Ortega", "Chen Wei", "Aylin Demir", "Jonas Berg", "Priyanka Rao", "Marco Bianchi",
    "Sipho Dlamini", "Julia Nowak", "Ethan Cole", "Ana Lima", "Kenji Mori", "Leila Karimi",
]

# OEWS May 2024 national anchors (see README for sources). Medians are the published BLS values;
# other percentiles and means are derived (illustrative).
OEWS_TOP = (115.00, 239_200)  # '#' top-code: wage >= $115.00/hour or $239,200/year
OEWS_OCCUPATIONS = {
    "13-1082": ("Project Management Specialists", 100_750, 968_700,
                {"p10": 0.583, "p25": 0.752, "p75": 1.302, "p90": 1.655, "mean": 1.088}),
    "11-3021": ("Computer and Information Systems Managers", 171_200, 624_300,
                {"p10": 0.610, "p25": 0.785, "p75": 1.270, "p90": 1.500, "mean": 1.070}),
}
# area code, title, type, state, median multiplier for 13-1082, 11-3021 median (annual)
OEWS_AREAS = [
    ("99", "U.S.", 1, "US", 1.000, 171_200),
    ("36", "New York", 2, "NY", 1.172, 216_100),
    ("17", "Illinois", 2, "IL", 1.015, 165_600),
    ("48", "Texas", 2, "TX", 0.992, 171_600),
    ("06", "California", 2, "CA", 1.214, 219_200),
    ("53", "Washington", 2, "WA", 1.196, 209_500),
    ("35620", "New York-Newark-Jersey City, NY-NJ", 4, "NY", 1.221, 225_400),
    ("16980", "Chicago-Naperville-Elgin, IL-IN", 4, "IL", 1.043, 170_900),
    ("12420", "Austin-Round Rock-San Marcos, TX", 4, "TX", 1.061, 176_300),
    ("41860", "San Francisco-Oakland-Fremont, CA", 4, "CA", 1.384, 236_500),
    ("42660", "Seattle-Tacoma-Bellevue, WA", 4, "WA", 1.252, 218_800),
]
OEWS_NO_EMPLOYMENT = {("12420", "11-3021")}  # '**': employment estimate not released

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


# =============================================================================================
# Small helpers
# =============================================================================================

def d(text: str) -> date:
    return date.fromisoformat(text)


def weekday_on_or_before(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def weekday_on_or_after(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def workdays(first: date, last: date) -> int:
    """Working days from first to last inclusive (0 if last < first)."""
    if last < first:
        return 0
    n, day = 0, first
    while day <= last:
        n += day.weekday() < 5
        day += timedelta(days=1)
    return n


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, n: int) -> date:
    y, m = divmod(day.month - 1 + n, 12)
    return date(day.year + y, m + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """First-of-month dates from month(first) to month(last) inclusive."""
    out, m = [], month_start(first)
    while m <= month_start(last):
        out.append(m)
        m = add_months(m, 1)
    return out


def days_in_month(m: date) -> int:
    return calendar.monthrange(m.year, m.month)[1]


def fiscal_year(m: date) -> str:
    """Fiscal years run December to November: Dec 2025 .. Nov 2026 is FY2026."""
    return f"FY{m.year + 1 if m.month == 12 else m.year}"


def new_guid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def s_curve(x: float) -> float:
    """Cumulative progress share at elapsed share x: a gentle S."""
    x = min(max(x, 0.0), 1.0)
    return 0.45 * x + 0.55 * x * x * (3 - 2 * x)


def elapsed(first: date, last: date, day: date) -> float:
    span = (last - first).days
    return 0.0 if span <= 0 else (day - first).days / span


def money(x: float) -> float:
    return round(x + 0.0, 2)


def fmt_amount(x: float) -> str:
    return f"{x:.2f}"


def jira_dt(t: datetime) -> str:
    """Jira's `dd/MMM/yy h:mm a`: zero-padded day, non-padded 12-hour clock, English month."""
    hour = t.hour % 12 or 12
    return f"{t.day:02d}/{MONTHS[t.month - 1]}/{t.year % 100:02d} {hour}:{t.minute:02d} {'AM' if t.hour < 12 else 'PM'}"


def jira_date_only(day: date) -> str:
    return f"{day.day:02d}/{MONTHS[day.month - 1]}/{day.year % 100:02d}"


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm))


def csv_writer(path: Path):
    """UTF-8 (no BOM), LF line ends, quotes only where needed (RFC 4180)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    f = path.open("w", encoding="utf-8", newline="")
    return f, csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)


def new_workbook(path: Path) -> xlsxwriter.Workbook:
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": False})
    wb.set_properties({"created": XLSX_CREATED, "author": "PMO Reporting", "company": ""})
    return wb


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


# =============================================================================================
# File 3: FP&A ledger (written before the Project Server drops: actual cost comes from it)
# =============================================================================================

FPNA_HEADER = ["Cost Center", "Cost Center Name", "Project", "GL Account", "Category", "Capex/Opex",
               "Fiscal Year", "Period", "Version", "Currency", "Amount"]


def cost_centre(p: Project) -> tuple[str, str]:
    prefix, suffix = {"USD": ("CC4", ""), "EUR": ("CC5", " (DE)"), "GBP": ("CC6", " (UK)")}[p.currency]
    return f"{prefix}{p.cost_centre % 1000:03d}", COST_CENTRE_NAMES[p.cost_centre] + suffix


def capex_opex(p: Project, category: str) -> str:
    if category in ("Hardware", "Software"):
        return "CAPEX"
    if category == "Travel":
        return "OPEX"
    return "CAPEX" if p.profile in CAPITALISABLE else "OPEX"


def split_by_mix(amount: float, mix: dict, rng: random.Random, noise: float) -> dict:
    raw = {c: s * rng.uniform(1 - noise, 1 + noise) for c, s in mix.items()}
    total = sum(raw.values())
    parts = {c: money(amount * v / total) for c, v in raw.items()}
    first = next(iter(parts))
    parts[first] = money(parts[first] + amount - sum(parts.values()))  # keep the month total exact
    return parts


def write_fpna(projects: list[Project], rng: random.Random) -> int:
    lines = []  # (project, version order, period, gl, category, amount)
    version_order = {"Budget": 0, "Actual": 1, "Forecast": 2, "Commitment": 3}
    reversal_projects = set(rng.sample([p.code for p in projects if len(p.actual_monthly) > 6], 8))
    for p in projects:
        mix = SPEND_MIX[p.profile]
        # Budget: phased over the whole baseline span from the window's start (the approved budget
        # runs to the project's end); a project not yet started has no approved budget lines.
        for m, amount in sorted(p.budget_monthly.items()):
            if LEDGER_FIRST <= m and p.start <= LEDGER_LAST:
                for cat, part in split_by_mix(amount, mix, rng, 0.0).items():
                    lines.append((p, "Budget", m, cat, part))
        if p.budget_change:  # approved change request booked as a budget supplement
            m = month_start(STATUS_DATES[p.budget_change[0]])
            lines.append((p, "Budget", m, "Vendor", money(p.budget * p.budget_change[1])))
        # Actual: several lines a month (vendor invoices), some reversals and credits
        ledger_actual = {}
        for m, amount in sorted(p.actual_monthly.items()):
            if m > ACTUALS_LAST:
                continue
            for cat, part in split_by_mix(amount, mix, rng, 0.25).items():
                if cat == "Vendor" and part > 20_000 and rng.random() < 0.6:
                    first = money(part * rng.uniform(0.35, 0.65))
                    lines.append((p, "Actual", m, cat, first))
                    lines.append((p, "Actual", m, cat, money(part - first)))
                else:
                    lines.append((p, "Actual", m, cat, part))
            ledger_actual[m] = amount
        months = sorted(m for m in ledger_actual if m < ACTUALS_LAST)
        if p.code in reversal_projects and len(months) > 3:
            m = rng.choice(months[1:-1])
            dup = money(rng.uniform(8_000, 40_000))  # duplicate invoice posted, reversed next month
            lines.append((p, "Actual", m, "Vendor", dup))
            lines.append((p, "Actual", add_months(m, 1), "Vendor", -dup))
            ledger_actual[m] += dup
            ledger_actual[add_months(m, 1)] -= dup
        if p.recovering:  # carrier SLA credit note
            credit = money(p.budget * 0.035)
            lines.append((p, "Actual", date(2026, 9, 1), "Vendor", -credit))
            ledger_actual[date(2026, 9, 1)] = ledger_actual.get(date(2026, 9, 1), 0) - credit
        p.actual_monthly = {m: money(v) for m, v in ledger_actual.items()}
        build_forecast(p)
        for m, amount in sorted(p.forecast_monthly.items()):
            for cat, part in split_by_mix(amount, mix, rng, 0.1).items():
                lines.append((p, "Forecast", m, cat, part))
        # Commitment: open purchase orders on running projects
        if p.forecast_monthly and not p.closed and rng.random() < 0.45:
            for cat in [c for c in ("Vendor", "Hardware") if c in mix][: rng.randint(1, 2)]:
                lines.append((p, "Commitment", LEDGER_LAST, cat, money(p.budget * rng.uniform(0.01, 0.05))))

    lines.sort(key=lambda r: (r[0].code, version_order[r[1]], r[2], GL_ACCOUNTS[r[3]]))
    f, w = csv_writer(OUT / "finance" / "fpna_ledger_FY2025-FY2026.csv")
    with f:
        w.writerow(FPNA_HEADER)
        for p, version, m, cat, amount in lines:
            cc, cc_name = cost_centre(p)
            w.writerow([cc, cc_name, p.code, GL_ACCOUNTS[cat], cat, capex_opex(p, cat), fiscal_year(m),
                        f"{m.year}-{m.month:02d}", version, p.currency, fmt_amount(amount)])
    return len(lines)


def write_fx() -> int:
    f, w = csv_writer(OUT / "finance" / "fx_rates_2026.csv")
    months = months_between(LEDGER_FIRST, LEDGER_LAST)
    rows = 0
    with f:
        w.writerow(["Currency", "Rate to USD", "Valid From"])
        for cur in ("EUR", "GBP", "USD"):
            for k, m in enumerate(months):
                rate = 1.0 if cur == "USD" else FX[cur][k]
                w.writerow([cur, f"{rate:.4f}", m.isoformat()])
                rows += 1
    return rows


# =============================================================================================
# File 1: Project Server ProjectData drops (Excel Power Query export, one sheet per entity set)
# =============================================================================================

PROJECTS_HEADER = [
    "ProjectId", "ProjectName", "ProjectOwnerName", "ProjectManagerName", "ProjectStartDate",
    "ProjectFinishDate", "ProjectBaselineStartDate", "ProjectBaselineFinishDate", "ProjectActualFinishDate",
    "ProjectStatusDate", "ProjectPercentCompleted", "ProjectCost", "ProjectActualCost",
    "ProjectBaselineCost", "ProjectBudgetCost", "ProjectCurrency", "ProjectDepartments",
    "EnterpriseProjectTypeName",
    # enterprise custom fields: display names without spaces
    "ProjectCode", "Portfolio", "Program", "Sponsor", "Stage", "Priority", "JiraProjectKey",
    "OverallHealth", "ScheduleHealth", "CostHealth", "ScopeHealth", "StatusComment",
]
TASKS_HEADER = [
    "ProjectId", "ProjectName", "TaskId", "ParentTaskId", "TaskName", "TaskOutlineLevel", "TaskWBS",
    "TaskStartDate", "TaskFinishDate", "TaskDuration", "TaskWork", "TaskActualWork", "TaskRemainingWork",
    "TaskPercentCompleted", "TaskCost", "TaskActualCost", "TaskIsMilestone", "TaskIsSummary",
    "TaskDeadline", "TaskModifiedDate",
]
TASK_BASELINES_HEADER = ["ProjectId", "TaskId", "BaselineNumber", "TaskBaselineStartDate",
                         "TaskBaselineFinishDate", "TaskBaselineCost", "TaskBaselineWork",
                         "TaskBaselineDuration"]
RISKS_HEADER = ["ProjectId", "ProjectName", "RiskId", "Title", "Status", "Category", "Owner",
                "AssignedToResource", "Probability", "Impact", "Exposure", "Cost", "CostExposure", "DueDate",
                "MitigationPlan", "CreatedDate", "ModifiedDate"]
ISSUES_HEADER = ["ProjectId", "ProjectName", "IssueId", "Title", "Status", "Category", "Owner",
                 "AssignedToResource", "Priority", "DueDate", "CreatedDate", "ModifiedDate", "Resolution"]

# Phase templates: (phase, share of the schedule, work tasks, milestone at the phase end or None)
PHASES = {
    "it": [
        ("Initiation", 0.08, ["Project charter", "Stakeholder analysis"], "Business case approved"),
        ("Design", 0.17, ["Solution architecture", "Detailed design", "Security review"], "Design sign-off"),
        ("Build", 0.35, ["Build iteration 1", "Build iteration 2", "Integration build",
                         "Data migration scripts"], None),
        ("Test", 0.20, ["System integration testing", "User acceptance testing", "Performance testing"],
         "UAT complete"),
        ("Deployment", 0.12, ["Cutover rehearsal", "Production cutover", "Hypercare"], "Go-live"),
        ("Closure", 0.08, ["Lessons learned", "Handover to operations"], "Project closure"),
    ],
    "erp": [
        ("Prepare", 0.08, ["Project charter", "Fit-gap workshops"], "Business case approved"),
        ("Explore", 0.17, ["Process design", "Data migration strategy", "Integration design"], "Design sign-off"),
        ("Realize", 0.35, ["Configuration", "Interface build", "Mock load 1", "Mock load 2"], None),
        ("Deploy", 0.28, ["Integration testing", "User acceptance testing", "Mock load 3", "Cutover"], "Go-live"),
        ("Run", 0.12, ["Hypercare", "Handover to support"], "Project closure"),
    ],
    "hr": [
        ("Initiation", 0.10, ["Project charter", "Vendor onboarding"], "Business case approved"),
        ("Design", 0.20, ["Process design", "Data mapping", "Country requirements"], "Design sign-off"),
        ("Configure", 0.30, ["Configuration", "Integrations", "Data conversion"], None),
        ("Test", 0.25, ["Parallel run 1", "Parallel run 2", "User acceptance testing"], "UAT complete"),
        ("Deploy", 0.15, ["Training", "Go-live support"], "Go-live"),
    ],
    "workplace": [
        ("Initiation", 0.08, ["Requirements brief", "Budget approval"], "Budget approved"),
        ("Planning", 0.15, ["Space planning", "Tender documents"], "Supplier selected"),
        ("Procurement", 0.12, ["Tender evaluation", "Contract award"], None),
        ("Implementation", 0.45, ["Site works phase 1", "Site works phase 2", "IT & AV installation"],
         "Practical completion"),
        ("Handover", 0.20, ["Snagging", "Occupancy move"], "Move complete"),
    ],
}
TEMPLATE_FOR_PROFILE = {"digital": "it", "infra": "it", "erp": "erp", "hr": "hr", "workplace": "workplace"}

RISK_TEMPLATES = [
    ("Vendor", "Key vendor resources may roll off before go-live",
     "Named-resource clause agreed; weekly vendor capacity review."),
    ("Schedule", "Upstream dependency may not deliver on time",
     "Dependency tracked in the programme plan; fortnightly check-in with the delivering team."),
    ("Technical", "Legacy interfaces may not meet performance targets",
     "Early performance test on the three busiest interfaces."),
    ("Resource", "Business SMEs unavailable during UAT",
     "UAT calendar agreed with line managers; backfill budget requested."),
    ("Cost", "FX movement on the EUR-denominated contract",
     "Hedge requested through Treasury for the remaining milestones."),
    ("Regulatory", "Regulatory approval could arrive later than planned",
     "Pre-submission meeting held; contingency of 3 weeks in plan."),
    ("Security", "Penetration test findings may delay go-live",
     "Pen test moved earlier; remediation sprint reserved."),
    ("Scope", "Late requirement changes from the business",
     "Change control board weekly; freeze date communicated."),
    ("Organisational", "Adoption may be low without change management",
     "Change champions named in every department; training plan approved."),
]
RED_RISKS = {
    "PRJ-1004": ("Regulatory", "PCI DSS 4.0 certification may not be achieved before the card-vault cut-over",
                 "Extra remediation squad; QSA pre-assessment booked for February."),
    "PRJ-1012": ("Vendor", "Storage array supplier cannot hold the revised price beyond Q1",
                 "Escalated to CIO; alternative supplier quote requested."),
    "PRJ-1023": ("Technical", "Data quality in legacy vendor master blocks mock load 4",
                 "Business data owners cleansing top 5,000 records; daily defect triage."),
    "PRJ-1034": ("Vendor", "Payroll vendor may not onboard Ireland and Poland before year end",
                 "Contract escalation; fallback to in-country bureau for Q1."),
}
ISSUE_TEMPLATES = [
    ("Environment", "Test environment outage blocks SIT", "Environment rebuilt; SIT resumed."),
    ("Data", "Test data not anonymised for UAT", "Masking job added to the refresh pipeline."),
    ("Licensing", "Licence count short for the pilot group", "Additional licences ordered."),
    ("Resource", "Key SME on extended leave", "Backfill from the shared services team."),
    ("Vendor", "Vendor invoice disputed for milestone 2", "Credit note agreed with the vendor."),
    ("Technical", "Interface error rate above threshold in test", "Retry logic and alerting added."),
    ("Scope", "Business requested additional reports before go-live", "Deferred to release 2 by the board."),
]


def write_sheet(wb, name: str, header: list[str], rows: list[list], fmt: dict, widths: dict | None = None):
    """One Power Query table per sheet: typed cells, blanks for NULLs."""
    ws = wb.add_worksheet(name)
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            if v is None:
                continue
            if isinstance(v, bool):
                ws.write_boolean(r, c, v)
            elif isinstance(v, datetime):
                ws.write_datetime(r, c, v, fmt["datetime"])
            elif isinstance(v, date):
                ws.write_datetime(r, c, datetime.combine(v, time()), fmt["datetime"])
            elif isinstance(v, float):
                ws.write_number(r, c, v, fmt["number"])
            elif isinstance(v, int):
                ws.write_number(r, c, v)
            else:
                ws.write_string(r, c, v)
    ws.add_table(0, 0, max(len(rows), 1), len(header) - 1, {
        "name": name, "style": "Table Style Medium 2",
        "columns": [{"header": h} for h in header],
    })
    for c, h in enumerate(header):
        ws.set_column(c, c, (widths or {}).get(h, max(12, min(len(h) + 2, 28))))
    ws.freeze_panes(1, 0)


def project_rows(projects: list[Project], i: int) -> list[list]:
    rows = []
    for p in sorted(projects, key=lambda x: x.name):
        s = p.drops[i]
        if s is None:
            continue
        base = p.has_baseline
        rows.append([
            p.guid, p.name, PS_SCHEDULER if p.code in PS_OWNER_FOR else p.pm, p.pm,
            at(p.start, 8), at(s["finish"], 17),
            at(p.start, 8) if base else None, at(p.baseline_finish, 17) if base else None,
            at(s["actual_finish"], 17) if s["actual_finish"] else None,
            at(s["status_date"], 17), s["pct"], s["eac"], s["actual"],
            p.budget if base else None, s["budget"], p.currency, p.department, p.ept,
            p.code, p.portfolio, p.program, p.sponsor, s["stage"], p.priority, p.jira,
            s["overall"], s["schedule"], s["cost"], s["scope"], s["comment"],
        ])
    return rows


@dataclass
class Task:
    guid: str
    parent: str | None
    name: str
    level: int
    wbs: str
    f0: float                   # schedule position as a share of the project span
    f1: float
    milestone: bool = False
    summary: bool = False
    units: float = 1.0
    children: list = field(default_factory=list)
    start: date | None = None
    finish: date | None = None
    b_start: date | None = None
    b_finish: date | None = None
    pct: int = 0
    work: float = 0.0
    cost: float = 0.0
    b_cost: float = 0.0
    b_work: float = 0.0
    modified: datetime | None = None


def plan_tasks(p: Project, rng: random.Random) -> list[Task]:
    """A phase/task/milestone outline for one project, 8-20 rows, 2-4 milestones."""
    phases = PHASES[TEMPLATE_FOR_PROFILE[p.profile]]
    milestone_phases = [k for k, ph in enumerate(phases) if ph[3]]
    go_live = next(k for k in milestone_phases if phases[k][3] in ("Go-live", "Move complete"))
    others = [k for k in milestone_phases if k != go_live]
    keep_ms = {go_live, *rng.sample(others, k=min(len(others), rng.randint(1, 3)))}
    if p.missed_milestone:
        keep_ms = set(milestone_phases[-4:])
    tasks, pos = [], 0.0
    for k, (phase, share, work_items, milestone) in enumerate(phases):
        n = rng.randint(max(1, len(work_items) - 2), len(work_items))
        items = work_items[:n]
        summary = Task(new_guid(rng), None, phase, 1, str(k + 1), pos, pos + share, summary=True)
        tasks.append(summary)
        for j, item in enumerate(items):
            a = pos + share * j / n - (0.01 if j else 0)
            b = pos + share * (j + 1) / n - (0.01 if milestone is None and j == n - 1 else 0)
            t = Task(new_guid(rng), summary.guid, item, 2, f"{k + 1}.{j + 1}", max(a, pos), b,
                     units=rng.choice([1.0, 1.0, 1.5, 2.0, 3.0]))
            summary.children.append(t)
            tasks.append(t)
        if milestone and k in keep_ms:
            m = Task(new_guid(rng), summary.guid, milestone, 2, f"{k + 1}.{n + 1}", pos + share, pos + share,
                     milestone=True)
            summary.children.append(m)
            tasks.append(m)
        pos += share
    # trim to at most 20 rows by dropping work tasks from the longest phases
    while len(tasks) > 20:
        victim = max((t for t in tasks if t.summary), key=lambda s: len(s.children))
        drop = next(c for c in reversed(victim.children) if not c.milestone)
        victim.children.remove(drop)
        tasks.remove(drop)
    for s in (t for t in tasks if t.summary):
        for j, child in enumerate(s.children, start=1):
            child.wbs = f"{s.wbs}.{j}"
    return tasks


def schedule_tasks(p: Project, tasks: list[Task], rng: random.Random) -> None:
    """Dates from shares of the span, progress at the latest status date, work and cost."""
    finish = p.finish
    for t in tasks:
        if t.summary:
            continue
        t.start = weekday_on_or_after(p.start + timedelta(days=round(t.f0 * (finish - p.start).days)))
        t.finish = weekday_on_or_before(p.start + timedelta(days=round(t.f1 * (finish - p.start).days)))
        t.b_start = weekday_on_or_after(p.start + timedelta(days=round(t.f0 * (p.baseline_finish - p.start).days)))
        t.b_finish = weekday_on_or_before(p.start + timedelta(days=round(t.f1 * (p.baseline_finish - p.start).days)))
        if t.milestone:
            t.start = t.finish
            t.b_start = t.b_finish
        t.finish = max(t.finish, t.start)
        t.b_finish = max(t.b_finish, t.b_start)
        done = p.closed is not None and p.closed <= LATEST
        if done or t.finish < LATEST:
            t.pct = 100
        elif t.start >= LATEST or t.milestone:
            t.pct = 0
        else:
            perf = {"G": 1.0, "Y": 0.9, "R": 0.75}[level_at(p, 5)]
            t.pct = min(95, max(5, round(100 * elapsed(t.start, t.finish, LATEST) * perf)))
        behind = {"R": 1.0, "Y": 0.3}.get(level_at(p, 5), 0.0)
        if (not done and not t.milestone and t.pct == 100 and t.finish > LATEST - timedelta(days=45)
                and rng.random() < behind):
            t.pct = rng.randint(70, 95)     # past its finish date and still open: a late task
        t.work = round(workdays(t.start, t.finish) * 8 * t.units, 1) if not t.milestone else 0.0
        t.b_work = round(workdays(t.b_start, t.b_finish) * 8 * t.units, 1) if not t.milestone else 0.0
    if p.missed_milestone:  # the next milestone's date has passed and nobody moved it: missed
        upcoming = [t for t in tasks if t.milestone and t.pct < 100]
        if upcoming:
            m = min(upcoming, key=lambda t: t.finish)
            m.start = m.finish = weekday_on_or_before(LATEST - timedelta(days=rng.randint(6, 20)))
            m.b_start = m.b_finish = weekday_on_or_before(m.finish - timedelta(days=rng.randint(0, 10)))
    soon = [t for t in tasks if t.milestone and LATEST < t.finish <= LATEST + timedelta(days=30)]
    later = [t for t in tasks if t.milestone and t.name != "Project closure"
             and LATEST + timedelta(days=30) < t.finish <= LATEST + timedelta(days=80)]
    if not soon and later and level_at(p, 5) == "G" and rng.random() < 0.7:
        m = later[0]                    # a checkpoint planned ahead of its phase end
        m.start = m.finish = weekday_on_or_before(LATEST + timedelta(days=rng.randint(5, 29)))
    leaves = [t for t in tasks if not t.summary and not t.milestone]
    total_work = sum(t.work for t in leaves) or 1.0
    total_b_work = sum(t.b_work for t in leaves) or 1.0
    for t in leaves:
        t.cost = money(p.eac * t.work / total_work)
        t.b_cost = money(p.budget * t.b_work / total_b_work)
    for s in (t for t in tasks if t.summary):
        kids = s.children
        s.start, s.finish = min(k.start for k in kids), max(k.finish for k in kids)
        s.b_start, s.b_finish = min(k.b_start for k in kids), max(k.b_finish for k in kids)
        s.work = round(sum(k.work for k in kids), 1)
        s.b_work = round(sum(k.b_work for k in kids), 1)
        s.cost = money(sum(k.cost for k in kids))
        s.b_cost = money(sum(k.b_cost for k in kids))
        if s.work:
            s.pct = round(sum(k.pct * k.work for k in kids) / s.work)
        else:
            s.pct = 100 if all(k.pct == 100 for k in kids) else 0
    for t in tasks:
        last_touch = min(LATEST, max(t.start, min(t.finish, LATEST)))
        back = rng.randint(0, 12)
        t.modified = at(max(p.start, last_touch - timedelta(days=back)), rng.randint(8, 18),
                        rng.choice([0, 15, 30, 45]))


def task_rows(p: Project, tasks: list[Task]) -> tuple[list[list], list[list]]:
    rows, base_rows = [], []
    for t in tasks:
        hours = 0.0 if t.milestone else float(workdays(t.start, t.finish) * 8)
        actual_work = round(t.work * t.pct / 100, 1)
        rows.append([
            p.guid, p.name, t.guid, t.parent, t.name, t.level, t.wbs, at(t.start, 8), at(t.finish, 17),
            hours, t.work, actual_work, round(t.work - actual_work, 1), t.pct, t.cost,
            money(t.cost * t.pct / 100), t.milestone, t.summary,
            at(t.b_finish, 17) if t.milestone and p.has_baseline else None, t.modified,
        ])
        if p.has_baseline:
            b_hours = 0.0 if t.milestone else float(workdays(t.b_start, t.b_finish) * 8)
            base_rows.append([p.guid, t.guid, 0, at(t.b_start, 8), at(t.b_finish, 17), t.b_cost, t.b_work,
                              b_hours])
    return rows, base_rows


def risk_and_issue_rows(p: Project, rng: random.Random) -> tuple[list[list], list[list]]:
    team = [n for n, *_ in STAFF if n != p.pm]
    risks, issues = [], []
    n_risks = rng.randint(1, 4) + (1 if level_at(p, 5) == "R" else 0)
    picks = rng.sample(RISK_TEMPLATES, n_risks)
    if p.code in RED_RISKS:
        picks = [RED_RISKS[p.code]] + picks[:3]
    for k, (cat, title, plan) in enumerate(picks, start=1):
        created = p.start + timedelta(days=rng.randint(5, max(6, (min(LATEST, p.finish) - p.start).days // 2)))
        created = min(created, LATEST - timedelta(days=3))
        closed = (p.closed is not None and p.closed <= LATEST) or (rng.random() < 0.25 and k > 1)
        prob = rng.choice([10, 20, 30, 40, 50, 60, 70, 80]) if not (k == 1 and p.code in RED_RISKS) else 80
        impact = rng.randint(2, 9) if not (k == 1 and p.code in RED_RISKS) else 9
        cost = money(p.budget * rng.uniform(0.01, 0.08))
        modified = min(LATEST, created + timedelta(days=rng.randint(3, 120)))
        due = created + timedelta(days=rng.randint(30, 150))
        if not closed:
            modified = LATEST - timedelta(days=rng.randint(0, 25))
            due = LATEST + timedelta(days=rng.randint(-14, 90))   # a few are overdue
        risks.append([p.guid, p.name, k, title, "Closed" if closed else "Active", cat, p.pm, rng.choice(team),
                      prob, impact, round(prob / 100 * impact, 2), cost, money(prob / 100 * cost),
                      at(due, 17), plan, at(created, rng.randint(9, 17)), at(modified, rng.randint(9, 17))])
    n_issues = rng.randint(0, 2) + (2 if level_at(p, 5) == "R" else 1 if level_at(p, 5) == "Y" else 0)
    if p.start > LATEST:
        n_issues = 0
    for k, (cat, title, resolution) in enumerate(rng.sample(ISSUE_TEMPLATES, n_issues), start=1):
        created = p.start + timedelta(days=rng.randint(5, max(6, (min(LATEST, p.finish) - p.start).days)))
        created = min(created, LATEST - timedelta(days=2))
        status = rng.choice(["Active", "Active", "Resolved", "Closed"])
        if p.closed and p.closed <= LATEST:
            status = "Closed"
        prio = rng.choice(["(1) High", "(2) Medium", "(2) Medium", "(3) Low"])
        if level_at(p, 5) == "R" and k == 1:
            prio, status = "(1) High", "Active"
        if status == "Active":
            created = max(p.start, LATEST - timedelta(days=rng.randint(3, 60)))
        modified = min(LATEST, created + timedelta(days=rng.randint(1, 40)))
        issues.append([p.guid, p.name, k, title, status, cat, p.pm, rng.choice(team), prio,
                       at(created + timedelta(days=rng.randint(7, 30)), 17), at(created, rng.randint(9, 17)),
                       at(modified, rng.randint(9, 17)), resolution if status != "Active" else None])
    return risks, issues


def write_project_server(projects: list[Project], rng: random.Random) -> dict:
    counts = {}
    widths = {"ProjectName": 34, "StatusComment": 60, "TaskName": 30, "Title": 48, "MitigationPlan": 50,
              "ProjectId": 38, "TaskId": 38, "ParentTaskId": 38, "Resolution": 40}
    # tasks, risks and issues belong to the latest drop only
    task_sheet, baseline_sheet, risk_sheet, issue_sheet = [], [], [], []
    for p in sorted(projects, key=lambda x: x.name):
        if p.drops[5] is None:
            continue
        if not p.jira:
            tasks = plan_tasks(p, rng)
            schedule_tasks(p, tasks, rng)
            rows, base = task_rows(p, tasks)
            task_sheet += rows
            baseline_sheet += base
        r, i = risk_and_issue_rows(p, rng)
        risk_sheet += r
        issue_sheet += i
    for i, day in enumerate(STATUS_DATES):
        path = OUT / "project_server" / f"ProjectData_{day.isoformat()}.xlsx"
        wb = new_workbook(path)
        fmt = {"datetime": wb.add_format({"num_format": "m/d/yyyy h:mm"}),
               "number": wb.add_format({"num_format": "#,##0.00"})}
        rows = project_rows(projects, i)
        write_sheet(wb, "Projects", PROJECTS_HEADER, rows, fmt, widths)
        counts[path.name] = {"Projects": len(rows)}
        if day == LATEST:
            write_sheet(wb, "Tasks", TASKS_HEADER, task_sheet, fmt, widths)
            write_sheet(wb, "TaskBaselines", TASK_BASELINES_HEADER, baseline_sheet, fmt, widths)
            write_sheet(wb, "Risks", RISKS_HEADER, risk_sheet, fmt, widths)
            write_sheet(wb, "Issues", ISSUES_HEADER, issue_sheet, fmt, widths)
            counts[path.name].update(Tasks=len(task_sheet), TaskBaselines=len(baseline_sheet),
                                     Risks=len(risk_sheet), Issues=len(issue_sheet))
        wb.close()
    return counts


# =============================================================================================
# File 2: Jira issue CSVs (Cloud "all fields" for 7 projects, Server/DC for one)
# =============================================================================================

JIRA_CLOUD_HEADER = [
    "Summary", "Issue key", "Issue id", "Issue Type", "Status", "Project key", "Project name", "Project type",
    "Project lead", "Priority", "Resolution", "Assignee", "Assignee Id", "Reporter", "Creator", "Created",
    "Updated", "Resolved", "Fix versions", "Due date", "Labels", "Labels", "Labels", "Description",
    "Watchers", "Watchers", "Log Work", "Log Work", "Original estimate", "Remaining Estimate", "Time Spent",
    "Σ Original Estimate", "Σ Remaining Estimate", "Σ Time Spent", "Custom field (Rank)", "Sprint", "Sprint",
    "Custom field (Start date)", "Custom field (Story Points)", "Custom field (Story point estimate)",
    "Custom field (Target end)", "Parent", "Parent key", "Parent summary", "Status Category",
    "Status Category Changed",
]
JIRA_SERVER_HEADER = [
    "Summary", "Issue key", "Issue id", "Issue Type", "Status", "Project key", "Project name", "Priority",
    "Resolution", "Assignee", "Reporter", "Created", "Updated", "Resolved", "Components", "Components",
    "Due date", "Labels", "Watchers", "Watchers", "Original Estimate", "Remaining Estimate", "Time Spent",
    "Sprint", "Custom field (Epic Link)", "Custom field (Story Points)",
]
LABELS = ["security", "pci", "tech-debt", "ux", "api", "performance", "compliance", "mobile", "data",
          "release-blocker", "a11y", "infra"]
SERVER_COMPONENTS = ["Ingestion", "Warehouse", "Reporting", "Governance", "ETL"]
STORY_VERBS = ["Implement", "Add", "Build", "Migrate", "Refactor", "Automate", "Expose", "Redesign"]
TASK_VERBS = ["Configure", "Document", "Spike:", "Set up monitoring for", "Load-test", "Upgrade"]
BUG_CONDITIONS = ["the amount has three decimals", "the user locale is de-DE", "the session expires mid-flow",
                  "the upload has a BOM", "the timezone is UTC+13", "two requests arrive within 1 ms",
                  "the name contains an apostrophe"]
WORKLOG_COMMENTS = ["", "", "Implementation", "Code review fixes", "Pairing with QA", "Investigation",
                    "Deployment to staging"]
PRIORITIES = ["Highest", "High", "High", "Medium", "Medium", "Medium", "Medium", "Low", "Low", "Lowest"]


@dataclass
class Issue:
    project: Project
    itype: str
    summary: str
    category: str                   # To Do | In Progress | Done
    created: datetime
    parent: Issue | None = None
    status: str = ""
    resolved: datetime | None = None
    updated: datetime | None = None
    status_changed: datetime | None = None
    priority: str = "Medium"
    resolution: str = ""
    assignee: str | None = None
    reporter: str = ""
    due: date | None = None
    labels: list = field(default_factory=list)
    description: str = ""
    watchers: list = field(default_factory=list)
    worklogs: list = field(default_factory=list)   # (comment, when, person, seconds)
    orig: int | None = None
    remaining: int | None = None
    spent: int | None = None
    sprints: list = field(default_factory=list)
    start_date: date | None = None
    target_end: date | None = None
    points: int | None = None
    fix_version: str = ""
    components: list = field(default_factory=list)
    children: list = field(default_factory=list)
    rank: str = ""
    key: str = ""
    id: int = 0


def base36(n: int, width: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out.rjust(width, "0")


def work_time(day: date, rng: random.Random) -> datetime:
    return at(day, rng.randint(8, 18), rng.randint(0, 59))


def description_for(kind: str, thing: str, key: str, rng: random.Random) -> str:
    style = rng.random()
    if kind == "Epic":
        return (f"h2. Goal\nDeliver the {thing} capability end to end, including monitoring and runbooks.\n\n"
                f"h3. Scope\n* In: design, build, test, rollout\n* Out: decommissioning of the old "
                f"{thing}, tracked separately")
    if style < 0.25:
        return ""
    if kind == "Bug":
        return (f"*Steps to reproduce*\n# Open the {thing}\n# Enter the amount 1,234.56\n# Submit\n\n"
                f"*Expected:* confirmation page\n*Actual:* error \"Invalid amount\"\n{{code}}\n"
                f"ERROR 2026-10-02T10:14:03Z {thing.replace(' ', '_')} - timeout after 30000 ms\n{{code}}")
    if style < 0.6:
        return (f"As a customer, I want the {thing} to be faster, clearer and accessible, "
                f"so that I can finish without help.")
    return (f"h3. Context\nThe {thing} is needed before the next release.\n\n"
            f"h3. Acceptance criteria\n* Given a valid request, when it is submitted, then it is stored "
            f"and audited\n* Errors are logged with a correlation id, and alerts fire after 3 failures\n\n"
            f"See {key}-12 for background.")


def jira_project_issues(p: Project, rng: random.Random, server: bool) -> list[Issue]:
    name, team_managed, epics, things = JIRA[p.jira]
    team = rng.sample(ENGINEERS, 6)
    anchor = p.start - timedelta(days=p.start.weekday())
    current = (LATEST - anchor).days // 14 + 1

    def sprint_of(day: date) -> int:
        return max(1, (day - anchor).days // 14 + 1)

    def sprint_name(n: int) -> str:
        return f"{p.jira} Sprint {n}"

    span, b_span = (p.finish - p.start).days, (p.baseline_finish - p.start).days
    level = level_at(p, 5)
    issues = []
    for k, epic_name in enumerate(epics):
        n = len(epics)
        ws = p.start + timedelta(days=round(span * max(k / n - 0.08, 0)))
        we = p.start + timedelta(days=round(span * (k + 1) / n))
        b_we = p.start + timedelta(days=round(b_span * (k + 1) / n))
        created = work_time(max(p.start - timedelta(days=10), ws - timedelta(days=30)), rng)
        epic = Issue(p, "Epic", epic_name, "To Do", created, priority=rng.choice(["High", "High", "Medium"]),
                     reporter=p.pm, assignee=p.pm if rng.random() < 0.6 else None,
                     start_date=ws, target_end=weekday_on_or_before(we), due=weekday_on_or_before(b_we),
                     labels=rng.sample(LABELS, rng.randint(0, 1)))
        epic.description = description_for("Epic", epic_name.lower(), p.jira, rng)
        issues.append(epic)
        # long-finished epics keep few issues in view; current and future ones carry the backlog
        n_children = rng.randint(3, 5) if we < LATEST - timedelta(days=90) else rng.randint(7, 11)
        for j in range(n_children):
            thing = rng.choice(things)
            roll = rng.random()
            itype = "Story" if roll < 0.6 else "Task" if roll < 0.8 else "Bug"
            planned = ws + timedelta(days=round((we - ws).days * (j + 1) / (n_children + 1)) + rng.randint(-5, 5))
            if planned <= LATEST - timedelta(days=1):
                cat = "Done"
                if level == "R" and planned > LATEST - timedelta(days=100) and rng.random() < 0.6:
                    cat = "In Progress"     # the red project is behind: work that should be done is not
            elif planned <= LATEST + timedelta(days=10):
                cat = "In Progress"
            else:
                cat = "To Do"
            made = planned - timedelta(days=rng.randint(7, 45))
            made = max(made, created.date() + timedelta(days=1))
            made = min(made, LATEST - timedelta(days=rng.randint(1, 40)))
            made = max(made, created.date())
            if itype == "Story":
                summary = f"{rng.choice(STORY_VERBS)} {thing}"
            elif itype == "Task":
                summary = f"{rng.choice(TASK_VERBS)} {thing}"
            else:
                summary = f"{thing[0].upper() + thing[1:]} fails when {rng.choice(BUG_CONDITIONS)}"
                if rng.random() < 0.3:
                    summary = f'"{thing}" returns 500, retries exhausted'
            it = Issue(p, itype, summary, cat, work_time(made, rng), parent=epic,
                       priority=rng.choice(PRIORITIES), reporter=rng.choice([p.pm, p.pm] + team[:3]))
            it.created = max(it.created, epic.created + timedelta(hours=1))
            it.description = description_for(itype, thing, p.jira, rng)
            n_labels = rng.choice([0, 0, 1, 1, 2, 3]) if not server else rng.choice([0, 1, 1])
            it.labels = rng.sample(LABELS, n_labels)
            if server:
                it.components = rng.sample(SERVER_COMPONENTS, rng.choice([0, 1, 1, 2]))
            it.assignee = rng.choice(team) if cat != "To Do" or rng.random() < 0.6 else None
            if itype == "Story" or (itype == "Task" and rng.random() < 0.3):
                it.points = rng.choice([1, 2, 3, 3, 5, 5, 8, 13])
            if rng.random() < 0.65:
                it.orig = (min(it.points * 4, 40) if it.points else rng.randint(1, 16)) * 3600
            if cat == "Done":
                it.resolved = work_time(min(max(planned, made), LATEST - timedelta(days=1)), rng)
                if it.resolved <= it.created + timedelta(hours=2):
                    it.resolved = min(it.created + timedelta(hours=rng.randint(3, 30)), at(LATEST, 16))
                it.sprints = [sprint_of(it.resolved.date())]
            elif cat == "In Progress":
                it.sprints = [current]
            elif rng.random() < 0.7:
                it.sprints = [current if rng.random() < 0.7 else current + 1]
            if it.sprints and cat != "To Do" and rng.random() < 0.22 and it.sprints[0] > 1:
                it.sprints = [it.sprints[0] - 1, it.sprints[0]]          # carried over
            if cat == "Done":
                it.spent = round((it.orig or rng.randint(2, 12) * 3600) * rng.uniform(0.7, 1.5) / 900) * 900 \
                    if (it.orig or rng.random() < 0.3) else None
                it.remaining = 0 if (it.orig or it.spent) else None
            elif cat == "In Progress" and it.orig:
                it.spent = round(it.orig * rng.uniform(0.2, 0.8) / 900) * 900
                it.remaining = max(it.orig - it.spent, 0)
            elif it.orig:
                it.remaining = it.orig
            if it.points and rng.random() < 0.15:
                sprint_end = anchor + timedelta(days=14 * (it.sprints[-1] if it.sprints else current + 1) - 3)
                it.due = sprint_end
            epic.children.append(it)
            issues.append(it)
            # sub-tasks (Cloud only: the Server layout here has no parent-id column)
            if not server and itype == "Story" and cat != "To Do" and rng.random() < 0.3:
                for title in rng.sample(["Write unit tests for", "Update API docs for", "QA sign-off for"],
                                        rng.randint(1, 2)):
                    sub_cat = cat if cat == "Done" else rng.choice(["Done", "In Progress"])
                    sub = Issue(p, "Subtask" if team_managed else "Sub-task", f"{title} {thing}", sub_cat,
                                it.created + timedelta(hours=rng.randint(1, 48)), parent=it,
                                priority=it.priority, reporter=it.assignee or p.pm, assignee=it.assignee,
                                sprints=list(it.sprints))
                    if it.resolved:
                        sub.created = min(sub.created, max(it.created + timedelta(minutes=20),
                                                           it.resolved - timedelta(hours=2)))
                    sub.orig = rng.randint(1, 6) * 3600
                    if sub_cat == "Done":
                        sub.spent = round(sub.orig * rng.uniform(0.6, 1.4) / 900) * 900
                        sub.remaining = 0
                        end = it.resolved or at(LATEST - timedelta(days=1), 12)
                        earliest = sub.created + timedelta(hours=3)
                        sub.resolved = min(end, max(earliest, end - timedelta(days=rng.randint(0, 3))))
                        sub.resolved = max(sub.resolved, sub.created + timedelta(minutes=30))
                    else:
                        sub.spent = round(sub.orig * rng.uniform(0.1, 0.6) / 900) * 900
                        sub.remaining = sub.orig - sub.spent
                    it.children.append(sub)
                    issues.append(sub)
        # epic status from its children
        cats = {c.category for c in epic.children}
        if cats == {"Done"} and we < LATEST:
            epic.category = "Done"
            epic.resolved = max(c.resolved for c in epic.children) + timedelta(days=rng.randint(1, 3))
            epic.resolved = min(epic.resolved, at(LATEST, 9))
        elif cats != {"To Do"}:
            epic.category = "In Progress"
    finish_issue_fields(issues, p, team, team_managed, server, rng)
    return issues


def finish_issue_fields(issues: list[Issue], p: Project, team: list[str], team_managed: bool, server: bool,
                        rng: random.Random) -> None:
    for it in issues:
        if it.category == "Done":
            it.resolution = "Won't Do" if it.itype == "Bug" and rng.random() < 0.1 else "Done"
            it.status_changed = it.resolved
            it.updated = min(at(LATEST, 17), it.resolved + timedelta(hours=rng.randint(0, 72)))
        elif it.category == "In Progress":
            it.status_changed = max(it.created, at(LATEST - timedelta(days=rng.randint(1, 20)), rng.randint(8, 17)))
            it.updated = max(it.status_changed, at(LATEST - timedelta(days=rng.randint(0, 5)), rng.randint(8, 17)))
        else:
            it.status_changed = it.created
            it.updated = max(it.created, at(LATEST - timedelta(days=rng.randint(0, 30)), rng.randint(8, 17)))
        it.updated = min(it.updated, at(LATEST, 17, 30))
        if server:
            if it.category == "Done":
                it.status = "Resolved" if it.resolved.date() > LATEST - timedelta(days=10) else "Closed"
                if it.resolution == "Won't Do":
                    it.resolution = "Won't Fix"
                else:
                    it.resolution = "Done" if it.itype == "Story" else "Fixed"
            else:
                it.status = {"In Progress": "In Progress", "To Do": "Open"}[it.category]
                if it.category == "In Progress" and rng.random() < 0.1:
                    it.status = "Reopened"
        elif it.category == "In Progress" and not team_managed and it.itype != "Epic" and rng.random() < 0.3:
            it.status = "In Review"
        else:
            it.status = it.category
        if it.itype != "Epic" and it.resolved:
            it.fix_version = f"{it.resolved.year}.{it.resolved.month:02d}"
        elif it.itype != "Epic" and it.category == "In Progress":
            it.fix_version = f"{LATEST.year}.{LATEST.month + 1:02d}" if LATEST.month < 12 else f"{LATEST.year + 1}.01"
        if it.spent:
            people = [it.assignee or rng.choice(team)]
            parts = [it.spent] if it.spent < 4 * 3600 or rng.random() < 0.5 else \
                [round(it.spent * 0.4 / 900) * 900, it.spent - round(it.spent * 0.4 / 900) * 900]
            end = it.resolved or at(LATEST, 12)
            for k, secs in enumerate(parts):
                when = it.created + (end - it.created) * (k + 1) / (len(parts) + 0.5)
                when = when.replace(second=0, microsecond=0)
                it.worklogs.append((rng.choice(WORKLOG_COMMENTS), when, people[0], secs))
        it.watchers = list(dict.fromkeys([x for x in (it.reporter, it.assignee) if x]))[:2]
    ranks = sorted(rng.sample(range(200, 46000), len(issues)))
    for rank_no, it in zip(ranks, rng.sample(issues, len(issues)), strict=True):
        it.rank = f"0|i{base36(rank_no, 5)}:"


def assign_keys(issues: list[Issue], first_id: int, rng: random.Random) -> None:
    """Issue ids increase with creation across the instance; keys per project."""
    counters: dict[str, int] = {}
    next_id = first_id
    for it in sorted(issues, key=lambda x: (x.created, x.itype != "Epic")):
        counters[it.project.jira] = counters.get(it.project.jira, 0) + 1
        it.key = f"{it.project.jira}-{counters[it.project.jira]}"
        it.id = next_id
        next_id += rng.randint(1, 3)


def sigma(it: Issue, attr: str) -> int | None:
    values = [getattr(it, attr)] + [sigma(c, attr) for c in it.children]
    values = [v for v in values if v is not None]
    return sum(values) if values else None


def text(v) -> str:
    return "" if v is None else str(v)


def write_jira_cloud(issues: list[Issue], accounts: dict) -> int:
    f, w = csv_writer(OUT / "jira" / "jira_cloud_all_fields_2026-11-20.csv")
    with f:
        w.writerow(JIRA_CLOUD_HEADER)
        for it in sorted(issues, key=lambda x: (x.created, x.id), reverse=True):
            p = it.project
            name, team_managed, *_ = JIRA[p.jira]
            labels = (it.labels + ["", "", ""])[:3]
            watchers = (it.watchers + ["", ""])[:2]
            logs = [f"{c};{jira_dt(t)};{accounts[who]};{secs}" for c, t, who, secs in it.worklogs]
            logs = (logs + ["", ""])[:2]
            sprints = ([f"{p.jira} Sprint {n}" for n in it.sprints] + ["", ""])[:2]
            points = it.points if not team_managed else None
            estimate = f"{float(it.points):.1f}" if team_managed and it.points else ""
            parent = it.parent
            w.writerow([
                it.summary, it.key, it.id, it.itype, it.status, p.jira, name, "software", p.pm, it.priority,
                it.resolution, text(it.assignee), accounts[it.assignee] if it.assignee else "", it.reporter,
                it.reporter, jira_dt(it.created), jira_dt(it.updated),
                jira_dt(it.resolved) if it.resolved else "", it.fix_version,
                jira_dt(at(it.due, 0)) if it.due else "", *labels, it.description, *watchers, *logs,
                text(it.orig), text(it.remaining), text(it.spent), text(sigma(it, "orig")),
                text(sigma(it, "remaining")), text(sigma(it, "spent")), it.rank, *sprints,
                jira_dt(at(it.start_date, 0)) if it.start_date else "", text(points), estimate,
                jira_dt(at(it.target_end, 0)) if it.target_end else "",
                parent.id if parent else "", parent.key if parent else "", parent.summary if parent else "",
                it.category, jira_dt(it.status_changed),
            ])
    return len(issues)


def username(name: str) -> str:
    """Server exports show usernames: first initial + surname, ASCII."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().replace("'", "")
    first, *rest = plain.split()
    return first[0] + "".join(rest)


def write_jira_server(issues: list[Issue]) -> int:
    f, w = csv_writer(OUT / "jira" / f"jira_server_{JIRA_SERVER_PROJECT}_2026-11-20.csv")
    with f:
        w.writerow(JIRA_SERVER_HEADER)
        for it in sorted(issues, key=lambda x: (x.created, x.id), reverse=True):
            p = it.project
            comps = (it.components + ["", ""])[:2]
            watchers = ([username(x) for x in it.watchers] + ["", ""])[:2]
            epic = it.parent if it.parent and it.parent.itype == "Epic" else None
            w.writerow([
                it.summary, it.key, it.id, it.itype, it.status, p.jira, JIRA[p.jira][0], it.priority,
                it.resolution, username(it.assignee) if it.assignee else "", username(it.reporter),
                jira_dt(it.created), jira_dt(it.updated), jira_dt(it.resolved) if it.resolved else "",
                *comps, jira_date_only(it.due) if it.due else "", it.labels[0] if it.labels else "",
                *watchers, text(it.orig), text(it.remaining), text(it.spent),
                f"{p.jira} Sprint {it.sprints[-1]}" if it.sprints else "", epic.key if epic else "",
                text(it.points),
            ])
    return len(issues)


def write_jira(projects: list[Project], rng: random.Random) -> dict:
    cloud, server = [], []
    for p in projects:
        if not p.jira:
            continue
        if p.jira == JIRA_SERVER_PROJECT:
            server += jira_project_issues(p, rng, server=True)
        else:
            cloud += jira_project_issues(p, rng, server=False)
    assign_keys(cloud, 10_231, rng)
    assign_keys(server, 20_407, rng)
    account_rng = random.Random(rng.getrandbits(64))
    people = sorted({x for it in cloud for x in (it.assignee, it.reporter, *it.watchers,
                                                  *(w[2] for w in it.worklogs)) if x})
    accounts = {name: f"712020:{new_guid(account_rng)}" for name in people}
    return {"cloud": write_jira_cloud(cloud, accounts), "server": write_jira_server(server)}


# =============================================================================================
# File 4: Workday custom report (PMO compensation)
# =============================================================================================

WORKDAY_HEADER = [
    "Employee ID", "Worker", "Job Profile", "Job Family", "Management Level", "Compensation Grade", "Location",
    "Country", "Cost Center", "Supervisory Organization", "Worker Type", "Time Type", "FTE",
    "Scheduled Weekly Hours", "Hire Date", "Total Base Pay Annualized - Amount",
    "Total Base Pay Annualized - Currency",
]
PORTFOLIO_LEADS = {"Digital Channels": "Karen Whitaker", "Infrastructure & Cloud": "Luis Ortega",
                   "Finance Transformation": "Stefan Brandt", "People & Workplace": "Fiona McAllister"}


def write_workday(projects: list[Project], rng: random.Random) -> int:
    portfolio_of = {}
    for p in projects:
        portfolio_of.setdefault(p.pm, p.portfolio)
    ids, next_id = {}, 100_200
    for name, *_rest in sorted(STAFF, key=lambda s: (s[5], s[0])):
        next_id += rng.randint(7, 260)
        ids[name] = next_id
    rows = []
    for name, profile, city, fte, salary, hired in STAFF:
        family, level, grade = JOB_PROFILES[profile]
        country, currency, hours = CITIES[city]
        cc = {"USD": "CC4700 Enterprise PMO", "GBP": "CC6700 Enterprise PMO (UK)",
              "EUR": "CC5700 Enterprise PMO (DE)"}[currency]
        if profile == "Head of PMO":
            org = "Office of the COO (Helen Marsh)"
        elif profile in ("PMO Manager", "Portfolio Manager"):
            org = "Enterprise PMO (Margaret Ellison)"
        elif profile in ("PMO Analyst", "Project Coordinator"):
            org = "PMO Operations (Priya Raman)" if city in ("Chicago", "Austin") else "PMO Operations (Daniel Okafor)"
        else:
            portfolio = portfolio_of.get(name, "Digital Channels")
            org = f"PMO - {portfolio} ({PORTFOLIO_LEADS[portfolio]})"
        weekly = hours * fte / 100
        rows.append([ids[name], name, profile, family, level, grade, city, country, cc, org, "Employee",
                     "Full time" if fte == 100 else "Part time", f"{fte}%",
                     f"{weekly:g}", hired, fmt_amount(salary * fte / 100), currency])
    rows.sort(key=lambda r: r[0])
    f, w = csv_writer(OUT / "hr" / "workday_pmo_compensation_2026-11-01.csv")
    with f:
        w.writerow(WORKDAY_HEADER)
        w.writerows(rows)
    return len(rows)


# =============================================================================================
# File 5: BLS OEWS May 2024 (all-data layout, two occupations, 11 areas)
# =============================================================================================

OEWS_HEADER = ["AREA", "AREA_TITLE", "AREA_TYPE", "PRIM_STATE", "NAICS", "NAICS_TITLE", "I_GROUP", "OWN_CODE",
               "OCC_CODE", "OCC_TITLE", "O_GROUP", "TOT_EMP", "EMP_PRSE", "JOBS_1000", "LOC_QUOTIENT",
               "PCT_TOTAL", "PCT_RPT", "H_MEAN", "A_MEAN", "MEAN_PRSE", "H_PCT10", "H_PCT25", "H_MEDIAN",
               "H_PCT75", "H_PCT90", "A_PCT10", "A_PCT25", "A_MEDIAN", "A_PCT75", "A_PCT90", "ANNUAL", "HOURLY"]
OEWS_EMP_SHARE = {"99": 1.0, "36": 0.066, "17": 0.041, "48": 0.097, "06": 0.121, "53": 0.034,
                  "35620": 0.078, "16980": 0.038, "12420": 0.017, "41860": 0.033, "42660": 0.027}
OEWS_JOBS_1000 = {"13-1082": 6.37, "11-3021": 4.11}
OEWS_FIELDS = [
    ("area", "U.S. (99), state FIPS code, Metropolitan Statistical Area (MSA) code, "
             "or OEWS-specific nonmetropolitan area code"),
    ("area_title", "Area name"),
    ("area_type", "Area type: 1= U.S.; 2= State; 3= U.S. Territory; 4= Metropolitan Statistical Area (MSA); "
                  "6= Nonmetropolitan Area"),
    ("prim_state", "The primary state for the given area. \"US\" is used for the national estimates."),
    ("naics", "North American Industry Classification System (NAICS) code for the given industry"),
    ("naics_title", "NAICS title for the given industry"),
    ("i_group", "Industry level: cross-industry, NAICS sector, 3-digit, 4-digit, 5-digit or 6-digit industry"),
    ("own_code", "Ownership type, e.g. 1235 = federal, state and local government plus private sector"),
    ("occ_code", "The 6-digit Standard Occupational Classification (SOC) code or OEWS-specific code"),
    ("occ_title", "SOC title or OEWS-specific title for the occupation"),
    ("o_group", "SOC occupation level: total, major, minor, broad or detailed"),
    ("tot_emp", "Estimated total employment rounded to the nearest 10 (excludes self-employed)"),
    ("emp_prse", "Percent relative standard error (PRSE) for the employment estimate"),
    ("jobs_1000", "The number of jobs in the occupation per 1,000 jobs in the given area"),
    ("loc_quotient", "The location quotient: the occupation's share of area employment relative to the U.S."),
    ("pct_total", "Percent of industry employment in the given occupation"),
    ("pct_rpt", "Percent of establishments reporting the given occupation for the cell"),
    ("h_mean", "Mean hourly wage"), ("a_mean", "Mean annual wage"),
    ("mean_prse", "Percent relative standard error (PRSE) for the mean wage estimate"),
    ("h_pct10", "Hourly 10th percentile wage"), ("h_pct25", "Hourly 25th percentile wage"),
    ("h_median", "Hourly median wage (or the 50th percentile)"), ("h_pct75", "Hourly 75th percentile wage"),
    ("h_pct90", "Hourly 90th percentile wage"), ("a_pct10", "Annual 10th percentile wage"),
    ("a_pct25", "Annual 25th percentile wage"), ("a_median", "Annual median wage (or the 50th percentile)"),
    ("a_pct75", "Annual 75th percentile wage"), ("a_pct90", "Annual 90th percentile wage"),
    ("annual", "Contains \"TRUE\" if only annual wages are released"),
    ("hourly", "Contains \"TRUE\" if only hourly wages are released"),
]
OEWS_NOTES = [
    "*  = indicates that a wage estimate is not available",
    "**  = indicates that an employment estimate is not available",
    "# = indicates a wage equal to or greater than $115.00 per hour or $239,200 per year",
    "~ = indicates that the percent of establishments reporting the occupation is less than 0.5%",
]


def round_to(x: float, step: float) -> float:
    return round(x / step) * step


def oews_rows(rng: random.Random) -> list[list]:
    rows = []
    for occ, (title, nat_median, nat_emp, shape) in OEWS_OCCUPATIONS.items():
        for area, area_title, area_type, state, mult_1082, median_3021 in OEWS_AREAS:
            median = round_to(nat_median * mult_1082, 10) if occ == "13-1082" else median_3021
            annual = {"A_PCT10": round_to(median * shape["p10"], 10), "A_PCT25": round_to(median * shape["p25"], 10),
                      "A_MEDIAN": median, "A_PCT75": round_to(median * shape["p75"], 10),
                      "A_PCT90": round_to(median * shape["p90"], 10)}
            a_mean = round_to(median * shape["mean"], 10)
            national = area_type == 1
            emp = round_to(nat_emp * OEWS_EMP_SHARE[area], 10)
            lq = round(rng.uniform(0.85, 1.65), 2)
            cells = {
                "AREA": area, "AREA_TITLE": area_title, "AREA_TYPE": area_type, "PRIM_STATE": state,
                "NAICS": "000000", "NAICS_TITLE": "Cross-industry", "I_GROUP": "cross-industry", "OWN_CODE": 1235,
                "OCC_CODE": occ, "OCC_TITLE": title, "O_GROUP": "detailed",
                "TOT_EMP": int(emp), "EMP_PRSE": 0.7 if national else round(rng.uniform(1.8, 6.5), 1),
                "JOBS_1000": None if national else round(OEWS_JOBS_1000[occ] * lq, 3),
                "LOC_QUOTIENT": None if national else lq, "PCT_TOTAL": None, "PCT_RPT": None,
                "H_MEAN": round(a_mean / 2080, 2), "A_MEAN": int(a_mean),
                "MEAN_PRSE": 0.3 if national else round(rng.uniform(0.7, 2.6), 1),
                "ANNUAL": None, "HOURLY": None,
            }
            for col, value in annual.items():
                hcol = "H_" + col[2:]
                top = value >= OEWS_TOP[1]
                cells[col] = "#" if top else int(value)
                cells[hcol] = "#" if top else round(value / 2080, 2)
            if (area, occ) in OEWS_NO_EMPLOYMENT:
                for col in ("TOT_EMP", "EMP_PRSE", "JOBS_1000", "LOC_QUOTIENT"):
                    cells[col] = "**"
            rows.append([cells[h] for h in OEWS_HEADER])
    return rows


def write_oews(rng: random.Random) -> int:
    path = OUT / "benchmarks" / "oews_M2024_pmo_occupations.xlsx"
    wb = new_workbook(path)
    bold = wb.add_format({"bold": True})
    ws = wb.add_worksheet("All May 2024 data")
    for c, h in enumerate(OEWS_HEADER):
        ws.write_string(0, c, h, bold)
    rows = oews_rows(rng)
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            if v is None:
                continue
            if isinstance(v, str):
                ws.write_string(r, c, v)
            else:
                ws.write_number(r, c, v)
    ws.set_column(1, 1, 36)
    ws.set_column(9, 9, 40)
    ws.freeze_panes(1, 0)
    fd = wb.add_worksheet("Field Descriptions")
    fd.write_string(0, 0, "May 2024 Occupational Employment and Wage Statistics (OEWS) Estimates", bold)
    fd.write_string(2, 0, "Field", bold)
    fd.write_string(2, 1, "Field Description", bold)
    for r, (name, desc) in enumerate(OEWS_FIELDS, start=3):
        fd.write_string(r, 0, name)
        fd.write_string(r, 1, desc)
    r = 3 + len(OEWS_FIELDS) + 1
    fd.write_string(r, 0, "Notes:", bold)
    for k, note in enumerate(OEWS_NOTES, start=1):
        fd.write_string(r + k, 0, note)
    fd.write_string(r + len(OEWS_NOTES) + 2, 0,
                    "Sample file: national medians are published BLS values; other figures are illustrative "
                    "(see sample_data/README.md).")
    fd.set_column(0, 0, 18)
    fd.set_column(1, 1, 110)
    wb.close()
    return len(rows)


# =============================================================================================
# File 6: company salary reports and a market rate card
# =============================================================================================

SALARY_REPORT_HEADER = ["Source", "Reference Date", "Job Title", "Company", "Country", "Area", "Currency",
                        "Basis", "P10", "P25", "P50", "P75", "P90", "Mean", "Sample Size"]
SELF_REPORTED = "Self-reported salaries (2 reports each)"
RATE_CARD = "PMO market rate card 2025 (illustrative)"
SALARY_REPORTS = [
    # source, date, title, company, country, area, currency, basis, p10, p25, p50, p75, p90, mean, n
    (SELF_REPORTED, "2020-11-10", "PMO", "Amazon", "United States", "", "USD", "annual",
     None, None, 77411, None, None, 77411, 2),
    (SELF_REPORTED, "2020-11-10", "PMO", "AT&T", "United States", "", "USD", "annual",
     None, None, 105673, None, None, 105673, 2),
    (SELF_REPORTED, "2020-11-10", "PMO", "NIKE", "United States", "", "USD", "annual",
     None, None, 66155, None, None, 66155, 2),
    (SELF_REPORTED, "2020-11-10", "PMO", "Credit Suisse", "United States", "", "USD", "annual",
     None, None, 95119, None, None, 95119, 2),
    (RATE_CARD, "2025-06-30", "PMO Analyst (contract)", "", "United States", "National", "USD", "hourly",
     38.00, 45.00, 55.00, 68.00, 80.00, 57.50, 64),
    (RATE_CARD, "2025-06-30", "Project Manager (contract)", "", "United States", "National", "USD", "hourly",
     58.00, 70.00, 85.00, 100.00, 120.00, 87.00, 51),
    (RATE_CARD, "2025-06-30", "Program Manager (contract)", "", "United States", "New York", "USD", "hourly",
     80.00, 95.00, 112.00, 130.00, 150.00, 114.00, 23),
    (RATE_CARD, "2025-06-30", "Project Manager", "", "United Kingdom", "London", "GBP", "annual",
     48000, 55000, 65000, 78000, 90000, 66500, 38),
    (RATE_CARD, "2025-06-30", "PMO Analyst", "", "United Kingdom", "London", "GBP", "annual",
     34000, 38000, 45000, 52000, 58000, 45500, 27),
    (RATE_CARD, "2025-06-30", "Project Manager", "", "Germany", "Frankfurt", "EUR", "annual",
     60000, 68000, 78000, 90000, 102000, 79500, 31),
]


def write_salary_reports() -> int:
    f, w = csv_writer(OUT / "benchmarks" / "pmo_salary_reports_2020.csv")

    def num(v):
        if v is None:
            return ""
        return f"{v:.2f}" if isinstance(v, float) else str(v)

    with f:
        w.writerow(SALARY_REPORT_HEADER)
        for row in SALARY_REPORTS:
            w.writerow([*row[:8], *(num(v) for v in row[8:])])
    return len(SALARY_REPORTS)


# =============================================================================================
# main
# =============================================================================================

def main() -> None:
    rng = random.Random(SEED)
    model_rng, fpna_rng, drop_rng, ps_rng, jira_rng, hr_rng, oews_rng = (
        random.Random(rng.getrandbits(64)) for _ in range(7))
    projects = build_projects(model_rng)
    for p in projects:
        build_spend(p, model_rng)
    counts = {"fpna_ledger_FY2025-FY2026.csv": write_fpna(projects, fpna_rng), "fx_rates_2026.csv": write_fx()}
    for p in projects:
        build_drops(p, drop_rng)
    counts.update(write_project_server(projects, ps_rng))
    counts.update({f"jira {k}": v for k, v in write_jira(projects, jira_rng).items()})
    counts["workday_pmo_compensation_2026-11-01.csv"] = write_workday(projects, hr_rng)
    counts["oews_M2024_pmo_occupations.xlsx"] = write_oews(oews_rng)
    counts["pmo_salary_reports_2020.csv"] = write_salary_reports()
    for name, n in counts.items():
        print(f"{name}: {n}")


if __name__ == "__main__":
    main()
