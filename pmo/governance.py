"""Governance checks and RAID scoring: their settings as SQL tables, and the check report.

The checks themselves are SQL (`queries/views/governance_findings.sql` and the views it reads;
`raid_items.sql` for RAID scoring) so the pages, the SQL explorer, `pmo sql` and `pmo check
--governance` agree. A view cannot take parameters, so `sql_tables` (called once per connection by
`pmo.query.connection`) turns `[governance]` and `[raid]` of the configuration into tables:

    governance_checks     one row per check: id, group, name, threshold, rule ('<=', '>=', '<'),
                          what it counts (docs/governance.md has the definitions)
    settings_governance   one row: status cadence and grace, the report streak, working hours per
                          day, the float / duration limits in working days, the hard constraint
                          types, the required project fields and the closed stages (comma-joined
                          text), gate grace days
    settings_raid         one row: exposure band limits, the not-updated limit, ageing buckets
    export_labels         importer tool -> its label ("not measurable from <label>")

A value that is not valid falls back to its default, and `config_problem` (in settings_governance
and settings_raid) says which key and why; nothing else stops working. No Streamlit here.
"""

from __future__ import annotations

import math

import polars as pl

Str, F64, I64 = pl.String, pl.Float64, pl.Int64

# (id, group, name, config key of the threshold, default, rule, what the share / value counts)
CHECKS: tuple[tuple[str, str, str, str | None, float, str, str], ...] = (
    ("status_stale", "reporting", "Status report stale", None, 10, "<=",
     "days since the last status report (cadence + grace)"),
    ("no_status", "reporting", "No status report ever", None, 0, "<=", "projects without any status report"),
    ("health_mismatch", "reporting", "Reported health disagrees with computed health", None, 3, "<",
     "status reports in a row whose reported health differs from the computed health"),
    ("no_baseline", "plan", "No project baseline", None, 0, "<=", "projects without baseline start and finish"),
    ("tasks_without_baseline", "plan", "Tasks without a baseline finish", "tasks_without_baseline_max", 0.10,
     "<=", "share of tasks without a baseline finish"),
    ("unowned_tasks", "plan", "Open tasks without an owner", "unowned_tasks_max", 0.05, "<=",
     "share of open tasks (not milestones) without an assignee"),
    ("late_tasks", "plan", "Incomplete tasks finishing before the status date", "late_tasks_max", 0.05, "<=",
     "share of incomplete tasks whose finish is before the status date"),
    ("missing_fields", "plan", "Required project fields missing", None, 0, "<=",
     "share of the required fields that are empty"),
    ("dcma_logic", "schedule", "DCMA 1: missing logic", "missing_logic_max", 0.05, "<=",
     "share of incomplete tasks without a predecessor or a successor"),
    ("dcma_leads", "schedule", "DCMA 2: leads", "leads_max", 0.0, "<=",
     "share of relationships (of incomplete tasks) with a negative lag"),
    ("dcma_lags", "schedule", "DCMA 3: lags", "lags_max", 0.05, "<=",
     "share of relationships (of incomplete tasks) with a positive lag"),
    ("dcma_fs", "schedule", "DCMA 4: finish-to-start relationships", "fs_share_min", 0.90, ">=",
     "share of relationships (of incomplete tasks) that are finish-to-start"),
    ("dcma_hard_constraints", "schedule", "DCMA 5: hard constraints", "hard_constraints_max", 0.05, "<=",
     "share of incomplete tasks with a hard constraint"),
    ("dcma_high_float", "schedule", "DCMA 6: high float", "high_float_max", 0.05, "<=",
     "share of incomplete tasks with total float over the high-float limit"),
    ("dcma_negative_float", "schedule", "DCMA 7: negative float", "negative_float_max", 0.0, "<=",
     "share of incomplete tasks with negative total float"),
    ("dcma_high_duration", "schedule", "DCMA 8: high duration", "high_duration_max", 0.05, "<=",
     "share of incomplete tasks whose baseline (else current) duration is over the high-duration limit"),
    ("dcma_invalid_dates", "schedule", "DCMA 9: invalid dates", "invalid_dates_max", 0.0, "<=",
     "share of tasks with a forecast before the status date and no actual, or an actual after it"),
    ("dcma_missed_tasks", "schedule", "DCMA 11: missed tasks", "missed_tasks_max", 0.05, "<=",
     "share of tasks due by their baseline finish that finished after it or are not finished"),
    ("dcma_bei", "schedule", "DCMA 14: baseline execution index", "bei_min", 0.95, ">=",
     "tasks completed / tasks with a baseline finish on or before the status date"),
    ("gate_overdue", "gates", "Stage gate overdue with no decision", None, 0, "<=",
     "days the next gate is past its planned date (plus grace) without a decision"),
)

DEFAULTS = {
    "status_cadence_days": 7, "status_grace_days": 3, "health_mismatch_reports": 3,
    "required_fields": ["budget", "manager", "sponsor", "portfolio", "stage"],
    "closed_stages": ["Closed", "Cancelled"], "gate_grace_days": 0, "hours_per_day": 8,
    "hard_constraints": ["MSO", "MFO", "SNLT", "FNLT"], "high_float_days": 44, "high_duration_days": 44,
    **{key: default for _, _, _, key, default, _, _ in CHECKS if key},
}
RAID_DEFAULTS = {"band_low_max": 4, "band_medium_max": 9, "band_high_max": 15, "not_updated_days": 30,
                 "ageing_days": [30, 60, 90]}
PROJECT_FIELDS = ("project_name", "portfolio", "program", "department", "manager", "sponsor", "stage",
                  "priority", "start_date", "finish_date", "baseline_start_date", "baseline_finish_date",
                  "budget", "currency")
CONSTRAINTS = ("ASAP", "ALAP", "SNET", "SNLT", "FNET", "FNLT", "MSO", "MFO")

SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "governance_checks": {"check_id": Str, "check_group": Str, "check_name": Str, "threshold": F64,
                          "rule": Str, "measures": Str, "check_order": I64},
    "settings_governance": {"status_cadence_days": I64, "status_grace_days": I64,
                            "health_mismatch_reports": I64, "required_fields": Str,
                            "closed_stages": Str, "gate_grace_days": I64, "hours_per_day": F64,
                            "hard_constraints": Str, "high_float_days": F64,
                            "high_duration_days": F64, "config_problem": Str},
    "settings_raid": {"band_low_max": I64, "band_medium_max": I64, "band_high_max": I64,
                      "not_updated_days": I64, "ageing_1": I64, "ageing_2": I64, "ageing_3": I64,
                      "config_problem": Str},
    "export_labels": {"tool": Str, "label": Str},
}


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _text_list(value) -> list[str] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def read_settings(cfg: dict) -> tuple[dict, list[str]]:
    """`[governance]` checked: (values, problems). A bad value falls back to its default."""
    section = cfg.get("governance", {}) or {}
    out = dict(DEFAULTS)
    problems: list[str] = []
    for key, default in DEFAULTS.items():
        if key not in section:
            continue
        value = section[key]
        if isinstance(default, list):
            ok = _text_list(value)
            if ok is not None and key == "required_fields":
                unknown = [f for f in ok if f not in PROJECT_FIELDS]
                if unknown:
                    problems.append(f"[governance] required_fields: {', '.join(unknown)} not a project "
                                    f"field ({', '.join(PROJECT_FIELDS)}); those are left out.")
                    ok = [f for f in ok if f in PROJECT_FIELDS]
            if ok is not None and key == "hard_constraints":
                ok = [c.upper() for c in ok]
                if any(c not in CONSTRAINTS for c in ok):
                    ok = None
            if ok is None:
                problems.append(f"[governance] {key} = {value!r} is not a list of names; using {default!r}.")
            else:
                out[key] = ok
            continue
        number = _number(value)
        if number is None or number < 0 or (key.endswith(("_max", "_min")) and number > 1):
            limit = "a share from 0 to 1" if key.endswith(("_max", "_min")) else "a number >= 0"
            problems.append(f"[governance] {key} = {value!r} is not {limit}; using the default {default}.")
        else:
            out[key] = number
    return out, problems


def read_raid_settings(cfg: dict) -> tuple[dict, list[str]]:
    """`[raid]` checked: (values, problems)."""
    section = cfg.get("raid", {}) or {}
    out = dict(RAID_DEFAULTS)
    problems: list[str] = []
    for key in ("band_low_max", "band_medium_max", "band_high_max", "not_updated_days"):
        if key in section:
            number = _number(section[key])
            if number is None or number < 0 or number != int(number):
                problems.append(f"[raid] {key} = {section[key]!r} is not a whole number >= 0; "
                                f"using {RAID_DEFAULTS[key]}.")
            else:
                out[key] = int(number)
    if not 1 <= out["band_low_max"] < out["band_medium_max"] < out["band_high_max"] < 25:
        problems.append(f"[raid] the bands must rise within 1-25 (low {out['band_low_max']} < medium "
                        f"{out['band_medium_max']} < high {out['band_high_max']} < 25); using 4 / 9 / 15.")
        for key in ("band_low_max", "band_medium_max", "band_high_max"):
            out[key] = RAID_DEFAULTS[key]
    if "ageing_days" in section:
        days = section["ageing_days"]
        if (isinstance(days, list) and len(days) == 3 and all(_number(d) is not None for d in days)
                and 0 < days[0] < days[1] < days[2]):
            out["ageing_days"] = [int(d) for d in days]
        else:
            problems.append(f"[raid] ageing_days = {days!r} is not three rising day counts; using [30, 60, 90].")
    return out, problems


def checks_frame(values: dict) -> pl.DataFrame:
    rows = []
    for order, (cid, group, name, key, default, rule, measures) in enumerate(CHECKS, 1):
        threshold = values[key] if key else default
        if cid == "status_stale":
            threshold = values["status_cadence_days"] + values["status_grace_days"]
        elif cid == "health_mismatch":
            threshold = values["health_mismatch_reports"]
        elif cid == "gate_overdue":
            threshold = 0
        rows.append({"check_id": cid, "check_group": group, "check_name": name, "threshold": float(threshold),
                     "rule": rule, "measures": measures, "check_order": order})
    return pl.DataFrame(rows, schema=SCHEMAS["governance_checks"])


def sql_tables(cfg: dict) -> dict[str, pl.DataFrame]:
    """The tables the governance and RAID views read, created once per connection by `pmo.db`."""
    from pmo.importers import registry

    values, problems = read_settings(cfg)
    raid, raid_problems = read_raid_settings(cfg)
    # lists as comma-joined text: the settings tables are hashed as CSV (pmo.query.cache.key); the
    # views split them with string_split
    settings = {k: (",".join(values[k]) if isinstance(values[k], list)
                    else int(values[k]) if dtype == I64 else values[k])
                for k, dtype in SCHEMAS["settings_governance"].items() if k != "config_problem"}
    settings["config_problem"] = " ".join(problems) or None
    labels = [{"tool": tool, "label": mod.LABEL} for tool, mod in sorted(registry.modules().items())]
    labels.append({"tool": "mapping", "label": "a mapped export (--mapping)"})
    return {
        "governance_checks": checks_frame(values),
        "settings_governance": pl.DataFrame([settings], schema=SCHEMAS["settings_governance"]),
        "settings_raid": pl.DataFrame([{
            **{k: raid[k] for k in ("band_low_max", "band_medium_max", "band_high_max", "not_updated_days")},
            "ageing_1": raid["ageing_days"][0], "ageing_2": raid["ageing_days"][1],
            "ageing_3": raid["ageing_days"][2], "config_problem": " ".join(raid_problems) or None,
        }], schema=SCHEMAS["settings_raid"]),
        "export_labels": pl.DataFrame(labels, schema=SCHEMAS["export_labels"]),
    }


# ------------------------------------------------------------------------------------------------
# `pmo check --governance`
# ------------------------------------------------------------------------------------------------

_DAYS = {"status_stale": "days since the last status report", "gate_overdue": "days overdue"}


def describe(row: dict) -> str:
    """One finding's measured value against its threshold, in words."""
    cid, value, num, den, thr, rule = (row["check_id"], row["value"], row["numerator"], row["denominator"],
                                       row["threshold"], row["rule"])
    if value is None:
        return "no value"
    if cid == "no_status":
        return "no status report yet" if value else "has status reports"
    if cid == "no_baseline":
        return "no baseline start and finish" if value else "baselined"
    if cid == "missing_fields":
        return f"{num:g} of {den:g} required fields empty"
    if cid in _DAYS:
        return f"{value:g} {_DAYS[cid]} (limit {rule} {thr:g})"
    if cid == "health_mismatch":
        return f"{value:g} report(s) in a row (fails at {thr:g})"
    if cid == "dcma_bei":
        return f"{value:.2f} ({num:g} done of {den:g} due) (limit {rule} {thr:.2f})"
    of = f" ({num:g} of {den:g})" if den is not None else ""
    return f"{value:.1%}{of} (limit {rule} {thr:.0%})"


def _items(items: list | None, n: int = 6) -> str:
    if not items:
        return ""
    shown = ", ".join(str(i) for i in items[:n])
    more = f" ... {len(items) - n} more" if len(items) > n else ""
    return f"  [{shown}{more}]"


def format_report(rows: list[dict], show_all: bool = False) -> str:
    """The `governance_report` rows as text: per portfolio and project, the failed checks (with
    `show_all`, also the passed and the not measurable ones) and the compliance share."""
    if not rows:
        return "no project is judged yet: the store has no projects with a status date."
    lines = [f"Governance checks as of {rows[0]['as_of']} (thresholds: config [governance]; docs/governance.md)"]
    by_portfolio: dict = {}
    for r in rows:
        by_portfolio.setdefault(r["portfolio"], {}).setdefault(r["project_id"], []).append(r)
    for portfolio, projects in by_portfolio.items():
        judged = [r for rs in projects.values() for r in rs if r["passed"] is not None]
        passed = sum(1 for r in judged if r["passed"])
        clean = sum(1 for rs in projects.values()
                    if any(r["passed"] is not None for r in rs) and not any(r["passed"] is False for r in rs))
        share = f"{passed / len(judged):.0%}" if judged else "-"
        lines += ["", f"{portfolio or '(no portfolio)'}: {share} of checks passed ({passed} of {len(judged)}); "
                      f"{clean} of {len(projects)} projects pass every check"]
        for pid, rs in projects.items():
            j = [r for r in rs if r["passed"] is not None]
            ok = sum(1 for r in j if r["passed"])
            unmeasured = len(rs) - len(j)
            score = f"{ok / len(j):.0%} ({ok} of {len(j)} judged" if j else "- (nothing judged"
            lines.append(f"  {pid} {rs[0]['project_name'] or ''}: {score}; {unmeasured} not measurable)")
            for r in rs:
                if r["passed"] is False:
                    lines.append(f"    !! {r['check_name']}: {describe(r)}"
                                 f"{_items(r.get('offending_names') or r['offending'])}")
                elif show_all and r["passed"]:
                    lines.append(f"    ok {r['check_name']}: {describe(r)}")
                elif show_all:
                    lines.append(f"    -- {r['check_name']}: {r['note']}")
    return "\n".join(lines)
