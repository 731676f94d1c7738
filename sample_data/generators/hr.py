"""Workday custom report of PMO compensation (export-formats.md §7.1): one row per member of `STAFF`."""

from __future__ import annotations

import random

from .helpers import OUT, csv_writer, fmt_amount
from .story import STAFF, Project

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
