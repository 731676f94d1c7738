"""The canonical model: the data contract every importer writes and every query reads.

Each table is a mapping of column name to Polars dtype, in contract order. `docs/data-model.md`
documents every column; `tests/test_schema_docs.py` checks the two agree.

Conventions: amounts are in the reporting currency (config, default USD) with the original amount
and currency kept; dates are DATE; fractions are 0 to 1; health is 'green' | 'amber' | 'red' | NULL.
"""

from __future__ import annotations

import polars as pl

Str, F64, Date, Bool, I64 = pl.String, pl.Float64, pl.Date, pl.Boolean, pl.Int64

TABLES: dict[str, dict[str, pl.DataType]] = {
    "projects": {
        "project_id": Str, "project_name": Str, "portfolio": Str, "program": Str,
        "department": Str, "manager": Str, "sponsor": Str, "stage": Str, "priority": Str,
        "start_date": Date, "finish_date": Date, "baseline_start_date": Date,
        "baseline_finish_date": Date, "actual_finish_date": Date, "percent_complete": F64,
        "budget": F64, "reported_health": Str, "currency": Str, "budget_original": F64,
        "external_ids": pl.List(Str), "source": Str, "as_of": Date,
    },
    "status_snapshots": {
        "project_id": Str, "as_of": Date, "percent_complete": F64, "reported_health": Str,
        "schedule_health": Str, "cost_health": Str, "scope_health": Str, "finish_date": Date,
        "budget": F64, "actual_cost": F64, "comment": Str, "source": Str,
    },
    "tasks": {
        "task_id": Str, "project_id": Str, "task_name": Str, "task_type": Str, "status": Str,
        "status_category": Str, "assignee": Str, "start_date": Date, "finish_date": Date,
        "baseline_start_date": Date, "baseline_finish_date": Date, "due_date": Date,
        "completed_date": Date, "percent_complete": F64, "is_milestone": Bool,
        "is_summary": Bool, "estimate_hours": F64, "actual_hours": F64,
        "remaining_hours": F64, "story_points": F64, "cost": F64, "baseline_cost": F64,
        "actual_cost": F64, "parent_id": Str, "labels": pl.List(Str), "sprints": pl.List(Str),
        "source": Str, "as_of": Date,
        # schedule quality (issue 17): what the DCMA checks read, where the plan export has it
        "actual_start_date": Date, "duration_days": F64, "baseline_duration_days": F64,
        "total_slack_days": F64, "constraint_type": Str, "constraint_date": Date,
    },
    "financials": {
        "project_id": Str, "period": Date, "category": Str, "cost_center": Str, "kind": Str,
        "amount": F64, "currency": Str, "amount_original": F64,
        "capex_opex": Str,  # 'capex' | 'opex' | NULL, from FP&A ledgers' Capex/Opex column
        "source": Str,
    },
    "salaries": {
        "employee_id": Str, "employee_name": Str, "job_title": Str, "job_family": Str,
        "level": Str, "department": Str, "country": Str, "city": Str, "currency": Str,
        "base_salary": F64, "base_salary_original": F64, "fte": F64, "is_pmo": Bool,
        "as_of": Date, "source": Str,
    },
    "salary_benchmarks": {
        "source": Str, "reference_date": Date, "job_title": Str, "soc_code": Str, "level": Str,
        "country": Str, "area": Str, "company": Str, "currency": Str, "basis": Str,
        "p10": F64, "p25": F64, "p50": F64, "p75": F64, "p90": F64, "mean": F64,
        "sample_size": I64, "top_coded": Bool,
    },
    "risks": {
        "item_id": Str, "project_id": Str, "kind": Str, "title": Str, "category": Str,
        "owner": Str, "status": Str, "probability": F64, "impact": F64, "exposure": F64,
        "due_date": Date, "created_date": Date, "closed_date": Date, "source": Str,
        # RAID register (issue 17): scoring inputs, response plans and dates
        "status_category": Str, "description": Str, "mitigation": Str, "contingency": Str,
        "priority": Str, "impact_scale": F64, "cost": F64, "currency": Str, "updated_date": Date,
        "as_of": Date,
    },
    # Every dated RAID export's items (risks keeps only the newest export of a source): history.
    "raid_snapshots": {
        "item_id": Str, "project_id": Str, "kind": Str, "status": Str, "status_category": Str,
        "probability": F64, "impact": F64, "impact_scale": F64, "cost": F64, "currency": Str,
        "created_date": Date, "closed_date": Date, "source": Str, "as_of": Date,
    },
    # Blocking links between items, tasks and projects (Jira "Blocks", a RAID log's "Depends on").
    "dependencies": {
        "project_id": Str, "item_id": Str, "blocker_project_id": Str, "blocker_id": Str,
        "link_type": Str, "source": Str, "as_of": Date,
    },
    # Schedule logic of plans: one row per predecessor link (MS Project "Predecessors").
    "task_links": {
        "project_id": Str, "task_id": Str, "predecessor_id": Str, "link_type": Str,
        "lag_days": F64, "lag_text": Str, "source": Str, "as_of": Date,
    },
    # Which schedule fields each plan export carried (a check without its fields is not measurable).
    "schedule_exports": {
        "project_id": Str, "export": Str, "fields": pl.List(Str), "task_count": I64,
        "source": Str, "as_of": Date,
    },
    # Stage-gate decisions (a gate log file).
    "stage_gates": {
        "project_id": Str, "gate": Str, "stage": Str, "gate_order": I64, "planned_date": Date,
        "decision_date": Date, "decision": Str, "decision_category": Str, "approver": Str,
        "comment": Str, "source": Str, "as_of": Date,
    },
    "fx_rates": {"currency": Str, "rate_to_reporting": F64, "valid_from": Date},
    # An analyst's decision on the Data page about an id some export uses for a project that no
    # register lists: link it to a project, or keep it as a project of its own.
    "project_links": {
        "alias": Str, "project_id": Str, "decision": Str, "decided_by": Str, "decided_at": Str,
        "note": Str,
    },
    # Resources (docs/resources.md). People are named as each tool names them; the canonical views
    # match them across tools and to HR (pmo/resources.py). One row per logged entry:
    "time_entries": {
        "work_date": Date, "hours": F64, "project_id": Str, "project_name": Str, "task_id": Str,
        "task_name": Str, "person_name": Str, "email": Str, "employee_id": Str, "resource_id": Str,
        "role": Str, "team": Str, "billable": Bool, "cost_rate": F64, "cost_rate_original": F64,
        "currency": Str, "entry_id": Str, "source": Str, "as_of": Date,
    },
    # One row per assignment and period (a timephased day, or a booking's whole start..end span):
    "allocations": {
        "project_id": Str, "project_name": Str, "task_id": Str, "task_name": Str,
        "allocation_id": Str, "person_name": Str, "email": Str, "employee_id": Str,
        "resource_id": Str, "role": Str, "is_placeholder": Bool, "start_date": Date,
        "end_date": Date, "hours": F64, "hours_per_day": F64, "allocation_pct": F64,
        "actual_hours": F64, "remaining_hours": F64, "baseline_hours": F64, "status": Str,
        "source": Str, "as_of": Date,
    },
    # Capacity facts: a contract (weekly hours over a span), leave, a public holiday of a
    # location, or a tool's stated capacity for a day.
    "capacity": {
        "kind": Str, "person_name": Str, "email": Str, "employee_id": Str, "resource_id": Str,
        "role": Str, "department": Str, "location": Str, "country": Str, "start_date": Date,
        "end_date": Date, "hours": F64, "days": F64, "weekly_hours": F64,
        "default_weekly_hours": F64, "fte": F64, "base_hours": F64, "description": Str,
        "source": Str, "as_of": Date,
    },
    # Prioritisation (issue 19, docs/prioritisation.md): a project's raw score on a business driver,
    # from a scoring sheet or entered on the Prioritisation page (the whole list each time).
    "project_scores": {
        "project_id": Str, "criterion": Str, "score": F64, "rating": Str, "scored_by": Str,
        "scored_at": Str, "note": Str, "source": Str, "as_of": Date,
    },
    # A saved prioritisation scenario: one row per candidate project, with the scenario's budget,
    # weights and forced choices repeated on each row (saved on the Prioritisation page).
    "priority_scenarios": {
        "scenario": Str, "project_id": Str, "selected": Bool, "forced": Str, "cost": F64,
        "score": F64, "budget": F64, "weights": Str, "currency": Str, "saved_by": Str,
        "saved_at": Str, "note": Str, "respect_capacity": Bool,
    },
    # PMO maturity self-assessment answers (issue 19, docs/maturity.md): one row per question of
    # an assessment, the level 0 (unknown) .. 5, evidence and who answered.
    "maturity_answers": {
        "assessment": Str, "assessed_on": Date, "question_id": Str, "answer_level": I64, "evidence": Str,
        "answered_by": Str, "answered_at": Str, "source": Str, "as_of": Date,
    },
}

# How a newer ingest of the same source replaces older rows. Current-state tables keep one
# segment per source (a newer export replaces it); history tables keep one per source and as-of.
HISTORY_TABLES = frozenset({"status_snapshots", "raid_snapshots"})
# Timesheet exports cover a period: their source ends in `@<first day>..<last day>`, so each period
# is its own segment and the `time_entries` view takes a day's entries from the latest export that
# covers it (pmo/resources.py, TIME_ENTRIES_SQL).

# Natural keys: duplicates within one ingest are reported by the data-quality report.
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "projects": ("project_id",),
    "status_snapshots": ("project_id", "as_of"),
    "tasks": ("project_id", "task_id"),
    "financials": (),  # ledgers legitimately repeat keys (several lines per month)
    "salaries": ("employee_id",),
    "salary_benchmarks": (),
    "risks": ("project_id", "item_id"),
    "raid_snapshots": ("project_id", "item_id"),
    "dependencies": (),   # the importers drop repeats (a link listed on both of its issues)
    "task_links": ("project_id", "task_id", "predecessor_id"),
    "schedule_exports": ("project_id",),
    "stage_gates": ("project_id", "gate"),
    "fx_rates": ("currency", "valid_from"),
    "project_links": ("alias",),
    "time_entries": (),  # two equal entries on one day are two entries (no worklog id in most exports)
    "allocations": (),   # importers with assignment ids reject their own duplicates
    "capacity": (),
    "project_scores": ("project_id", "criterion"),
    "priority_scenarios": ("scenario", "project_id"),
    "maturity_answers": ("assessment", "question_id"),
}

# Columns that must be present and non-empty for a row to be accepted.
REQUIRED: dict[str, tuple[str, ...]] = {
    "projects": ("project_id",),
    "status_snapshots": ("project_id", "as_of"),
    "tasks": ("task_id", "project_id"),
    "financials": ("project_id", "period", "kind", "amount_original"),
    "salaries": ("employee_id",),
    "salary_benchmarks": ("job_title",),
    "risks": ("item_id", "project_id", "kind"),
    "raid_snapshots": ("item_id", "project_id", "kind"),
    "dependencies": ("project_id",),
    "task_links": ("project_id", "task_id", "predecessor_id"),
    "schedule_exports": ("project_id",),
    "stage_gates": ("project_id", "gate"),
    "fx_rates": ("currency", "rate_to_reporting", "valid_from"),
    "project_links": ("alias", "decision"),
    "time_entries": ("work_date", "hours"),
    "allocations": ("project_id", "start_date", "end_date"),
    "capacity": ("kind",),
    "project_scores": ("project_id", "criterion"),
    "priority_scenarios": ("scenario", "project_id"),
    "maturity_answers": ("assessment", "assessed_on", "question_id"),
}

# Allowed values of enumerated columns (NULL is always allowed unless the column is required).
ENUMS: dict[tuple[str, str], frozenset[str]] = {
    ("projects", "reported_health"): frozenset({"green", "amber", "red"}),
    ("status_snapshots", "reported_health"): frozenset({"green", "amber", "red"}),
    ("status_snapshots", "schedule_health"): frozenset({"green", "amber", "red"}),
    ("status_snapshots", "cost_health"): frozenset({"green", "amber", "red"}),
    ("status_snapshots", "scope_health"): frozenset({"green", "amber", "red"}),
    ("tasks", "status_category"): frozenset({"todo", "in_progress", "done"}),
    ("financials", "kind"): frozenset({"budget", "actual", "forecast", "commitment"}),
    ("salary_benchmarks", "basis"): frozenset({"annual", "hourly"}),
    ("project_links", "decision"): frozenset({"link", "new"}),
    ("risks", "kind"): frozenset({"risk", "assumption", "issue", "dependency"}),
    ("risks", "status_category"): frozenset({"open", "closed"}),
    ("raid_snapshots", "kind"): frozenset({"risk", "assumption", "issue", "dependency"}),
    ("raid_snapshots", "status_category"): frozenset({"open", "closed"}),
    ("task_links", "link_type"): frozenset({"FS", "SS", "FF", "SF"}),
    ("tasks", "constraint_type"): frozenset({"ASAP", "ALAP", "SNET", "SNLT", "FNET", "FNLT", "MSO", "MFO"}),
    ("stage_gates", "decision_category"): frozenset({"approved", "conditional", "rejected", "deferred"}),
    ("allocations", "status"): frozenset({"confirmed", "tentative", "draft"}),
    ("capacity", "kind"): frozenset({"contract", "leave", "holiday", "capacity"}),
    ("priority_scenarios", "forced"): frozenset({"in", "out"}),
}

# Amounts and the column stating their currency: an amount is stored only with a stated currency
# (the file's, a header's, `--currency`, or a mapping's constant), never assumed to be the
# reporting currency (pmo.ingest.settle_currencies). Status reports' budget / actual cost are in
# their project's currency.
MONEY: dict[str, tuple[str, tuple[str, ...]]] = {
    "financials": ("currency", ("amount_original",)),
    "projects": ("currency", ("budget_original",)),
    "salaries": ("currency", ("base_salary_original",)),
    "salary_benchmarks": ("currency", ("p10", "p25", "p50", "p75", "p90", "mean")),
    "time_entries": ("currency", ("cost_rate_original",)),
}

# Bookkeeping columns the store adds to every segment (not part of the contract).
INGEST_ID = "_ingest_id"

# The log of accepted ingests (store point 1), exposed as the `ingests` view.
INGESTS: dict[str, pl.DataType] = {
    "ingest_id": I64, "file_name": Str, "sha256": Str, "size_bytes": I64, "tool": Str,
    "importer_version": Str, "tables": Str, "as_of": Date, "rows_read": I64,
    "rows_accepted": I64, "rows_rejected": I64, "cells_cleared": I64, "user": Str, "ingested_at": pl.Datetime("us"),
    "version": I64, "source": Str, "action": Str,
}

# Rows an importer could not accept, kept with the raw file they came from.
REJECTED_ROWS: dict[str, pl.DataType] = {
    "ingest_id": I64, "file_name": Str, "table_name": Str, "row_number": I64, "column_name": Str,
    "value": Str, "reason": Str,
    "kind": Str,  # 'row rejected' (not stored) | 'cell cleared' (row stored, this value left empty)
}


def empty(table: str) -> pl.DataFrame:
    """An empty frame with the table's canonical columns and types."""
    return pl.DataFrame(schema=TABLES[table])


def conform(table: str, df: pl.DataFrame) -> pl.DataFrame:
    """Select the canonical columns in contract order, adding missing ones as NULL, casting types.

    Importers hand over frames that already hold parsed values; this only aligns them. A value
    that cannot be cast is a bug in the importer, so the cast is strict.
    """
    schema = TABLES[table]
    cols = []
    for name, dtype in schema.items():
        if name in df.columns:
            cols.append(pl.col(name).cast(dtype, strict=True))
        else:
            cols.append(pl.lit(None, dtype=dtype).alias(name))
    return df.select(cols)
