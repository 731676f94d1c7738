"""Build a store straight from canonical frames, for tests of views and queries on hand-worked data.

Importers are tested on real export layouts elsewhere; view and query tests want exact inputs,
so this bypasses detection but still publishes through the store's Writer (the same segments,
manifest and views as a real ingest).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from pmo import query, schema
from pmo.ingest import place, FileOutcome
from pmo.manifest import Manifest
from pmo.store import Store


def make_store(root: Path, tables: dict[str, list[dict] | pl.DataFrame], *, as_of: date = date(2026, 11, 20),
               source: str = "test:fixture", config_toml: str | None = None) -> Store:
    """Publish `tables` (rows as dicts or frames with canonical column names) as version 1.

    `status_snapshots` rows keep their own as_of. Returns the store. `config_toml` is written to
    the store's config.toml (overrides of config/pmo.toml).
    """
    store = Store(root)
    store.root.mkdir(parents=True, exist_ok=True)
    if config_toml:
        (store.root / "config.toml").write_text(config_toml)
    with store.writer() as w:
        segments: dict = {}
        frames = {}
        for table, rows in tables.items():
            df = rows if isinstance(rows, pl.DataFrame) else pl.DataFrame(rows, infer_schema_length=None)
            if "source" in schema.TABLES[table] and "source" not in df.columns:
                df = df.with_columns(pl.lit(source).alias("source"))
            if "as_of" in schema.TABLES[table] and "as_of" not in df.columns:
                df = df.with_columns(pl.lit(as_of).alias("as_of"))
            frames[table] = schema.conform(table, df).with_row_index("_row").with_columns(pl.col("_row").cast(pl.Int64))
        outcome = FileOutcome(file_name="fixture", tool="test", label="test", sha256="0" * 64, size_bytes=0,
                              as_of=as_of, source=source, tables={t: f.height for t, f in frames.items()},
                              rows_read=0, rejects=[], frames=frames, ingest_id=1)
        place(w, segments, outcome)
        # one ingest record per source the rows name: the ingest log is where the views learn
        # which kind of export each source is (config [projects] sources)
        sources = sorted({v for f in frames.values() if "source" in f.columns
                          for v in f["source"].drop_nulls().unique().to_list()})
        ingests = [{"ingest_id": i, "file_name": "fixture", "tool": src.split(":")[0], "source": src,
                    "as_of": as_of.isoformat(), "rows_read": 0, "rows_accepted": 0, "rows_rejected": 0,
                    "user": "test", "version": 1, "action": "ingest"}
                   for i, src in enumerate(sources, 1)]
        w.publish(Manifest(action="ingest", note="test fixture", user="test", segments=segments,
                           ingests=ingests, active=[i["ingest_id"] for i in ingests]))
    return store


def connect(root: Path, tables: dict, **kwargs):
    """make_store + a connection with every view, each summary view served from its table as on
    a page (a deep stack of views otherwise recomputes `projects` at every level)."""
    rt = query.connect(make_store(root, tables, **kwargs))
    rt.ensure_summaries(tuple(query.cache.summary_views()))
    return rt.con
