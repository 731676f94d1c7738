"""What the runtime keeps so pages stay fast at scale, in one place (docs/architecture.md,
"Summary tables"):

- summary tables: views whose header says `cache: summary` are computed once per connection
  (store version x settings x scope) the first time a query reads them, and for unscoped
  connections saved as LZ4 Parquet under `<store>/cache/<version>-<key>/`, sorted by project, so
  the next process reads the file instead of recomputing (`pmo ingest` builds them ahead);
- saved results: page queries whose header says `cache: saved` save their result without project
  filters the same way, per parameters (`warm` in the header: what `pmo ingest` saves ahead);
- the key: a hash of the settings, the settings tables and the SQL of every view, so an entry
  is never stale; the CACHE_KEEP most recent entries are kept and deleting `cache/` loses nothing.

Per-project cuts and the in-memory result cache are in runtime.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from datetime import date
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from pmo.query import catalog
from pmo.store import Store

CACHE_KEEP = 8          # cache entries (version x settings) kept; older ones are deleted
CACHE_ROW_GROUP = 100_000
# How each saved summary table is sorted: a query for one project reads only its row groups.
ORDER = {"projects": "project_id", "status_snapshots": "project_id, as_of", "tasks": "project_id, task_id",
         "project_milestones": "project_id, task_id", "ledger_monthly": "project_id, period",
         "project_health": "project_id, as_of", "salary_positions": "employee_id", "_project_alias": "alias",
         "raid_dependencies": "project_id, item_id", "governance_findings": "project_id, check_id, as_of"}


def summary_views() -> list[str]:
    """Every view saved as a summary table, in an order where each comes after those it reads."""
    return [q.name for q in catalog.in_order("canonical", "macros", "views") if "summary" in q.cache]


def key(cfg: dict, settings_tables: dict[str, pl.DataFrame]) -> str:
    """What the saved tables depend on besides the version: the settings (with the tables made
    from them, such as the title map) and the SQL of every file a view is made of."""
    h = hashlib.sha256(json.dumps(cfg, sort_keys=True, default=str).encode())
    for name in sorted(settings_tables):
        h.update(name.encode() + json.dumps(settings_tables[name].to_dicts(), default=str).encode())
    for kind in ("canonical", "macros", "views", "scope"):
        for path in sorted((catalog.QUERY_DIR / kind).glob("*.sql")):
            h.update(path.name.encode() + catalog.load_text(path).encode())
    return h.hexdigest()[:16]


def entry_dir(store: Store, version: int, cache_key: str) -> Path:
    return store.path("cache", f"{version:06d}-{cache_key}")


def save(table, dest: Path) -> bool:
    """Write an Arrow table to `dest` atomically; False (nothing written) where the store is
    read-only."""
    tmp = dest.with_name(f".{dest.stem}-{uuid.uuid4().hex}.tmp")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        # LZ4, as the segments: fast to write and to scan
        pq.write_table(table, tmp, compression="lz4", row_group_size=CACHE_ROW_GROUP)
        os.replace(tmp, dest)
        return True
    except OSError:
        tmp.unlink(missing_ok=True)
        return False


def prune(store: Store, keep: Path) -> None:
    entries = sorted((d for d in store.path("cache").glob("*") if d.is_dir() and d != keep),
                     key=lambda d: d.stat().st_mtime, reverse=True)
    for old in entries[CACHE_KEEP - 1:]:
        shutil.rmtree(old, ignore_errors=True)


def params_key(params: dict) -> str:
    return hashlib.sha256(json.dumps(sorted(params.items()), default=str).encode()).hexdigest()[:16]


def saved_result_path(entry: Path, name: str, params: dict) -> Path:
    return entry / "results" / f"{name}-{params_key(params)}.parquet"


def read_saved(path: Path) -> pl.DataFrame | None:
    return pl.read_parquet(path) if path.exists() else None


def warm_params(q: catalog.QueryInfo, cfg: dict, today: date) -> dict:
    """The parameters a page opens `q` with (its `warm` header); the others NULL."""
    params = dict.fromkeys(q.params)
    for name, spec in q.warm:
        if name not in params:
            raise catalog.QueryError(f"{q.path}: warm names {name}, which is not a parameter")
        params[name] = _warm_value(spec, cfg, today)
    return params


def _warm_value(spec: str, cfg: dict, today: date):
    if spec == "today":
        return today
    if spec in ("null", "NULL"):
        return None
    if spec in ("true", "false"):
        return spec == "true"
    if spec.startswith("config "):
        section, _, k = spec.removeprefix("config ").partition(".")
        value = (cfg.get(section) or {}).get(k)
        return int(value) if isinstance(value, bool) is False and isinstance(value, int) else value
    try:
        return int(spec)
    except ValueError:
        return spec.strip("'\"")
