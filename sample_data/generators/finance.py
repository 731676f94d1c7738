"""FP&A ledger (generic cube export, long layout, export-formats.md §6.3) and the treasury FX table.

The ledger is written before the Project Server drops: its actual lines become each project's
actual cost (`Project.actual_monthly`) and its forecast (`build_forecast`), which the drops report.
"""

from __future__ import annotations

import random
from datetime import date

from .helpers import OUT, add_months, csv_writer, fiscal_year, fmt_amount, money, month_start, months_between
from .story import (ACTUALS_LAST, COST_CENTRE_NAMES, LEDGER_FIRST, LEDGER_LAST, STATUS_DATES, Project,
                    build_forecast)

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
