"""Who this browser session is: the role and person `auth.gate()` resolved on this run.

Kept apart from pmo/ui/auth.py so that the data access (pmo/ui/data.py) can ask for the session's
row scope without importing the sign-in code (which itself reads settings through data.py).
"""

from __future__ import annotations

import streamlit as st

from pmo import audit
from pmo.auth import Role, Scope

ROLE_KEY = "_pmo_role"
USER_KEY = "_pmo_user"


class NotSignedIn(RuntimeError):
    """Data was asked for before the page ran `page.start()` (sign-in and role): a bug."""


def remember(user: str, role: Role) -> None:
    st.session_state[ROLE_KEY] = role
    st.session_state[USER_KEY] = user
    audit.acting.set((user, role.name))      # who ingests / rolls back / exports in this run


def forget() -> None:
    for key in (ROLE_KEY, USER_KEY):
        st.session_state.pop(key, None)
    audit.acting.set(None)


def role() -> Role | None:
    return st.session_state.get(ROLE_KEY)


def user() -> str:
    return st.session_state.get(USER_KEY) or audit.current_user()


def scope() -> Scope:
    """The rows this session's pages may show; fails closed when no role was resolved."""
    r = role()
    if r is None:
        raise NotSignedIn("the page asked for data before page.start() resolved the session's role")
    return r.scope
