"""Settings: `config/pmo.toml` (documented defaults, in the repo) overlaid by `<store>/config.toml`.

Kept as plain dicts: every page reads a few keys, and the TOML file is the documentation.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULTS = ROOT / "config" / "pmo.toml"


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


@cache
def _read(path: Path, mtime: float) -> dict:
    with path.open("rb") as fh:
        return tomllib.load(fh)


def read_toml(path: Path) -> dict:
    if not path.exists():
        return {}
    return _read(path, path.stat().st_mtime)


def load(store_root: Path | str | None = None) -> dict:
    """Defaults merged with the store's own overrides (if any)."""
    cfg = read_toml(DEFAULTS)
    if store_root is not None:
        cfg = _merge(cfg, read_toml(Path(store_root) / "config.toml"))
    return cfg
