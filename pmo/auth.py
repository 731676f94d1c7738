"""Who may see what: roles from `config/roles.toml`, the actions each role may take, row scopes.

Pure functions (no Streamlit): `pmo/ui/auth.py` signs people in with `st.login` and asks this
module what the signed-in identity may do.

- A **level** is one of viewer < analyst < admin and decides the actions (`ACTIONS`).
- A **role** is a named level, optionally limited to some portfolios and/or departments (its
  row scope). The three levels are roles of their own; `[roles.<name>]` in roles.toml adds more.
- **Mapping** (first tier that matches wins): the e-mail address (`[users]`), then the groups
  claim of the ID token (`[groups]`), then the e-mail domain (`[domains]`), then `default_role`.
  Several matches in one tier: the highest level wins, and the row scopes of the roles at that
  level are merged (a user in two scoped viewer groups sees both scopes).
- An e-mail the provider marks unverified (`email_verified = false`) is not used for `[users]`
  or `[domains]`: only groups and the default role apply.
- `[auth] required = false` (the default) is local single-user mode: no sign-in, everyone is
  admin, or the role named by env `PMO_ROLE` to preview what a role sees.

The full reference is docs/security.md.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pmo import config

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ROLES_FILE = "config/roles.toml"
ROLE_ENV = "PMO_ROLE"

LEVELS = ("viewer", "analyst", "admin")

# action -> the lowest level allowed to take it. "see_individual_salaries" is not here: it is
# decided by [salaries] show_individuals_to (role names or levels), see `role_for`.
ACTIONS: dict[str, str] = {
    "view_pages": "viewer",            # Home, Portfolio health, Project, Budget variance, Salary (aggregates)
    "export": "viewer",                # download the tables a page shows (within the role's scope)
    "view_data_page": "analyst",       # the Data page: upload, preview, history, quality report
    "download_raw": "analyst",         # the kept raw export files (Data page history)
    "ingest": "analyst",               # publish new files (Data page, drop folder)
    "run_sql": "analyst",              # the SQL explorer
    "rollback": "admin",               # roll back, remove an ingest, rebuild
    "view_audit": "admin",             # the audit log
}
ALL_ACTIONS = (*ACTIONS, "see_individual_salaries")

# Pages a role must be allowed to open (file name -> action); every other page is "view_pages".
PAGE_ACTIONS = {"4_Data.py": "view_data_page", "5_SQL_Explorer.py": "run_sql", "7_Audit.py": "view_audit"}


class RolesError(Exception):
    """roles.toml is wrong; the message names the key and what to write instead."""


# What a scoped role sees in place of another project's id it may not see (pmo/query/scope.py)
HIDDEN_PROJECT = "(outside your scope)"


@dataclass(frozen=True)
class Scope:
    """Rows a role may see. None = no limit; a tuple = only these values (matched exactly).

    `portfolios` / `departments` limit `projects` (its portfolio and department) and everything
    keyed by project (status_snapshots, tasks, risks, financials and every view built on them).
    `departments` also limits `salaries` (the HR department); a scope without departments shows
    no own-staff salary rows. `hide_salaries` empties `salaries` (for user SQL when the role may
    not see individual salaries).
    """

    portfolios: tuple[str, ...] | None = None
    departments: tuple[str, ...] | None = None
    hide_salaries: bool = False

    @property
    def restricted(self) -> bool:
        return self.portfolios is not None or self.departments is not None or self.hide_salaries

    def describe(self) -> str:
        parts = []
        if self.portfolios is not None:
            parts.append("portfolios " + (", ".join(self.portfolios) or "(none)"))
        if self.departments is not None:
            parts.append("departments " + (", ".join(self.departments) or "(none)"))
        if self.hide_salaries:
            parts.append("no individual salaries")
        return "; ".join(parts) if parts else "all data"


ALL = Scope()


@dataclass(frozen=True)
class Role:
    name: str
    level: str = "viewer"
    portfolios: tuple[str, ...] | None = None
    departments: tuple[str, ...] | None = None
    actions: frozenset[str] = field(default_factory=frozenset)

    @property
    def scope(self) -> Scope:
        return Scope(self.portfolios, self.departments)

    def sql_scope(self) -> Scope:
        """The scope for user SQL: as `scope`, and no salary rows unless the role may see them."""
        return Scope(self.portfolios, self.departments,
                     hide_salaries="see_individual_salaries" not in self.actions)


@dataclass(frozen=True)
class Identity:
    """What the sign-in gives: the claims of the ID token that matter here."""

    email: str | None = None
    groups: tuple[str, ...] = ()
    name: str | None = None
    email_verified: bool | None = None

    @property
    def label(self) -> str:
        return self.email or self.name or "unknown"


# ---- loading the roles file ------------------------------------------------------------------
def roles_path(cfg: dict, store_root: Path | str | None = None) -> Path:
    """`[auth] roles_file` (env PMO_ROLES_FILE first): absolute as given; relative = the store's
    directory if the file is there, else the repository."""
    name = os.environ.get("PMO_ROLES_FILE") or cfg.get("auth", {}).get("roles_file") or DEFAULT_ROLES_FILE
    p = Path(name)
    if p.is_absolute():
        return p
    if store_root is not None and (Path(store_root) / p).exists():
        return Path(store_root) / p
    return ROOT / p


def load(cfg: dict, store_root: Path | str | None = None) -> dict:
    """The roles configuration, validated, with defaults filled in."""
    path = roles_path(cfg, store_root)
    raw = config.read_toml(path) if path.exists() else {}
    return parse(raw, show_individuals_to=cfg.get("salaries", {}).get("show_individuals_to", ["admin"]),
                 where=str(path))


def parse(raw: dict, *, show_individuals_to=("admin",), where: str = "roles.toml") -> dict:
    auth = raw.get("auth", {})
    roles: dict[str, dict] = {lvl: {"level": lvl, "portfolios": None, "departments": None} for lvl in LEVELS}
    for name, spec in raw.get("roles", {}).items():
        if not isinstance(spec, dict):
            raise RolesError(f"{where}: [roles.{name}] must be a table with level = \"viewer\" | "
                             "\"analyst\" | \"admin\" and optional portfolios / departments lists.")
        level = str(spec.get("level", name if name in LEVELS else "")).lower()
        if level not in LEVELS:
            raise RolesError(f"{where}: [roles.{name}] level '{spec.get('level')}' is not one of "
                             f"{', '.join(LEVELS)}.")
        roles[name] = {"level": level, "portfolios": _names(spec, "portfolios", name, where),
                       "departments": _names(spec, "departments", name, where)}
    out = {
        "required": bool(auth.get("required", False)),
        "providers": _providers(auth),
        "default_role": str(auth.get("default_role", "viewer")),
        "groups_claim": str(auth.get("groups_claim", "groups")),
        "roles": roles,
        "users": {k.strip().lower(): v for k, v in raw.get("users", {}).items()},
        "groups": {k.strip(): v for k, v in raw.get("groups", {}).items()},
        "domains": {k.strip().lower().lstrip("@"): v for k, v in raw.get("domains", {}).items()},
        "show_individuals_to": tuple(str(r).lower() for r in show_individuals_to),
    }
    for table in ("users", "groups", "domains"):
        for key, role in out[table].items():
            if role not in roles:
                raise RolesError(f"{where}: [{table}] '{key}' = '{role}', but there is no role '{role}' "
                                 f"(known: {', '.join(roles)}); add [roles.{role}] or use one of those.")
    if out["default_role"] and out["default_role"] not in roles:
        raise RolesError(f"{where}: [auth] default_role '{out['default_role']}' is not a role "
                         f"(known: {', '.join(roles)}); use \"\" to refuse unlisted users.")
    return out


def _names(spec: dict, key: str, role: str, where: str) -> tuple[str, ...] | None:
    value = spec.get(key)
    if value is None:
        return None
    if isinstance(value, str) or not all(isinstance(v, str) for v in value):
        raise RolesError(f"{where}: [roles.{role}] {key} must be a list of names, e.g. {key} = [\"Finance\"].")
    return tuple(value)


def _providers(auth: dict) -> tuple[str, ...]:
    value = auth.get("providers", auth.get("provider", ""))
    names = [value] if isinstance(value, str) else list(value)
    return tuple(n for n in names if n) or ("",)      # "" = the unnamed [auth] provider in secrets


# ---- resolving a role ------------------------------------------------------------------------
# (user, role) a headless render acts as: set only by `pmo report` (pmo/report.py) in its own
# process while it runs a saved view's page as the view's owner; never set by the server.
_rendering_as: tuple[str, Role] | None = None


@contextmanager
def render_as(user: str, role: Role):
    """Run pages (AppTest, in this process) as `user` with `role`, whatever the sign-in mode."""
    global _rendering_as
    _rendering_as = (user, role)
    try:
        yield
    finally:
        _rendering_as = None


def rendering_as() -> tuple[str, Role] | None:
    return _rendering_as


def local_role(cfg_roles: dict) -> Role:
    """Local mode (no sign-in): admin, or env PMO_ROLE to preview a role."""
    name = (os.environ.get(ROLE_ENV) or "admin").strip()
    if name not in cfg_roles["roles"]:
        # an unknown name previews the least privileged role rather than granting admin
        name = name.lower() if name.lower() in cfg_roles["roles"] else "viewer"
    return _build(cfg_roles, [name], name)


def role_for(email: str | None, groups, cfg_roles: dict, *, email_verified: bool | None = None) -> Role | None:
    """The role of a signed-in identity; None when nothing matches and there is no default role."""
    groups = _group_list(groups)
    mail = (email or "").strip().lower()
    trusted = bool(mail) and email_verified is not False
    tiers = [
        [cfg_roles["users"][mail]] if trusted and mail in cfg_roles["users"] else [],
        [cfg_roles["groups"][g] for g in groups if g in cfg_roles["groups"]],
        _domain_roles(mail, cfg_roles) if trusted else [],
        [cfg_roles["default_role"]] if cfg_roles["default_role"] else [],
    ]
    for names in tiers:
        if names:
            return _build(cfg_roles, names)
    return None


def _group_list(groups) -> list[str]:
    if groups is None:
        return []
    if isinstance(groups, str):
        return [g.strip() for g in groups.split(",") if g.strip()]
    return [str(g).strip() for g in groups if str(g).strip()]


def _domain_roles(mail: str, cfg_roles: dict) -> list[str]:
    if "@" not in mail:
        return []
    domain = mail.rsplit("@", 1)[1]
    # the most specific configured domain: "finance.example.com" before "example.com"
    for candidate in sorted(cfg_roles["domains"], key=len, reverse=True):
        if domain == candidate or domain.endswith("." + candidate):
            return [cfg_roles["domains"][candidate]]
    return []


def _build(cfg_roles: dict, names: list[str], label: str | None = None) -> Role:
    specs = {n: cfg_roles["roles"][n] for n in dict.fromkeys(names)}
    top = max(LEVELS.index(s["level"]) for s in specs.values())
    winners = {n: s for n, s in specs.items() if LEVELS.index(s["level"]) == top}
    level = LEVELS[top]
    portfolios = _union([s["portfolios"] for s in winners.values()])
    departments = _union([s["departments"] for s in winners.values()])
    if any(s["portfolios"] is None and s["departments"] is None for s in winners.values()):
        portfolios = departments = None        # one unscoped role at the top level: no limit
    name = label or "+".join(winners)
    actions = {a for a, lowest in ACTIONS.items() if LEVELS.index(lowest) <= top}
    shown = cfg_roles["show_individuals_to"]
    if any(n.lower() in shown for n in winners) or level in shown:
        actions.add("see_individual_salaries")
    return Role(name, level, portfolios, departments, frozenset(actions))


def _union(lists: list[tuple[str, ...] | None]) -> tuple[str, ...] | None:
    given = [x for x in lists if x is not None]
    if not given:
        return None
    return tuple(dict.fromkeys(v for x in given for v in x))


def can(role: Role | None, action: str) -> bool:
    if action not in ALL_ACTIONS:
        raise ValueError(f"unknown action '{action}' (known: {', '.join(ALL_ACTIONS)})")
    return role is not None and action in role.actions


def page_action(script_path: str | Path) -> str:
    """The action needed to open a page file."""
    return PAGE_ACTIONS.get(Path(script_path).name, "view_pages")


def identity_from_claims(claims: dict, groups_claim: str = "groups") -> Identity:
    """The parts of `st.user` (the ID token's claims) that decide the role.

    The e-mail is `email`, else `preferred_username` / `upn` when it looks like an address
    (Entra ID puts the sign-in name there when no mail attribute is set)."""
    email = claims.get("email")
    if not email:
        for key in ("preferred_username", "upn"):
            if "@" in str(claims.get(key) or ""):
                email = claims[key]
                break
    verified = claims.get("email_verified")
    if isinstance(verified, str):
        verified = verified.lower() == "true"
    return Identity(email=str(email).strip() if email else None,
                    groups=tuple(_group_list(claims.get(groups_claim))),
                    name=claims.get("name"), email_verified=verified)
