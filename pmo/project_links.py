"""Deciding about projects only a non-register export knows (the Data page's "Projects to match"
and `pmo link`): link an id to a register project, or keep it as a project of its own.

A decision is published as a new store version through the normal ingest (importer
pmo/importers/project_links.py): the whole list of decisions, as a small CSV kept with the raw
files, so rollback and `pmo rebuild` replay it. Deciding again about the same id replaces the
earlier decision; `forget` removes it.
"""

from __future__ import annotations

import csv
import io
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import polars as pl

from pmo.importers.project_links import HEADER
from pmo.store import Store

FILE_NAME = "project-links.csv"


def current(store: Store) -> pl.DataFrame:
    """The decisions the current version holds (alias, project_id, decision, decided_by,
    decided_at, note)."""
    from pmo import query

    if store.is_empty():
        return pl.DataFrame(schema={c: pl.String for c in ("alias", "project_id", "decision", "decided_by",
                                                             "decided_at", "note")})
    rt = query.connect(store)
    try:
        return rt.sql("select * exclude (_ingest_id) from seg_project_links order by alias")
    finally:
        rt.close()


def to_csv(decisions: pl.DataFrame) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(HEADER)
    for r in decisions.iter_rows(named=True):
        w.writerow([r["alias"], r["project_id"] if r["decision"] == "link" else "", r["decision"],
                    r["decided_by"] or "", r["decided_at"] or "", r["note"] or ""])
    return out.getvalue().encode("utf-8")


def decide(store: Store, alias: str, *, link_to: str | None, user: str, note: str = "") -> int:
    """Record one decision (`link_to` = a project id to link to, None = keep as its own project)
    and publish it as a new version. Returns the version. Raises IngestFailed / StoreBusy."""
    row = {"alias": alias, "project_id": link_to or alias, "decision": "link" if link_to else "new",
           "decided_by": user, "decided_at": datetime.now(timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds"),
           "note": note or None}
    decisions = current(store).filter(pl.col("alias") != alias)
    decisions = pl.concat([decisions, pl.DataFrame([row], schema=decisions.schema)]).sort("alias")
    return _publish(store, decisions, user)


def forget(store: Store, alias: str, *, user: str) -> int:
    """Remove the decision about `alias` (it is matched automatically again)."""
    decisions = current(store).filter(pl.col("alias") != alias)
    return _publish(store, decisions, user)


def _publish(store: Store, decisions: pl.DataFrame, user: str) -> int:
    from pmo.ingest import ingest_files

    with tempfile.TemporaryDirectory(prefix="pmo-links-") as tmp:
        path = Path(tmp) / FILE_NAME
        path.write_bytes(to_csv(decisions))
        outcomes = ingest_files(store, [path], tool="project_links", user=user)
    return outcomes[0].version
