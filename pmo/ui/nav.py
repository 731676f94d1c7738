"""The sidebar menu, the same on every page (Streamlit's own menu would label the home page
'dashboard', after the file name)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from pmo.ui import auth

ROOT = Path(__file__).resolve().parent.parent.parent

# (file, label, icon, one line on what the page answers) in menu order.
PAGES = [
    ("dashboard.py", "Home", ":material/home:", "This week's brief and the headline figures."),
    ("pages/1_Portfolio_Health.py", "Portfolio health", ":material/monitor_heart:",
     "RAG per project with the reasons, earned value, milestones and health history."),
    ("pages/6_Project.py", "Project", ":material/assignment:",
     "One project: key facts, RAG reasons, EVM, milestones, budget lines, risks, history."),
    ("pages/2_Budget_Variance.py", "Budget variance", ":material/account_balance:",
     "Budget vs actual vs forecast by any cut, forecast at completion, overrun flags."),
    ("pages/8_Governance.py", "Governance", ":material/gavel:",
     "Standards compliance: status reporting, plan hygiene, DCMA schedule checks, stage gates, with reasons."),
    ("pages/9_RAID.py", "RAID", ":material/crisis_alert:",
     "Risks, assumptions, issues and dependencies: heat map, flags with reasons, dependency graph, history."),
    ("pages/10_Capacity.py", "Capacity", ":material/groups:",
     "Capacity against demand by person, role and team: over-allocation and why, short roles, bench."),
    ("pages/11_Prioritisation.py", "Prioritisation", ":material/balance:",
     "Weighted scores, the best selection within a budget, the efficient frontier, saved scenarios."),
    ("pages/3_Salary_Benchmarks.py", "Salary benchmarks", ":material/payments:",
     "Market bands per PMO role, own staff placed on them, compa-ratio, cost of closing gaps."),
    ("pages/12_Maturity.py", "PMO maturity", ":material/stairs:",
     "Self-assessment per PMO function, levels over time, targets, measured evidence."),
    ("pages/4_Data.py", "Data", ":material/upload_file:",
     "Upload exports, preview, publish, history and rollback."),
    ("pages/5_SQL_Explorer.py", "SQL explorer", ":material/terminal:",
     "Read-only SQL over the canonical views."),
    ("pages/7_Audit.py", "Audit log", ":material/policy:",
     "Who signed in, ingested, rolled back, exported or queried what, and when."),
]


def available() -> list[tuple[str, str, str, str]]:
    return [p for p in PAGES if (ROOT / p[0]).exists() and auth.may_open(p[0])]


def sidebar() -> None:
    with st.sidebar:
        for path, label, icon, _ in available():
            try:
                st.page_link(path, label=label, icon=icon)
            except StreamlitPageNotFoundError:
                pass   # a page run on its own (AppTest) knows no other pages
        auth.sidebar_user()       # auth: who is signed in, role, sign-out
        st.divider()
