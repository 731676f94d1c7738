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

from pmo.metrics import day, plural

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
                      f"{clean} of {plural(len(projects), 'project')} pass every check"]
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


# ------------------------------------------------------------------------------------------------
# The Governance page (pages/8_Governance.py): scores, roll-ups and findings from the rows of
# queries/governance_project_checks.sql (one per project and check at the judged status date).
# Compliance = checks passed / checks judged; not measurable checks are left out and counted.
# ------------------------------------------------------------------------------------------------

GROUPS = {"reporting": "Reporting hygiene", "plan": "Plan hygiene", "schedule": "Schedule quality (DCMA)",
          "gates": "Stage gates"}
ALL_CHECKS = "All checks"
ROLLUPS = {"portfolio": "Portfolio", "program": "Program", "manager": "Manager", "department": "Department"}
NO_VALUE = "(none)"
_RULE_TEXT = {"<=": "≤", ">=": "≥", "<": "<"}


def _counts() -> list[pl.Expr]:
    return [pl.col("passed").is_not_null().sum().alias("checks_judged"),
            pl.col("passed").fill_null(False).sum().alias("checks_passed"),
            pl.col("passed").not_().fill_null(False).sum().alias("checks_failed"),
            pl.col("passed").is_null().sum().alias("checks_not_measurable")]


def _share(num: str, den: str) -> pl.Expr:
    return pl.when(pl.col(den) > 0).then(pl.col(num) / pl.col(den)).otherwise(None)


def project_scores(checks: pl.DataFrame) -> pl.DataFrame:
    """One row per project: checks judged / passed / failed / not measurable, compliance and the
    names of the failed checks (in check order); the least compliant first."""
    dims = ["project_id", "project_name", "portfolio", "program", "department", "manager", "stage"]
    if checks.is_empty():
        return pl.DataFrame(schema={**{d: pl.String for d in dims}, "checks_judged": pl.UInt32,
                                    "checks_passed": pl.UInt32, "checks_failed": pl.UInt32,
                                    "checks_not_measurable": pl.UInt32, "compliance": pl.Float64,
                                    "failed_checks": pl.List(pl.String)})
    out = (checks.sort("project_id", "check_order")
           .group_by(dims, maintain_order=True)
           .agg(*_counts(), pl.col("check_name").filter(pl.col("passed").not_().fill_null(False))
                .alias("failed_checks")))
    return (out.with_columns(_share("checks_passed", "checks_judged").alias("compliance"))
            .select(*dims, "checks_judged", "checks_passed", "checks_failed", "checks_not_measurable",
                    "compliance", "failed_checks")
            .sort(["compliance", "checks_failed", "project_id"], descending=[False, True, False], nulls_last=True))


def rollup(scores: pl.DataFrame, by: str) -> pl.DataFrame:
    """The project scores summed per value of `by` (portfolio, program, manager, department):
    projects, projects passing every check they are judged on, checks judged / passed / failed,
    compliance = Σ passed ÷ Σ judged; the least compliant first. A project without a value counts
    under '(none)'."""
    out = (scores.with_columns(pl.col(by).fill_null(NO_VALUE))
           .group_by(by)
           .agg(pl.len().alias("projects_judged"),
                ((pl.col("checks_failed") == 0) & (pl.col("checks_judged") > 0)).sum().alias("projects_fully_compliant"),
                pl.col("checks_judged").sum(), pl.col("checks_passed").sum(), pl.col("checks_failed").sum(),
                pl.col("checks_not_measurable").sum()))
    return (out.with_columns(_share("checks_passed", "checks_judged").alias("compliance"))
            .select(by, "compliance", "projects_judged", "projects_fully_compliant", "checks_judged",
                    "checks_passed", "checks_failed", "checks_not_measurable")
            .sort(["compliance", by], nulls_last=True))


def limit_text(rule: str | None, threshold: float | None, check_id: str) -> str:
    """'≤ 5%', '≥ 0.95', '≤ 10 days', '< 3 reports': the threshold in force, in words."""
    if threshold is None or rule is None:
        return "—"
    sign = _RULE_TEXT.get(rule, rule)
    if check_id in _DAYS:
        return f"{sign} {threshold:g} days"
    if check_id == "health_mismatch":
        return f"{sign} {threshold:g} reports in a row"
    if check_id in ("no_status", "no_baseline") or (check_id == "missing_fields" and threshold == 0):
        return "none"
    if check_id == "dcma_bei":
        return f"{sign} {threshold:.2f}"
    return f"{sign} {threshold:.0%}"


def check_scores(checks: pl.DataFrame) -> pl.DataFrame:
    """One row per check (in check order): its group, limit, how many projects it judged, passed,
    failed, could not measure, and compliance = projects passing ÷ projects judged."""
    out = (checks.group_by("check_id", "check_group", "check_name", "check_order")
           .agg(pl.col("rule").first(), pl.col("threshold").first(),
                pl.col("passed").is_not_null().sum().alias("projects_judged"),
                pl.col("passed").fill_null(False).sum().alias("projects_passing"),
                pl.col("passed").not_().fill_null(False).sum().alias("projects_failing"),
                pl.col("passed").is_null().sum().alias("projects_not_measurable"))
           .sort("check_order"))
    limits = [limit_text(r["rule"], r["threshold"], r["check_id"]) for r in out.iter_rows(named=True)]
    return (out.with_columns(pl.Series("limit_text", limits, dtype=pl.String),
                             pl.col("check_group").replace_strict(GROUPS, default=pl.col("check_group")),
                             _share("projects_passing", "projects_judged").alias("compliance"))
            .select("check_id", "check_group", "check_name", "limit_text", "projects_judged", "projects_passing",
                    "projects_failing", "projects_not_measurable", "compliance"))


def failed_findings(checks: pl.DataFrame) -> pl.DataFrame:
    """Every failed check of every project with its reason in words (the value against the limit)
    and the offending items by name; by check, then project."""
    failed = checks.filter(pl.col("passed").not_().fill_null(False)).sort("check_order", "project_id")
    reasons = [describe(r) for r in failed.iter_rows(named=True)]
    return (failed.with_columns(pl.Series("finding", reasons, dtype=pl.String),
                                pl.col("check_group").replace_strict(GROUPS, default=pl.col("check_group")),
                                pl.col("offending_names").list.len().alias("offending_count"))
            .select("project_id", "project_name", "portfolio", "check_group", "check_name", "finding",
                    "offending_count", "offending_names", "finding_date", "check_id"))


def not_measurable(checks: pl.DataFrame) -> pl.DataFrame:
    """The checks that could not be judged, per check and reason (the note: which export lacks
    which field, or nothing to judge), with how many projects each."""
    return (checks.filter(pl.col("passed").is_null())
            .group_by("check_order", "check_name", "note")
            .agg(pl.len().alias("projects_not_measurable"), pl.col("project_id").sort().alias("project_ids"))
            .sort("check_order", "projects_not_measurable", descending=[False, True])
            .select("check_name", "note", "projects_not_measurable", "project_ids"))


def kpis(checks: pl.DataFrame) -> dict:
    """The page's headline figures over the projects judged: projects judged, compliance
    (Σ passed ÷ Σ judged), projects passing every check they are judged on, findings to fix
    (failed checks), status reports missing or stale, stage gates overdue with no decision."""
    if checks.is_empty():
        return {"projects_judged": 0, "compliance": None, "projects_fully_compliant": 0,
                "findings_to_fix": 0, "status_reports_late": 0, "gates_overdue": 0}
    scores = project_scores(checks)
    judged, passed = int(scores["checks_judged"].sum()), int(scores["checks_passed"].sum())

    def failing(*ids: str) -> int:
        return checks.filter(pl.col("check_id").is_in(ids) & pl.col("passed").not_().fill_null(False))[
            "project_id"].n_unique()

    return {
        "projects_judged": scores.height,
        "compliance": passed / judged if judged else None,
        "projects_fully_compliant": scores.filter((pl.col("checks_failed") == 0) & (pl.col("checks_judged") > 0)).height,
        "findings_to_fix": int(scores["checks_failed"].sum()),
        "status_reports_late": failing("status_stale", "no_status"),
        "gates_overdue": failing("gate_overdue"),
    }


def trend(rows: pl.DataFrame) -> pl.DataFrame:
    """Compliance per status date, for all checks and per check group, from the rows of
    queries/governance_compliance_trend.sql: Σ passed ÷ Σ judged over the projects judged then.
    Long format: as_of, series (the group's label or 'All checks'), checks_judged, checks_passed,
    compliance, projects_judged."""
    schema = {"as_of": pl.Date, "series": pl.String, "checks_judged": pl.Int64, "checks_passed": pl.Int64,
              "compliance": pl.Float64, "projects_judged": pl.UInt32}
    if rows.is_empty():
        return pl.DataFrame(schema=schema)
    sums = [pl.col("checks_judged").sum().cast(pl.Int64), pl.col("checks_passed").sum().cast(pl.Int64),
            pl.col("project_id").n_unique().alias("projects_judged")]
    per_group = (rows.group_by("as_of", "check_group").agg(*sums)
                 .with_columns(pl.col("check_group").replace_strict(GROUPS, default=pl.col("check_group"))
                               .alias("series")).drop("check_group"))
    overall = rows.group_by("as_of").agg(*sums).with_columns(pl.lit(ALL_CHECKS).alias("series"))
    out = pl.concat([overall.select(per_group.columns), per_group])
    order = {s: i for i, s in enumerate([ALL_CHECKS, *GROUPS.values()])}
    return (out.filter(pl.col("checks_judged") > 0)
            .with_columns(_share("checks_passed", "checks_judged").alias("compliance"),
                          pl.col("series").replace_strict(order, default=99).alias("_o"))
            .sort("as_of", "_o").drop("_o").select(*schema).cast(schema))


def judged_change_text(trend: pl.DataFrame, previous, current) -> str:
    """' 312 checks are judged now, 120 on 30 Oct 2026: ...' when the number of checks judged
    changed between the two status dates (a plan export's checks join at its status date), so a
    fall in compliance is read as more checks judged, not only as standards slipping."""
    if previous is None:
        return ""
    overall = trend.filter(pl.col("series") == ALL_CHECKS)
    then = overall.filter(pl.col("as_of") == previous)["checks_judged"].sum()
    now = overall.filter(pl.col("as_of") == current)["checks_judged"].sum()
    if then == now:
        return ""
    joined = [s for s in GROUPS.values()
              if trend.filter((pl.col("series") == s) & (pl.col("as_of") == previous)).is_empty()
              and not trend.filter((pl.col("series") == s) & (pl.col("as_of") == current)).is_empty()]
    why = (f": {', '.join(joined)} joined (task checks count from the plan export's "
           "status date on), so the change is not only standards slipping or improving") if joined else ""
    return f" {now:,} checks are judged now, {then:,} on {day(previous)}{why}."
