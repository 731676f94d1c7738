"""Inputs people enter on the Prioritisation and Maturity pages: driver scores, saved scenarios and
maturity answers. Each write is published as a new store version through the normal ingest (the
importers scoring_sheet, priority_scenarios and maturity_assessment), as the Data page's project
links are (pmo/project_links.py): a small CSV kept with the raw files, so history, rollback and
`pmo rebuild` work as for any export, and the ingest log says who and when.

Who may write: a role that may ingest (analyst, admin); a viewer never. A role limited to some
portfolios or departments writes only rows of projects it can see (`in_scope`: the project ids
its scoped connection shows), may not overwrite a scenario holding projects it cannot see, and
may not answer the maturity assessment (it is about the whole PMO). Every write and every refusal
is an audit event (`decide`, `decide_refused`).
"""

from __future__ import annotations

import csv
import io
import tempfile
from datetime import date, datetime, timezone
from pathlib import Path

import polars as pl

from pmo import audit, auth, schema
from pmo.auth import Role
from pmo.importers import maturity_assessment, priority_scenarios, scoring_sheet
from pmo.store import Store

SCORES_FILE = "prioritisation-scores.csv"
SCENARIOS_FILE = "prioritisation-scenarios.csv"


class NotAllowed(PermissionError):
    """The role may not make this change; the message says why."""


def now() -> str:
    return datetime.now(timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds")


# ---------------------------------------------------------------------------------------------
# Permission
# ---------------------------------------------------------------------------------------------
def check_write(store: Store, role: Role | None, user: str, what: str, *, projects=(),
                in_scope: set[str] | None = None, whole_pmo: bool = False) -> None:
    """Raise NotAllowed (and log the refusal) unless `role` may write `what` about `projects`."""
    reason = None
    if role is None or not auth.can(role, "ingest"):
        reason = f"the role {role.name if role else '(none)'} may only view; ask an analyst or an admin"
    elif whole_pmo and role.scope.restricted:
        reason = (f"the role {role.name} sees only {role.scope.describe()}; this is about the whole PMO, so "
                  "an analyst without a portfolio or department limit must enter it")
    elif role.scope.restricted:
        outside = sorted(set(projects) - set(in_scope or ()))
        if outside:
            shown = ", ".join(outside[:5]) + (f" and {len(outside) - 5} more" if len(outside) > 5 else "")
            reason = f"the role {role.name} sees only {role.scope.describe()}; {shown} is outside it"
    if reason:
        audit.log(store.root, user, "decide_refused", {"what": what, "reason": reason},
                  role=role.name if role else None)
        raise NotAllowed(f"Not saved: {reason}.")


def _done(store: Store, role: Role, user: str, what: str, version: int) -> int:
    audit.log(store.root, user, "decide", {"what": what, "version": version}, role=role.name)
    return version


# ---------------------------------------------------------------------------------------------
# Reading the whole list (not the session's scoped rows: a write replaces the whole list)
# ---------------------------------------------------------------------------------------------
def current(store: Store, table: str) -> pl.DataFrame:
    if store.is_empty():
        return schema.empty(table)
    from pmo import query

    rt = query.connect(store)
    try:
        return rt.sql(f"select * exclude (_ingest_id) from seg_{table}")
    finally:
        rt.close()


def _csv(header: tuple[str, ...], rows: list[list]) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    return out.getvalue().encode("utf-8")


def _publish(store: Store, file_name: str, tool: str, body: bytes, user: str) -> int:
    from pmo.ingest import ingest_files

    with tempfile.TemporaryDirectory(prefix="pmo-input-") as tmp:
        path = Path(tmp) / file_name
        path.write_bytes(body)
        outcomes = ingest_files(store, [path], tool=tool, user=user, allow_empty=True)
    return outcomes[0].version


# ---------------------------------------------------------------------------------------------
# Driver scores
# ---------------------------------------------------------------------------------------------
def save_scores(store: Store, edits: list[dict], *, role: Role | None, user: str,
                in_scope: set[str] | None = None) -> int:
    """Set (or with score None, remove) scores: edits of {project_id, criterion, score, note}.
    `score` is a number or a rating word. Returns the new version."""
    projects = {e["project_id"] for e in edits}
    what = f"scores of {len(projects)} project{'s' if len(projects) != 1 else ''} ({len(edits)} values)"
    check_write(store, role, user, what, projects=projects, in_scope=in_scope)
    rows = {(r["project_id"], r["criterion"]): r for r in current(store, "project_scores").iter_rows(named=True)}
    stamp = now()
    for e in edits:
        key = (e["project_id"], e["criterion"])
        if e.get("score") is None or str(e["score"]).strip() == "":
            rows.pop(key, None)
            continue
        rows[key] = {"project_id": key[0], "criterion": key[1], "rating": str(e["score"]).strip(),
                     "scored_by": user, "scored_at": stamp, "note": e.get("note"), "project_name": None}
    body = _csv(scoring_sheet.HEADER, [
        [r["project_id"], None, r["criterion"], r["rating"] if r.get("rating") is not None else r.get("score"),
         r["scored_by"], r["scored_at"], r["note"]] for _, r in sorted(rows.items())])
    return _done(store, role, user, what, _publish(store, SCORES_FILE, scoring_sheet.TOOL, body, user))


# ---------------------------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------------------------
def _scenario_rows(df: pl.DataFrame) -> list[list]:
    return [[r["scenario"], r["project_id"], "yes" if r["selected"] else "no", r["forced"], r["cost"], r["score"],
             r["budget"], r["weights"], r["currency"], r["saved_by"], r["saved_at"], r["note"],
             "yes" if r["respect_capacity"] else "no"]
            for r in df.sort("scenario", "project_id").iter_rows(named=True)]


def _guard_overwrite(store: Store, role: Role, user: str, name: str, existing: pl.DataFrame,
                     in_scope: set[str] | None, what: str) -> None:
    """A scoped role may not replace or delete a scenario that holds projects it cannot see."""
    theirs = existing.filter(pl.col("scenario") == name)["project_id"].to_list()
    check_write(store, role, user, what, projects=theirs, in_scope=in_scope)


def save_scenario(store: Store, name: str, rows: list[dict], *, budget: float, weights: str,
                  currency: str, note: str | None, role: Role | None, user: str,
                  in_scope: set[str] | None = None, respect_capacity: bool = False) -> int:
    """Save (or replace) scenario `name`: rows of {project_id, selected, forced, cost, score};
    `respect_capacity` = the selection also kept role capacity per quarter."""
    name = name.strip()
    if not name:
        raise ValueError("Name the scenario first.")
    what = f"scenario '{name}' saved ({sum(1 for r in rows if r['selected'])} of {len(rows)} projects selected)"
    check_write(store, role, user, what, projects=[r["project_id"] for r in rows], in_scope=in_scope)
    existing = current(store, "priority_scenarios")
    _guard_overwrite(store, role, user, name, existing, in_scope, what)
    stamp = now()
    new = pl.DataFrame([{"scenario": name, "project_id": r["project_id"], "selected": bool(r["selected"]),
                         "forced": r.get("forced"), "cost": r.get("cost"), "score": r.get("score"),
                         "budget": budget, "weights": weights, "currency": currency, "saved_by": user,
                         "saved_at": stamp, "note": note or None, "respect_capacity": bool(respect_capacity)}
                        for r in rows],
                       schema=schema.TABLES["priority_scenarios"])
    keep = pl.concat([existing.filter(pl.col("scenario") != name), new], how="vertical_relaxed")
    body = _csv(priority_scenarios.HEADER, _scenario_rows(keep))
    return _done(store, role, user, what, _publish(store, SCENARIOS_FILE, priority_scenarios.TOOL, body, user))


def delete_scenario(store: Store, name: str, *, role: Role | None, user: str,
                    in_scope: set[str] | None = None) -> int:
    what = f"scenario '{name}' deleted"
    check_write(store, role, user, what, in_scope=in_scope)
    existing = current(store, "priority_scenarios")
    _guard_overwrite(store, role, user, name, existing, in_scope, what)
    body = _csv(priority_scenarios.HEADER, _scenario_rows(existing.filter(pl.col("scenario") != name)))
    return _done(store, role, user, what, _publish(store, SCENARIOS_FILE, priority_scenarios.TOOL, body, user))


# ---------------------------------------------------------------------------------------------
# Maturity answers
# ---------------------------------------------------------------------------------------------
def assessment_file_name(name: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in name.strip())[:60] or "assessment"
    return f"pmo-maturity-{safe}.csv"


def save_assessment(store: Store, name: str, assessed_on: date, answers: list[dict], *,
                    role: Role | None, user: str) -> int:
    """Save (or replace) assessment `name`: answers of {question_id, level 0-5, evidence}; each
    answer keeps who answered it and when (an unchanged answer keeps its first author)."""
    name = name.strip()
    if not name:
        raise ValueError("Name the assessment first (for example '2026 H2').")
    what = f"maturity assessment '{name}' of {assessed_on.isoformat()} saved ({len(answers)} answers)"
    check_write(store, role, user, what, whole_pmo=True)
    before = {r["question_id"]: r for r in current(store, "maturity_answers")
              .filter(pl.col("assessment") == name).iter_rows(named=True)}
    stamp = now()
    rows = []
    for a in answers:
        old = before.get(a["question_id"])
        same = old is not None and old["answer_level"] == a["level"] and (old["evidence"] or "") == (a.get("evidence") or "")
        rows.append([name, assessed_on.isoformat(), a["question_id"], None, a["level"], a.get("evidence"),
                     old["answered_by"] if same else user, old["answered_at"] if same else stamp])
    body = _csv(maturity_assessment.HEADER, rows)
    return _done(store, role, user, what, _publish(store, assessment_file_name(name), maturity_assessment.TOOL,
                                                   body, user))
