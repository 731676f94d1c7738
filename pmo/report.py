"""`pmo report`: a saved view's meeting pack, rendered headlessly and sent by e-mail.

    pmo report --view "Monday red list" --to pmo@example.com [--format pdf|pptx|csv] [--user OWNER]

1. `find_view`: the saved view by name (pmo/saved_views.py), of `--user` or, without it, of the
   one user who has a view of that name (a name several people use is refused, naming them).
2. `owner_role`: the role the page runs with is the owner's, never more: in hosted mode
   (`[auth] required = true`) what roles.toml gives their e-mail ([users], [domains],
   default_role; groups come only with a sign-in, so a group-only grant does not count); in
   local mode the dashboard's own local role (admin, or env PMO_ROLE).
3. `render`: the page script runs in this process with Streamlit's AppTest, with the view's
   parameters and the newest as-of date (a pinned `as_of` is dropped: a scheduled pack reports
   the latest data), as the owner; what its share bar collected (pmo/ui/share.py) is the pack.
4. `attachments` + `build_message`: PowerPoint, PDF, or one CSV per table the page offers.
5. `send`: smtplib with STARTTLS / SSL / none per `[smtp]` (config/pmo.toml), the login and
   password from the environment variables `[smtp]` names.

Every failure is a `ReportError` with one line saying what is wrong and what to do.
"""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses, make_msgid
from pathlib import Path
from urllib.parse import urlencode

from pmo import auth, config, export, saved_views

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("pdf", "pptx", "csv")
SECURITY = ("starttls", "ssl", "none")
MIME = {"pdf": ("application", "pdf"),
        "pptx": ("application", "vnd.openxmlformats-officedocument.presentationml.presentation"),
        "csv": ("text", "csv")}
RENDER_TIMEOUT = 300            # seconds one page may take to render (a big store's first run)


class ReportError(Exception):
    """What went wrong, in one line the person running the command can act on."""


# ---- settings ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str
    sender: str
    username: str | None
    password: str | None = field(default=None, repr=False)
    timeout: float = 30.0
    dashboard_url: str = ""

    @classmethod
    def from_config(cls, cfg: dict, env=os.environ) -> SmtpSettings:
        s = cfg.get("smtp") or {}
        where = "[smtp] in <data dir>/config.toml (docs/reports.md)"
        host = str(s.get("host") or "").strip()
        if not host:
            raise ReportError(f"no mail server is set up: set host, port, security and from in {where}.")
        security = str(s.get("security") or "starttls").lower()
        if security not in SECURITY:
            raise ReportError(f"[smtp] security = '{s.get('security')}' is not one of {', '.join(SECURITY)}; "
                              f"fix it in {where}.")
        try:
            port = int(s.get("port") or (465 if security == "ssl" else 587))
            timeout = float(s.get("timeout") or 30)
        except (TypeError, ValueError):
            raise ReportError(f"[smtp] port and timeout must be numbers; fix them in {where}.") from None
        sender = str(s.get("from") or "").strip()
        if "@" not in sender:
            raise ReportError(f"[smtp] from = '{sender}' is not an e-mail address; set the sender in {where}.")
        user_var, pass_var = s.get("username_env") or "", s.get("password_env") or ""
        username = env.get(user_var) if user_var else None
        password = env.get(pass_var) if pass_var else None
        if username and not password:
            raise ReportError(f"the SMTP login is set (${user_var}) but the password is not: set ${pass_var} "
                              "in the environment the command runs in.")
        return cls(host, port, security, sender, username or None, password or None, timeout,
                   str(s.get("dashboard_url") or "").rstrip("/"))


def recipients(values: list[str] | None) -> list[str]:
    """`--to` values (repeated, or comma-separated) as addresses; refused when none or one is not
    an address."""
    raw = [v for v in (values or []) if v and v.strip()]
    found = [addr for _, addr in getaddresses(raw)]
    bad = [a or "(empty)" for a in found if "@" not in a or a.startswith("@") or a.endswith("@") or " " in a]
    if bad:
        raise ReportError(f"not an e-mail address: {', '.join(bad)}; give --to name@example.com.")
    if not found:
        raise ReportError("no recipients: give at least one --to name@example.com.")
    return list(dict.fromkeys(found))


# ---- the view and who it belongs to --------------------------------------------------------------
def find_view(store_root: Path | str, name: str, user: str | None = None) -> tuple[str, dict]:
    """(owner, view) of the saved view called `name`."""
    wanted = saved_views.clean_name(name)
    if not wanted:
        raise ReportError("give the saved view's name: --view \"Monday red list\".")
    data = saved_views._read(saved_views.path(store_root))["users"]
    owners = [u for u in sorted(data) if (user is None or u == user)
              and any(v.get("name") == wanted for v in saved_views.list_views(store_root, u))]
    if not owners:
        names = sorted({v["name"] for u in data if user is None or u == user
                        for v in saved_views.list_views(store_root, u)})
        whose = f"{user}'s" if user else "the"
        known = f"; {whose} saved views are: {', '.join(names[:15])}" + (" ..." if len(names) > 15 else "") \
            if names else f"; there are no saved views{' for ' + user if user else ''} in {store_root}"
        raise ReportError(f"no saved view called '{wanted}'{' for ' + user if user else ''}{known}. "
                          "Save one with the page's Saved views button.")
    if len(owners) > 1:
        raise ReportError(f"'{wanted}' is a saved view of {len(owners)} people ({', '.join(owners)}); "
                          "say whose with --user EMAIL.")
    owner = owners[0]
    view = next(v for v in saved_views.list_views(store_root, owner) if v["name"] == wanted)
    page = Path(str(view["page"]))
    if not (page.parent == Path("pages") and page.suffix == ".py" and (ROOT / page).is_file()) \
            and str(page) != "dashboard.py":
        raise ReportError(f"the saved view '{wanted}' opens '{view['page']}', which is not a dashboard page "
                          "any more; open the page and save the view again.")
    return owner, view


def owner_role(store_root: Path | str, owner: str) -> auth.Role:
    """The role the owner's pages get (see the module doc); refused when they have none."""
    try:
        roles = auth.load(config.load(store_root), store_root)
    except auth.RolesError as exc:
        raise ReportError(str(exc)) from None
    if not roles["required"]:
        return auth.local_role(roles)
    role = auth.role_for(owner, (), roles)
    if role is None:
        raise ReportError(f"{owner} has no role in roles.toml ([users] or [domains]; groups count only at "
                          "sign-in), so their view is not sent; give them a role or use another person's view.")
    return role


# ---- rendering -----------------------------------------------------------------------------------
@dataclass
class Rendered:
    view: object                # pmo.ui.share.View: the pack, the filters, the as-of date
    downloads: list             # (name, df, labels, meta) of each table the page offers

    @property
    def meta(self) -> export.Meta:
        return self.view.meta()


# ---- the message ---------------------------------------------------------------------------------
def attachments(rendered: Rendered, fmt: str, link: str | None = None) -> list[tuple[str, bytes, tuple[str, str]]]:
    """(file name, bytes, (maintype, subtype)) of each attachment; `link` (the view on the
    dashboard's public address) replaces the relative link a headless run has."""
    if link:
        rendered.view.link = link
    meta = rendered.meta
    pack = rendered.view.pack
    pack.meta = meta
    if fmt == "pptx":
        return [(export.file_name(meta, "meeting-pack", "pptx"), export.pack_pptx(pack), MIME["pptx"])]
    if fmt == "pdf":
        return [(export.file_name(meta, "meeting-pack", "pdf"), export.pack_pdf(pack), MIME["pdf"])]
    out, names = [], set()
    for name, df, labels, table_meta in rendered.downloads:
        m = table_meta or rendered.view.meta(name)
        file_name = export.file_name(m, name, "csv")
        n = 2
        while file_name in names:
            file_name = export.file_name(m, f"{name} {n}", "csv")
            n += 1
        names.add(file_name)
        out.append((file_name, export.to_csv_bytes(df, m, labels), MIME["csv"]))
    if not out:
        raise ReportError(f"the page {rendered.view.script} offers no tables as CSV; use --format pdf or pptx.")
    return out


def view_link(smtp: SmtpSettings, view: dict) -> str | None:
    if not smtp.dashboard_url:
        return None
    from pmo.ui.url import url_path  # no Streamlit call: the page's URL path from its file name

    params = {k: v for k, v in view["params"].items() if k not in ("as_of", "present")}
    return f"{smtp.dashboard_url}/{url_path(view['page'])}" + (f"?{urlencode(params)}" if params else "")


def build_message(name: str, rendered: Rendered, files, to: list[str], smtp: SmtpSettings,
                  owner: str, role: auth.Role, link: str | None = None) -> EmailMessage:
    meta = rendered.meta
    msg = EmailMessage()
    msg["Subject"] = f"{name}: {meta.page}, as of {meta.as_of_text()}"
    msg["From"] = smtp.sender
    msg["To"] = ", ".join(to)
    msg["Message-ID"] = make_msgid(domain=smtp.sender.rsplit("@", 1)[-1].strip("> "))
    lines = [f"The saved view '{name}' of {owner}, as the dashboard shows it now.", "",
             f"Page: {meta.page}", f"Filters: {meta.filters}", f"As of: {meta.as_of_text()}",
             f"Data: {meta.version_text()}", f"Rows seen as: {owner}, role {role.name} ({role.scope.describe()})",
             f"Attached: {', '.join(f for f, _, _ in files)}"]
    if link:
        lines += ["", f"Open it: {link}"]
    lines += ["", "Sent by `pmo report` (docs/reports.md)."]
    msg.set_content("\n".join(lines))
    for file_name, data, (maintype, subtype) in files:
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=file_name)
    return msg


# ---- sending -------------------------------------------------------------------------------------
def send(msg: EmailMessage, smtp: SmtpSettings) -> None:
    """Hand the message to the server; a ReportError says why it was not taken."""
    where = f"{smtp.host}:{smtp.port}"
    context = ssl.create_default_context()
    try:
        if smtp.security == "ssl":
            client = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout, context=context)
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
        with client:
            if smtp.security == "starttls":
                client.starttls(context=context)
            if smtp.username:
                client.login(smtp.username, smtp.password or "")
            refused = client.send_message(msg)
    except smtplib.SMTPNotSupportedError as exc:
        raise ReportError(f"the mail server {where} does not support {exc}: with security = \"starttls\" it "
                          "must offer STARTTLS; check [smtp] security and port.") from None
    except smtplib.SMTPAuthenticationError as exc:
        raise ReportError(f"the mail server {where} refused the login {smtp.username} ({_smtp_text(exc)}); "
                          "check the credentials in the variables [smtp] username_env / password_env name.") from None
    except smtplib.SMTPRecipientsRefused as exc:
        raise ReportError(f"the mail server {where} refused every recipient: {_refused(exc.recipients)}.") from None
    except smtplib.SMTPSenderRefused as exc:
        raise ReportError(f"the mail server {where} refused the sender {exc.sender} ({_smtp_text(exc)}); "
                          "check [smtp] from.") from None
    except smtplib.SMTPResponseException as exc:
        raise ReportError(f"the mail server {where} refused the message ({_smtp_text(exc)}).") from None
    except ssl.SSLError as exc:
        raise ReportError(f"no secure connection to the mail server {where} ({exc.reason or exc}); check [smtp] "
                          "security (\"ssl\" on port 465, \"starttls\" on 587) and the server's certificate.") from None
    except (socket.timeout, TimeoutError):
        raise ReportError(f"the mail server {where} did not answer within {smtp.timeout:g} s; check [smtp] host "
                          "and port, or raise [smtp] timeout.") from None
    except (smtplib.SMTPException, OSError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise ReportError(f"could not reach the mail server {where} ({reason}); check [smtp] host and port "
                          "and that the server is running.") from None
    if refused:
        raise ReportError(f"sent, but the mail server {where} refused {_refused(refused)}.")


def _smtp_text(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
    return f"{exc.smtp_code} {' '.join(text.split())}"


def _refused(recipients: dict) -> str:
    return ", ".join(f"{addr} ({code} {(text.decode('utf-8', 'replace') if isinstance(text, bytes) else text).strip()})"
                     for addr, (code, text) in recipients.items())
