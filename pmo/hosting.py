"""What `pmo serve` checks before it starts, and the headers every response carries.

No Streamlit here: `pmo serve` (pmo/cli.py) and server.py call these.

- `start_problems`: with sign-in required (`[auth] required = true` in the roles file), the
  cookie secret that signs the identity cookie (`[auth] cookie_secret` in .streamlit/secrets.toml)
  must be there and strong, and so must `STREAMLIT_SERVER_COOKIE_SECRET` when it is set (it signs
  the XSRF cookie); each problem names the setting.
- `SECURITY_HEADERS`: no framing by other sites (X-Frame-Options and CSP frame-ancestors) and a
  Content-Security-Policy that lets the page load only its own scripts, styles, fonts and images
  (so an image URL that slipped into the page from data is not fetched from an outside server).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIN_SECRET_CHARS = 32
MIN_DISTINCT_CHARS = 10
# Secrets from our docs and from common examples: never accepted
PLACEHOLDERS = ("change", "example", "placeholder", "secret-here", "your-secret", "xxxxxxxx", "<64 random",
                "token_hex", "replace-me", "replaceme", "default")

CSP = "; ".join([
    "default-src 'self'",
    # Streamlit's front end: its own bundles, inline bootstrap and Vega's expression compiler;
    # blob: for our own st.components.v2 code (pmo/ui/copy_link.py), which Streamlit loads as a
    # module from a blob URL made in the page (no capability beyond 'unsafe-inline')
    "script-src 'self' 'unsafe-inline' 'unsafe-eval' blob:",
    "style-src 'self' 'unsafe-inline'",
    # Streamlit draws a page icon given as ":material/...:" from Google's icon font server: the
    # one outside source allowed, for images only
    "img-src 'self' data: blob: https://fonts.gstatic.com",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "frame-src 'self'",
    "media-src 'self' data: blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
])

SECURITY_HEADERS = {
    "X-Frame-Options": "SAMEORIGIN",
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def secrets_files(cwd: Path | None = None) -> list[Path]:
    """Where Streamlit reads secrets.toml (later files win): the service user's, then the
    working directory's (`pmo serve` runs in the repository)."""
    return [Path.home() / ".streamlit" / "secrets.toml", (cwd or ROOT) / ".streamlit" / "secrets.toml"]


def read_secrets(files: list[Path] | None = None) -> tuple[dict, list[str]]:
    """The merged secrets (top-level sections, later files win) and problems reading them."""
    merged: dict = {}
    problems: list[str] = []
    for path in files if files is not None else secrets_files():
        if not path.is_file():
            continue
        try:
            with path.open("rb") as fh:
                data = tomllib.load(fh)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            problems.append(f"{path} cannot be read ({exc}); fix the file.")
            continue
        merged.update(data)
    return merged, problems


def weakness(secret: str) -> str | None:
    """Why `secret` is too weak to sign cookies, or None."""
    s = str(secret)
    if len(s) < MIN_SECRET_CHARS:
        return f"it is {len(s)} characters long; use at least {MIN_SECRET_CHARS} random characters"
    if len(set(s)) < MIN_DISTINCT_CHARS:
        return "it repeats a few characters; use random characters"
    low = s.lower()
    for word in PLACEHOLDERS:
        if word in low:
            return f"it looks like a placeholder (contains '{word}')"
    return None


GENERATE = "python -c 'import secrets; print(secrets.token_hex(32))'"


def start_problems(cfg_roles: dict, secrets: dict, env: dict | None = None) -> list[str]:
    """Why a server with these roles and secrets must not start (empty: fine). Each problem names
    the setting to fix."""
    env = os.environ if env is None else env
    problems: list[str] = []
    xsrf = env.get("STREAMLIT_SERVER_COOKIE_SECRET")
    if xsrf is not None:
        why = weakness(xsrf)
        if why:
            problems.append(f"STREAMLIT_SERVER_COOKIE_SECRET is too weak: {why}. Generate one with {GENERATE}.")
    if not cfg_roles.get("required"):
        return problems
    auth = secrets.get("auth")
    if not isinstance(auth, dict):
        problems.append("sign-in is required ([auth] required = true in the roles file) but .streamlit/secrets.toml "
                        "has no [auth] section: add it with cookie_secret, client_id, client_secret and "
                        "server_metadata_url (docs/deploy.md, \"Sign-in\").")
        return problems
    secret = auth.get("cookie_secret")
    if not secret:
        problems.append("sign-in is required but [auth] cookie_secret is missing in .streamlit/secrets.toml; "
                        f"set it to a random value (generate one with {GENERATE}).")
    else:
        why = weakness(secret)
        if why:
            problems.append(f"[auth] cookie_secret in .streamlit/secrets.toml is too weak: {why}. Generate one "
                            f"with {GENERATE}.")
    return problems
