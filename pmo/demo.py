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
