"""PMO salary benchmarks: the title map, the settings as SQL tables, suggestions, privacy, summaries.

The numbers themselves (aged, converted, annualised bands; compa-ratio; position in range; cost of
closing gaps) are computed in SQL (`queries/views/salary_market.sql`, `salary_positions.sql`) so
the page, the SQL explorer and `pmo sql` agree. This module feeds those views their inputs as
tables (`sql_tables`, called once per connection by `pmo.query.connection`) and holds the logic the page
needs around them: title suggestions, who may see individuals, small-group suppression.

No Streamlit here. See docs/salaries.md.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TITLE_MAP = ROOT / "config" / "title_map.toml"
RULE_FIELDS = ("soc_code", "job_title", "level", "company", "source")
ROLE_ENV = "PMO_ROLE"
DEFAULT_ROLE = "admin"          # until sign-in exists (the hosting issue), a local user is admin

Str, I64, F64, Bool = pl.String, pl.Int64, pl.Float64, pl.Boolean

SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "settings_salaries": {"reporting_currency": Str, "small_group": I64, "small_sample": I64,
                          "hours_per_year": F64, "aging_rate": F64, "age_to": pl.Date,
                          "title_map": Str},
    "salary_roles": {"benchmark_role": Str, "role_order": I64},
    "title_map": {"job_title": Str, "title_key": Str, "benchmark_role": Str},
    "salary_role_sources": {"benchmark_role": Str, "rule_order": I64, "soc_code": Str,
                            "job_title": Str, "level": Str, "company": Str, "source": Str,
                            "place": Bool},
    "salary_locations": {"city": Str, "city_key": Str, "country": Str, "state": Str, "metro": Str},
    "salary_countries": {"alias_key": Str, "country": Str},
}


@dataclass
class TitleMap:
    """The parsed title map. `problems` lists what was skipped and why (never raised)."""

    path: Path
    roles: list[str] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)          # title key -> role
    spelling: dict[str, str] = field(default_factory=dict)        # title key -> title as written
    also_known_as: dict[str, list[str]] = field(default_factory=dict)
    rules: list[dict] = field(default_factory=list)               # role, rule_order, fields, place
    locations: dict[str, dict] = field(default_factory=dict)      # city -> country/state/metro
    countries: dict[str, str] = field(default_factory=dict)       # spelling -> country
    problems: list[str] = field(default_factory=list)

    def role_of(self, title: str | None) -> str | None:
        return self.titles.get(_key(title)) if title else None


def _key(text: str | None) -> str:
    return " ".join(str(text or "").split()).lower()


# ------------------------------------------------------------------------------------------------
# Settings and the title map
# ------------------------------------------------------------------------------------------------

def settings(cfg: dict, today: date | None = None) -> dict:
    """The `[salaries]` settings with defaults applied and `age_to` resolved ("" = today)."""
    s = cfg.get("salaries", {})
    age_to = s.get("age_to") or ""
    if isinstance(age_to, str):
        age_to = date.fromisoformat(age_to) if age_to.strip() else (today or date.today())
    return {
        "reporting_currency": cfg.get("general", {}).get("reporting_currency", "USD"),
        "small_group": int(s.get("small_group", 5)),
        "small_sample": int(s.get("small_sample", 10)),
        "hours_per_year": float(s.get("hours_per_year", 2080)),
        "aging_rate": float(s.get("aging_rate", 0.03)),
        "age_to": age_to,
        "show_individuals_to": [str(r).lower() for r in s.get("show_individuals_to", ["admin"])],
        "title_map": str(s.get("title_map", "config/title_map.toml")),
    }


def title_map_path(cfg: dict, store_root: Path | str | None = None) -> Path:
    """Where the title map lives: absolute as given; relative = the store's directory, else the repo."""
    p = Path(cfg.get("salaries", {}).get("title_map") or DEFAULT_TITLE_MAP)
    if p.is_absolute():
        return p
    if store_root is not None and (Path(store_root) / p).exists():
        return Path(store_root) / p
    return ROOT / p


def load_title_map(path: Path | str | None = None) -> TitleMap:
    """Read and check the title map. A broken entry is skipped and reported, never fatal."""
    path = Path(path) if path else DEFAULT_TITLE_MAP
    tm = TitleMap(path=path)
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except FileNotFoundError:
        tm.problems.append(f"{path}: the title map does not exist; no title is mapped to a role.")
        return tm
    except tomllib.TOMLDecodeError as exc:
        tm.problems.append(f"{path}: not valid TOML ({exc}); no title is mapped to a role.")
        return tm
    roles = raw.get("roles", {})
    if not isinstance(roles, dict):
        tm.problems.append(f"{path}: [roles] must be a table of roles.")
        roles = {}
    rule_order = 0
    for role, spec in roles.items():
        if not isinstance(spec, dict):
            tm.problems.append(f"{path}: roles.{role} must be a table; skipped.")
            continue
        tm.roles.append(role)
        tm.also_known_as[role] = [str(t) for t in spec.get("also_known_as", [])]
        for title in spec.get("titles", []):
            k = _key(title)
            if k in tm.titles and tm.titles[k] != role:
                tm.problems.append(f"{path}: title '{title}' is listed under '{tm.titles[k]}' and "
                                   f"'{role}'; the first ('{tm.titles[k]}') is used.")
                continue
            tm.titles[k] = role
            tm.spelling[k] = str(title).strip()
        for i, rule in enumerate(spec.get("benchmarks", []), start=1):
            unknown = set(rule) - {*RULE_FIELDS, "place"}
            if unknown:
                tm.problems.append(f"{path}: roles.{role} benchmark rule {i} has unknown keys "
                                   f"{', '.join(sorted(unknown))} (allowed: {', '.join(RULE_FIELDS)}, "
                                   "place); skipped.")
                continue
            if not any(rule.get(f) for f in RULE_FIELDS):
                tm.problems.append(f"{path}: roles.{role} benchmark rule {i} has no condition and would "
                                   "match every benchmark row; skipped.")
                continue
            rule_order += 1
            tm.rules.append({"benchmark_role": role, "rule_order": rule_order,
                             **{f: (str(rule[f]).strip() if rule.get(f) else None) for f in RULE_FIELDS},
                             "place": bool(rule.get("place", True))})
    for canonical, spellings in raw.get("countries", {}).items():
        for s in [canonical, *spellings]:
            tm.countries[_key(s)] = canonical
    for city, loc in raw.get("locations", {}).items():
        if not isinstance(loc, dict):
            tm.problems.append(f"{path}: locations.{city} must be a table; skipped.")
            continue
        tm.locations[city] = {k: loc.get(k) for k in ("country", "state", "metro")}
    return tm


def sql_tables(cfg: dict, store_root: Path | str | None = None,
               today: date | None = None) -> dict[str, pl.DataFrame]:
    """The tables `queries/views/salary_*.sql` read, created once per connection by `pmo.db`."""
    s = settings(cfg, today)
    path = title_map_path(cfg, store_root)
    tm = load_title_map(path)
    countries = tm.countries
    rows = {
        "settings_salaries": [{**{k: s[k] for k in ("reporting_currency", "small_group", "small_sample",
                                                    "hours_per_year", "aging_rate", "age_to")},
                               "title_map": str(path)}],
        "salary_roles": [{"benchmark_role": r, "role_order": i} for i, r in enumerate(tm.roles, 1)],
        "title_map": [{"job_title": tm.spelling[k], "title_key": k, "benchmark_role": r}
                      for k, r in tm.titles.items()],
        "salary_role_sources": tm.rules,
        "salary_locations": [
            {"city": c, "city_key": _key(c),
             "country": countries.get(_key(v["country"]), v["country"]) if v["country"] else None,
             "state": v["state"], "metro": v["metro"]} for c, v in tm.locations.items()],
        "salary_countries": [{"alias_key": k, "country": v} for k, v in countries.items()],
    }
    return {name: pl.DataFrame(rows[name], schema=SCHEMAS[name]) for name in SCHEMAS}


# ------------------------------------------------------------------------------------------------
# Unmapped titles
# ------------------------------------------------------------------------------------------------

def suggest_roles(title: str, tm: TitleMap, n: int = 3, cutoff: float = 0.6) -> list[str]:
    """Roles whose name, mapped titles or `also_known_as` titles are closest to `title`."""
    candidates: dict[str, str] = {}
    for role in tm.roles:
        for name in (role, *tm.also_known_as.get(role, [])):
            candidates.setdefault(_key(name), role)
    for t, role in tm.titles.items():
        candidates.setdefault(t, role)
    out: list[str] = []
    for match in difflib.get_close_matches(_key(title), list(candidates), n=len(candidates), cutoff=cutoff):
        role = candidates[match]
        if role not in out:
            out.append(role)
    return out[:n]


def unmapped_titles(titles: pl.DataFrame, tm: TitleMap) -> pl.DataFrame:
    """Add `suggested_roles` (text) to a frame of unmapped job titles (column `job_title`)."""
    sugg = [", ".join(suggest_roles(t or "", tm)) or "no close match" for t in titles["job_title"]]
    return titles.with_columns(pl.Series("suggested_roles", sugg, dtype=pl.String))


# ------------------------------------------------------------------------------------------------
# Privacy
# ------------------------------------------------------------------------------------------------

def viewer_role() -> str:
    """The viewer's role: env PMO_ROLE (default "admin" until sign-in exists)."""
    return (os.environ.get(ROLE_ENV) or DEFAULT_ROLE).strip().lower()


def may_see_individuals(s: dict, role: str | None = None) -> bool:
    """Whether `role` (default: the viewer's) may see individual salaries and names."""
    return (role or viewer_role()).lower() in s["show_individuals_to"]


def suppressed_label(small_group: int) -> str:
    return f"fewer than {small_group} people"


GROUP_COLUMNS = ("staff_count", "median_compa_ratio", "mean_compa_ratio", "median_range_position",
                 "below_p25_count", "above_p75_count", "cost_to_p25", "cost_to_p50")


def hidden_label(small_group: int) -> str:
    """The note of every suppressed group, small or hidden to protect a small one (the same words
    for both, so the note does not tell which is which)."""
    return f"suppressed (groups under {small_group} people)"


def _placed(positions: pl.DataFrame) -> pl.DataFrame:
    return positions.filter(pl.col("p50").is_not_null() & pl.col("base_salary").is_not_null())


def summarise(positions: pl.DataFrame, by: str | None, small_group: int,
              population: pl.DataFrame | None = None) -> pl.DataFrame:
    """Aggregates of placed staff per group of `by` (None = everyone), suppressed so that no
    figure of fewer than `small_group` people can be read, not even by subtraction.

    `positions` holds rows of `salary_positions` (placed staff only are counted: those with a p50).
    A suppressed group keeps its name, `suppressed = True`, a `note`, and NULL in every figure, its
    count included. Suppressed are:
    - a group of fewer than `small_group` people;
    - complementary: when the suppressed groups hold fewer than `small_group` people together, the
      smallest other groups too, until they do (the total minus the groups shown then gives an
      aggregate of at least `small_group` people, never one person);
    - with `population` (the same staff without the page's filters): a group whose people outside
      the filters number 1 to `small_group` - 1 (the unfiltered figure minus the filtered one would
      isolate them).
    """
    placed = _placed(positions)
    key = by or "_all"
    if by is None:
        placed = placed.with_columns(pl.lit("All placed staff").alias(key))
    agg = (placed.group_by(key).agg(
        pl.len().cast(pl.Int64).alias("staff_count"),
        pl.col("compa_ratio").median().alias("median_compa_ratio"),
        pl.col("compa_ratio").mean().alias("mean_compa_ratio"),
        pl.col("range_position").median().alias("median_range_position"),
        (pl.col("base_salary") < pl.col("p25")).sum().cast(pl.Int64).alias("below_p25_count"),
        (pl.col("base_salary") > pl.col("p75")).sum().cast(pl.Int64).alias("above_p75_count"),
        pl.col("cost_to_p25").sum().alias("cost_to_p25"),
        pl.col("cost_to_p50").sum().alias("cost_to_p50"),
    ).sort(key, nulls_last=True))
    hide = [n < small_group for n in agg["staff_count"].to_list()]
    if population is not None:
        everyone = _placed(population)
        if by is None:
            outside = [everyone.height - agg["staff_count"][0]] if agg.height else []
        else:
            totals = dict(everyone.group_by(by).len().iter_rows())
            outside = [totals.get(g, 0) - n for g, n in zip(agg[key].to_list(), agg["staff_count"].to_list(),
                                                             strict=True)]
        hide = [h or 0 < o < small_group for h, o in zip(hide, outside, strict=True)]
    if by is not None:
        counts = agg["staff_count"].to_list()
        # complementary suppression: the hidden groups together must hold at least small_group people
        while any(hide) and sum(c for c, h in zip(counts, hide, strict=True) if h) < small_group \
                and not all(hide):
            smallest = min((c, i) for i, (c, h) in enumerate(zip(counts, hide, strict=True)) if not h)[1]
            hide[smallest] = True
    small = pl.Series("suppressed", hide, dtype=pl.Boolean)
    out = agg.with_columns(small).with_columns(
        pl.when(pl.col("suppressed")).then(pl.lit(hidden_label(small_group))).otherwise(pl.lit("")).alias("note"),
        *[pl.when(pl.col("suppressed")).then(None).otherwise(pl.col(c)).alias(c) for c in GROUP_COLUMNS],
    )
    if by is None:
        out = out.rename({key: "group"})
    return out


# ------------------------------------------------------------------------------------------------
# Market bands for display
# ------------------------------------------------------------------------------------------------

PERCENTILES = ("p10", "p25", "p50", "p75", "p90")


def label_bands(bands: pl.DataFrame) -> pl.DataFrame:
    """Add `label` (where · what · source) and `where` to rows of the `salary_bands` query.

    `where` is the company for company figures, else the area (states say so), else the country.
    `what` is the SOC code for occupation rows, else the benchmark's own title.
    """
    where = (pl.when(pl.col("company").is_not_null()).then(pl.col("company"))
             .when(pl.col("area_kind") == "state").then(pl.col("area") + pl.lit(" (state)"))
             .when(pl.col("area").is_not_null()).then(pl.col("area"))
             .otherwise(pl.col("country").fill_null("country not given")))
    what = (pl.when(pl.col("soc_code").is_not_null()).then(pl.lit("SOC ") + pl.col("soc_code"))
            .otherwise(pl.col("job_title")))
    out = bands.with_columns(where.alias("where"), what.alias("what"))
    out = out.with_columns(pl.concat_str(["where", "what", "source"], separator=" · ", ignore_nulls=True)
                           .alias("label"))
    # two rows with one label (e.g. two editions with the same source name): tell them apart
    dup = pl.col("label").is_duplicated().over("benchmark_role")
    return out.with_columns(pl.when(dup).then(pl.col("label") + pl.lit(" · ") + pl.col("reference_date")
                                              .cast(pl.String)).otherwise(pl.col("label")).alias("label"))


def headline_bands(bands: pl.DataFrame, country: str | None = None) -> pl.DataFrame:
    """One band per role for the overview: the primary source's whole-country band in `country`.

    `country` (benchmark spelling) defaults to the country with the most band rows. Among a
    role's rows there that may place staff: the first rule in title-map order, whole country
    before state / metro, the latest reference date. Roles without such a row are left out;
    benchmark titles no role uses too (they have no primary source).
    """
    if bands.is_empty():
        return bands
    if country is None:
        counts = bands.drop_nulls("country").group_by("country").len().sort(["len", "country"],
                                                                             descending=[True, False])
        country = counts["country"][0] if counts.height else None
    bands = bands.filter(pl.col("country") == country) if country else bands
    kind_rank = pl.col("area_kind").replace_strict({"national": 0, "state": 1, "metro": 2}, default=3,
                                                   return_dtype=pl.Int64)
    return (bands.filter(pl.col("is_placeable") & ~pl.col("is_unmapped_title") & pl.col("p50").is_not_null())
            .with_columns(kind_rank.alias("_kind"))
            .sort(["role_order", "rule_order", "_kind", "reference_date"], descending=[False, False, False, True])
            .group_by("benchmark_role", maintain_order=True).first()
            .drop("_kind"))


def band_notes(row: dict, hours_per_year: float, reporting_currency: str) -> str:
    """What a reader must know about one band row: basis, small sample, top-coding, conversion."""
    notes = []
    if row.get("is_annualised"):
        notes.append(f"annualised from hourly (x {hours_per_year:,.0f} h)")
    if row.get("is_small_sample"):
        n = row.get("sample_size")
        notes.append(f"small sample ({n} reports)" if n is not None else "small sample (size not given)")
    if row.get("top_coded"):
        missing = [p for p in PERCENTILES if row.get(p) is None]
        notes.append(f"{', '.join(missing)} top-coded by the publisher" if missing else "top-coded")
    if row.get("currency") and row["currency"] != reporting_currency:
        rate = row.get("fx_rate")
        notes.append(f"from {row['currency']} at {rate:.4g}" if rate else f"no FX rate for {row['currency']}")
    factor = row.get("aging_factor")
    if factor is not None and abs(factor - 1) > 1e-9:
        notes.append(f"aged x{factor:.3f}")
    if not row.get("is_placeable"):
        notes.append("context only: staff are not placed on it")
    return "; ".join(notes)
