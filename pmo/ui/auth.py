"""Sign-in and roles for the pages: `gate()` runs first on every page (from `page.start`).

Local mode (`[auth] required = false` in config/roles.toml, the default): no sign-in; the role is
admin, or env PMO_ROLE. Hosted mode: a person who is not signed in sees the sign-in screen
(`st.login` with the OpenID Connect provider(s) in .streamlit/secrets.toml) and nothing else; a
signed-in person gets the role roles.toml maps their e-mail / groups to, recomputed on every run
(so an edited roles.toml applies at the next click), and the sign-in is audit-logged once per
session. A page the role may not open stops with a clear message.
"""

from __future__ import annotations


import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from pmo import audit, upload_guard
from pmo import auth as rules
from pmo.auth import Role, Scope
from pmo.ui import data, safe, session
from pmo.ui.url import running_page

_SIGNED_IN_KEY = "_pmo_signed_in_logged"

ACTION_TEXT = {
    "view_data_page": "The Data page is for analysts and admins",
    "download_raw": "Raw export files are for analysts and admins",
    "run_sql": "The SQL explorer is for analysts and admins",
    "view_audit": "The audit log is for admins",
    "rollback": "Rolling back versions is for admins",
    "see_individual_salaries": "Individual salaries are not shown to your role",
}


def roles_config() -> dict:
    return rules.load(data.settings(), data.store().root)


def _auth_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:              # no secrets file at all
        return False


def gate() -> Role:
    """Sign in (or stop on the sign-in screen), resolve the role, check the page. Returns the role."""
    audit.acting.set(None)          # this thread may have run another run before
    forced = rules.rendering_as()   # `pmo report` renders a saved view as its owner (pmo/report.py)
    if forced is not None:
        user, role = forced
        session.remember(user, role)
        _check_page(role)
        return role
    try:
        cfg = roles_config()
    except rules.RolesError as exc:
        st.error(f"The roles file is not valid, so nobody can be let in: {safe.md(exc)}", icon=":material/block:")
        st.stop()
    if not cfg["required"]:
        role = rules.local_role(cfg)
        session.remember(audit.current_user(), role)
        _uploads(role)
        _check_page(role)
        return role
    if not _auth_configured():
        st.error("Sign-in is required (`[auth] required = true` in the roles file) but no OpenID Connect "
                 "provider is configured: add an `[auth]` section to `.streamlit/secrets.toml` "
                 "(see docs/deploy.md, \"Sign-in\").", icon=":material/lock:")
        st.stop()
    if not st.user.get("is_logged_in", False):
        session.forget()
        _uploads(None)
        sign_in_screen(cfg)
        st.stop()
    ident = rules.identity_from_claims(st.user.to_dict(), cfg["groups_claim"])
    role = rules.role_for(ident.email, ident.groups, cfg, email_verified=ident.email_verified)
    if role is None:
        session.forget()
        _uploads(None)
        not_authorised(ident)
        st.stop()
    session.remember(ident.label, role)
    _uploads(role)
    _log_sign_in(ident, role)
    _check_page(role)
    return role


def _uploads(role: Role | None) -> None:
    """Tell the upload endpoint's guard (server.py) whether this browser session may send files:
    only a role that may publish; checked on every run, so a sign-out or a changed role applies."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    sid = getattr(ctx, "session_id", None)
    if role is not None and rules.can(role, "ingest"):
        upload_guard.allow(sid)
    else:
        upload_guard.revoke(sid)


_logged_sign_ins: dict[tuple, None] = {}       # (user, token issued-at) already audited by this process


def _log_sign_in(ident: rules.Identity, role: Role) -> None:
    """One audit event per sign-in: a sign-in is the ID token's issue time, so reloading the page
    (a new Streamlit session with the same identity cookie) is not logged again."""
    issued = st.user.get("iat") or st.user.get("nonce")
    key = (ident.label, role.name, issued) if issued else None
    if st.session_state.get(_SIGNED_IN_KEY) == (ident.label, role.name) or (key and key in _logged_sign_ins):
        st.session_state[_SIGNED_IN_KEY] = (ident.label, role.name)
        return
    st.session_state[_SIGNED_IN_KEY] = (ident.label, role.name)
    if key:
        _logged_sign_ins[key] = None
        while len(_logged_sign_ins) > 10_000:
            _logged_sign_ins.pop(next(iter(_logged_sign_ins)))
    try:
        audit.log(data.store().root, ident.label, "sign_in",
                  {"name": ident.name, "groups": list(ident.groups), "scope": role.scope.describe()},
                  role=role.name)
    except OSError as exc:        # a read-only store: sign-in still works, the server log says why
        import logging

        logging.getLogger("pmo.audit").warning("sign-in of %s not audited: %s", ident.label, exc)


def current_role() -> Role:
    """The role of this session (resolved by `gate`, which every page runs first)."""
    role = session.role()
    if role is None:
        role = gate()
    return role


def current_user() -> str:
    return session.user()


def current_scope() -> Scope:
    """Rows the pages may show this session."""
    return current_role().scope


def sql_scope() -> Scope:
    """Rows user SQL may read this session (no salary rows unless the role may see individuals)."""
    return current_role().sql_scope()


def can(action: str) -> bool:
    return rules.can(current_role(), action)


def require(action: str) -> Role:
    """Stop the page with a clear message unless the role may take `action`."""
    role = current_role()
    if not rules.can(role, action):
        who = ("You are signed in as" if st.user.get("is_logged_in", False)
               else "Local mode (env PMO_ROLE): you are")
        st.error(f"{ACTION_TEXT.get(action, 'This is not available to your role')}. {who} "
                 f"**{safe.md(current_user())}** with the role **{safe.md(role.name)}**; ask an admin if you need it.",
                 icon=":material/block:")
        try:
            st.page_link("dashboard.py", label="Back to the home page", icon=":material/home:")
        except StreamlitPageNotFoundError:
            pass                  # a page run on its own (AppTest) knows no other pages
        st.stop()
    return role


def may_open(page_path: str) -> bool:
    """Whether the menu should offer a page (`pages/<file>.py`) to this session."""
    return rules.can(current_role(), rules.page_action(page_path))


def _check_page(role: Role) -> None:
    action = rules.page_action(running_page())
    if not rules.can(role, action):
        require(action)


# ---- screens ---------------------------------------------------------------------------------
def sign_in_screen(cfg: dict) -> None:
    st.title("PMO dashboard", anchor=False)
    with st.container(border=True, width=520):
        st.subheader("Sign in", anchor=False)
        st.write("Budgets, forecasts and salaries are shown only to signed-in colleagues, each "
                 "with what their role may see.")
        for provider in cfg["providers"]:
            label = f"Sign in with {provider.title()}" if provider else "Sign in with your organisation account"
            if st.button(label, key=f"sign_in_{provider or 'default'}", type="primary",
                         icon=":material/login:", width="stretch"):
                st.login(provider or None)
        st.caption("You are sent to your organisation's sign-in page and back here. Nothing is "
                   "shown before you sign in.")


def not_authorised(ident: rules.Identity) -> None:
    st.title("PMO dashboard", anchor=False)
    st.error(f"**{safe.md(ident.label)}** is signed in but has no role in this dashboard. Ask an admin to add "
             "you (roles.toml: [users], [groups] or [domains]).", icon=":material/block:")
    if st.button("Sign out", icon=":material/logout:"):
        st.logout()


def sidebar_user() -> None:
    """Who is signed in, their role and scope, and the sign-out button (hosted mode only)."""
    role = session.role()
    if role is None:
        return
    scope = role.scope.describe()
    # names from the identity provider and roles.toml, shown as written
    name, scope_text = safe.md(role.name), safe.md(scope)
    if not st.user.get("is_logged_in", False):
        st.caption(f"Local mode · role **{name}**" + ("" if scope == "all data" else f" · {scope_text}"))
        return
    st.caption(f"Signed in as **{safe.md(current_user())}** · role **{name}**"
               + ("" if scope == "all data" else f" · sees {scope_text}"))
    if st.button("Sign out", icon=":material/logout:", key="pmo_sign_out"):
        st.logout()
