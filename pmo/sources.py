"""Which export is which kind, and which kind wins for which project field (config [projects]).

Projects come from every export that describes them (queries/canonical/_project_rows.sql). When
several describe the same project, each group of fields takes its value from the first kind of
export in that group's precedence list that gives one. The settings reach SQL as two small
tables, `settings_project_sources` and `settings_project_precedence`; no tool rule is written in
SQL.
"""

from __future__ import annotations

import polars as pl

KINDS = ("register", "status", "task", "finance", "other")
FIELD_GROUPS = {
    "identity": ("project_name", "portfolio", "program", "department", "manager", "sponsor", "stage",
                 "priority"),
    "dates": ("start_date", "finish_date", "baseline_start_date", "baseline_finish_date",
              "actual_finish_date"),
    "budget": ("budget", "currency", "budget_original"),
    "progress": ("percent_complete",),
    "health": ("reported_health",),
}
DEFAULT_PRECEDENCE = {
    "identity": ["register", "status", "task", "finance"],
    "dates": ["register", "status", "task"],
    "budget": ["register", "status", "finance", "task"],
    "progress": ["task", "status", "register"],
    "health": ["status", "register", "task"],
}


def read_settings(cfg: dict) -> tuple[dict[str, str], dict[str, list[str]], list[str]]:
    """(source key -> kind, field group -> kinds in order, problems). A wrong entry is left out and
    named in `problems` (the pages show them), never guessed."""
    section = cfg.get("projects", {}) or {}
    problems: list[str] = []
    roles: dict[str, str] = {}
    for key, kind in (section.get("sources", {}) or {}).items():
        if kind in KINDS:
            roles[str(key)] = kind
        else:
            problems.append(f"[projects] sources: {key} = {kind!r} is not one of {', '.join(KINDS)}; ignored.")
    precedence = {g: list(v) for g, v in DEFAULT_PRECEDENCE.items()}
    for group, kinds in (section.get("precedence", {}) or {}).items():
        if group not in FIELD_GROUPS:
            problems.append(f"[projects.precedence] {group} is not a field group "
                            f"({', '.join(FIELD_GROUPS)}); ignored.")
            continue
        wrong = [k for k in kinds if k not in KINDS]
        if wrong or not isinstance(kinds, list):
            problems.append(f"[projects.precedence] {group}: {wrong or kinds} not kinds of export "
                            f"({', '.join(KINDS)}); the default order is used.")
            continue
        precedence[group] = list(dict.fromkeys(kinds))
    return roles, precedence, problems


def sql_tables(cfg: dict) -> dict[str, pl.DataFrame]:
    """`settings_project_sources(key, role)` and `settings_project_precedence(field_group, role,
    rank)` for the canonical views."""
    roles, precedence, _ = read_settings(cfg)
    return {
        "settings_project_sources": pl.DataFrame(
            {"key": list(roles), "role": list(roles.values())}, schema={"key": pl.String, "role": pl.String}),
        "settings_project_precedence": pl.DataFrame(
            [(g, k, i) for g, kinds in precedence.items() for i, k in enumerate(kinds, 1)],
            schema={"field_group": pl.String, "role": pl.String, "rank": pl.Int64}, orient="row"),
    }
