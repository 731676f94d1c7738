"""The sample data: every export in sample_data/, loaded into an empty store as one version with
the sample company's settings (`sample_data/store_config.toml`, e.g. its December fiscal year).
`pmo demo`, the first start of `pmo serve` and the tests use it."""

from __future__ import annotations

from pathlib import Path

from pmo.store import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "sample_data"
SAMPLE_SUFFIXES = {".csv", ".xlsx", ".tsv", ".parquet", ".txt"}


def sample_files() -> list[Path]:
    return sorted(p for p in SAMPLE_DIR.rglob("*") if p.suffix.lower() in SAMPLE_SUFFIXES
                  and p.is_file() and not p.name.startswith("."))


def load_demo(store: Store) -> list:
    """Ingest every sample export in one version. Raises IngestFailed / StoreBusy."""
    from pmo.ingest import ingest_files

    store.root.mkdir(parents=True, exist_ok=True)
    settings = store.path("config.toml")
    if not settings.exists():
        settings.write_text((SAMPLE_DIR / "store_config.toml").read_text())
    return ingest_files(store, sample_files(), user="demo")


def build_summaries(store: Store) -> float | None:
    """The dashboard's summary tables and default saved results for the loaded sample, as
    `pmo ingest` builds them, so that no first page view computes them (about 12 s on the sample;
    without them the first visit to each page took 13-15 s). Returns the seconds taken, or None
    when they could not be built (a read-only or full disk): each page then computes what it needs.
    `PMO_SUMMARIES=skip` skips them."""
    import os

    from pmo import query

    if os.environ.get("PMO_SUMMARIES") == "skip":
        return None
    try:
        return query.warm(store)
    except Exception:   # noqa: BLE001 - the data is stored; the pages compute what they need
        return None
