"""Roles: mapping e-mails, groups and domains to roles; row scopes; what each role may do."""

from __future__ import annotations

import pytest

from pmo import auth

ROLES_TOML = {
    "auth": {"required": True, "default_role": "viewer", "groups_claim": "groups"},
    "roles": {
        "finance-viewer": {"level": "viewer", "portfolios": ["Finance Transformation"],
                           "departments": ["Finance", "PMO - Finance Transformation"]},
        "people-viewer": {"level": "viewer", "portfolios": ["People & Workplace"]},
        "digital-analyst": {"level": "analyst", "portfolios": ["Digital Channels"]},
    },
    "users": {"CIO@Example.com": "admin", "fin@example.com": "finance-viewer"},
    "groups": {"pmo-analysts": "analyst", "finance-leads": "finance-viewer", "people-leads": "people-viewer",
               "digital": "digital-analyst"},
    "domains": {"example.com": "viewer", "contractors.example.com": "people-viewer"},
}


@pytest.fixture()
def cfg():
    return auth.parse(ROLES_TOML, show_individuals_to=["admin", "analyst"])


def test_email_match_wins_over_groups_and_is_case_insensitive(cfg):
    role = auth.role_for("cio@EXAMPLE.com", ["pmo-analysts"], cfg)
    assert (role.name, role.level, role.scope) == ("admin", "admin", auth.ALL)


def test_group_gives_role_when_email_not_listed(cfg):
    role = auth.role_for("ana@example.com", ["pmo-analysts", "unrelated"], cfg)
    assert (role.name, role.level) == ("analyst", "analyst")


def test_groups_as_comma_separated_text(cfg):
    assert auth.role_for("ana@example.com", "x, pmo-analysts", cfg).level == "analyst"


def test_highest_level_wins_among_groups(cfg):
    role = auth.role_for("x@other.org", ["finance-leads", "pmo-analysts"], cfg)
    assert (role.name, role.level, role.portfolios) == ("analyst", "analyst", None)


def test_scoped_roles_at_the_same_level_add_up(cfg):
    role = auth.role_for("x@other.org", ["finance-leads", "people-leads"], cfg)
    assert role.level == "viewer"
    assert role.portfolios == ("Finance Transformation", "People & Workplace")
    # people-viewer has no department limit, finance-viewer has: the union keeps finance's list
    assert role.departments == ("Finance", "PMO - Finance Transformation")


def test_scoped_and_unscoped_role_at_one_level_means_no_limit(cfg):
    role = auth.role_for("x@other.org", ["digital", "pmo-analysts"], cfg)
    assert role.scope == auth.ALL


def test_domain_then_most_specific_subdomain(cfg):
    assert auth.role_for("bob@example.com", [], cfg).name == "viewer"
    role = auth.role_for("tim@contractors.example.com", [], cfg)
    assert (role.name, role.portfolios) == ("people-viewer", ("People & Workplace",))
    assert auth.role_for("eve@emea.example.com", [], cfg).name == "viewer"


def test_unlisted_user_gets_default_role_or_none(cfg):
    assert auth.role_for("stranger@other.org", [], cfg).name == "viewer"
    strict = auth.parse({**ROLES_TOML, "auth": {"default_role": ""}})
    assert auth.role_for("stranger@other.org", [], strict) is None


def test_unverified_email_is_not_trusted_for_users_or_domains(cfg):
    assert auth.role_for("cio@example.com", [], cfg, email_verified=False).name == "viewer"  # default
    strict = auth.parse({**ROLES_TOML, "auth": {"default_role": ""}})
    assert auth.role_for("cio@example.com", [], strict, email_verified=False) is None
    assert auth.role_for("cio@example.com", ["pmo-analysts"], strict, email_verified=False).level == "analyst"


def test_actions_per_level(cfg):
    viewer = auth.role_for("bob@example.com", [], cfg)
    analyst = auth.role_for("a@x.org", ["pmo-analysts"], cfg)
    admin = auth.role_for("cio@example.com", [], cfg)
    for action in ("view_data_page", "download_raw", "run_sql", "view_audit", "rollback", "see_individual_salaries"):
        assert not auth.can(viewer, action), action
    assert auth.can(viewer, "view_pages") and auth.can(viewer, "export")
    assert all(auth.can(analyst, a) for a in ("view_data_page", "download_raw", "run_sql", "ingest"))
    assert not auth.can(analyst, "view_audit") and not auth.can(analyst, "rollback")
    assert all(auth.can(admin, a) for a in auth.ALL_ACTIONS)
    assert not auth.can(None, "view_pages")
    with pytest.raises(ValueError):
        auth.can(admin, "fly")


def test_individual_salaries_follow_show_individuals_to_by_name_or_level():
    only_admin = auth.parse(ROLES_TOML, show_individuals_to=["admin"])
    assert not auth.can(auth.role_for("a@x.org", ["pmo-analysts"], only_admin), "see_individual_salaries")
    assert auth.can(auth.role_for("cio@example.com", [], only_admin), "see_individual_salaries")
    by_name = auth.parse(ROLES_TOML, show_individuals_to=["finance-viewer"])
    assert auth.can(auth.role_for("fin@example.com", [], by_name), "see_individual_salaries")
    assert not auth.can(auth.role_for("bob@example.com", [], by_name), "see_individual_salaries")


def test_sql_scope_hides_salaries_when_individuals_not_allowed():
    only_admin = auth.parse(ROLES_TOML, show_individuals_to=["admin"])
    analyst = auth.role_for("a@x.org", ["pmo-analysts"], only_admin)
    assert analyst.scope == auth.ALL and not analyst.scope.restricted
    assert analyst.sql_scope().hide_salaries and analyst.sql_scope().restricted
    admin = auth.role_for("cio@example.com", [], only_admin)
    assert not admin.sql_scope().restricted


def test_page_actions():
    assert auth.page_action("pages/4_Data.py") == "view_data_page"
    assert auth.page_action("/x/pages/5_SQL_Explorer.py") == "run_sql"
    assert auth.page_action("pages/7_Audit.py") == "view_audit"
    assert auth.page_action("dashboard.py") == "view_pages"


@pytest.mark.parametrize("bad, words", [
    ({"roles": {"x": {"level": "boss"}}}, "level 'boss'"),
    ({"groups": {"g": "nobody"}}, "no role 'nobody'"),
    ({"auth": {"default_role": "ghost"}}, "default_role 'ghost'"),
    ({"roles": {"x": {"level": "viewer", "portfolios": "Finance"}}}, "must be a list"),
])
def test_config_errors_name_the_key(bad, words):
    with pytest.raises(auth.RolesError, match=words):
        auth.parse(bad)


def test_local_mode_is_admin_or_pmo_role(monkeypatch):
    cfg = auth.parse({})
    assert cfg["required"] is False and cfg["providers"] == ("",)
    monkeypatch.delenv("PMO_ROLE", raising=False)
    assert auth.local_role(cfg).level == "admin"
    monkeypatch.setenv("PMO_ROLE", "Viewer")
    assert auth.local_role(cfg).name == "viewer"
    monkeypatch.setenv("PMO_ROLE", "typo")          # unknown: the least privileged, not admin
    assert auth.local_role(cfg).level == "viewer"


def test_shipped_roles_file_parses_and_is_local_mode():
    from pmo import config

    cfg = auth.load(config.load())
    assert cfg["required"] is False
    assert set(cfg["roles"]) >= {"viewer", "analyst", "admin"}


def test_roles_file_in_the_store_wins(tmp_path):
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "roles.toml").write_text('[auth]\nrequired = true\n[users]\n"a@b.c" = "admin"\n')
    from pmo import config

    cfg = auth.load(config.load(tmp_path), tmp_path)
    assert cfg["required"] is True and cfg["users"] == {"a@b.c": "admin"}


def test_identity_from_claims():
    ident = auth.identity_from_claims({"preferred_username": "Ana@Corp.com", "name": "Ana",
                                       "groups": ["g1", "g2"], "email_verified": "false"})
    assert (ident.email, ident.groups, ident.email_verified) == ("Ana@Corp.com", ("g1", "g2"), False)
    assert auth.identity_from_claims({"sub": "x", "roles": "a,b"}, "roles").groups == ("a", "b")


# ---- the gate on real pages (AppTest: st.user is seeded, no provider involved) -----------------
@pytest.fixture()
def hosted(sample_store_copy, tmp_path, monkeypatch):
    from conftest import ROOT

    roles = tmp_path / "roles.toml"
    roles.write_text('[auth]\nrequired = true\ndefault_role = ""\n[users]\n"vera@example.com" = "viewer"\n'
                     '[roles.fin]\nlevel = "analyst"\nportfolios = ["Finance Transformation"]\n'
                     '[groups]\n"fin-analysts" = "fin"\n')
    monkeypatch.setenv("PMO_DATA_DIR", str(sample_store_copy))   # sign-ins are audited there
    monkeypatch.setenv("PMO_ROLES_FILE", str(roles))
    monkeypatch.delenv("PMO_ROLE", raising=False)
    monkeypatch.chdir(ROOT)
    return ROOT


def app(root, page: str, user: dict | None, secrets: bool = True):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(root / page), default_timeout=60)
    if secrets:
        at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x",
                              "client_id": "c", "client_secret": "s",
                              "server_metadata_url": "http://localhost:9/.well-known/openid-configuration"}
    at.user = user if user is not None else {"is_logged_in": False}
    return at.run()


def test_gate_without_provider_config_says_what_to_do(hosted):
    at = app(hosted, "dashboard.py", None, secrets=False)
    assert not at.exception
    assert "no OpenID Connect provider is configured" in at.error[0].value
    assert not at.metric


def test_gate_shows_only_the_sign_in_screen(hosted):
    at = app(hosted, "pages/2_Budget_Variance.py", None)
    assert not at.exception and not at.metric
    assert [b.label for b in at.button] == ["Sign in with your organisation account"]


def test_gate_unlisted_user_is_refused(hosted):
    at = app(hosted, "dashboard.py", {"is_logged_in": True, "email": "stranger@other.org"})
    assert "has no role in this dashboard" in at.error[0].value and not at.metric


def test_gate_viewer_is_kept_off_the_data_page(hosted):
    user = {"is_logged_in": True, "email": "vera@example.com", "email_verified": True}
    assert app(hosted, "dashboard.py", user).metric            # the home page shows
    at = app(hosted, "pages/4_Data.py", user)
    assert not at.exception
    assert at.error[0].value.startswith("The Data page is for analysts and admins. You are signed in as "
                                        "**vera@example\\.com** with the role **viewer**")   # the e-mail escaped


def test_gate_scoped_analyst_sees_only_their_portfolio(hosted, sample_store_dir, sample_con):
    from pmo import query
    from pmo.store import Store

    user = {"is_logged_in": True, "email": "fin@example.com", "groups": ["fin-analysts"]}
    at = app(hosted, "dashboard.py", user)
    assert not at.exception
    scoped = query.connect(Store(sample_store_dir), scope=auth.Scope(portfolios=("Finance Transformation",))).con
    every = dict.fromkeys(("portfolio", "program", "department", "manager", "stage", "as_of"))
    mine = query.run(scoped, "portfolio_health_kpis", **every).row(0, named=True)
    everyone = query.run(sample_con, "portfolio_health_kpis", **every).row(0, named=True)
    shown = {m.label: m.value for m in at.metric}
    assert scoped.execute("select count(*) from projects").fetchone()[0] == 10
    assert mine["active_projects"] < everyone["active_projects"]
    assert shown["Active projects"] == f"{mine['active_projects']:,}"       # only Finance Transformation's
    assert "role **fin**" in " ".join(c.value for c in at.sidebar.caption)
