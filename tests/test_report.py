"""`pmo report`: a saved view's meeting pack rendered headlessly and sent to a local SMTP server
(aiosmtpd), its attachment read back; refusals and a failed send (exit 2, audit row).

Hand-worked figures (sample_data, status date 20 Nov 2026, project_health's latest row per
project): Digital Channels has 10 projects; PRJ-1008 is closed, so 9 are active: red PRJ-1002
and PRJ-1004, amber PRJ-1001, green PRJ-1003/1005/1006/1007/1009, grey PRJ-1010. Finance
Transformation's red projects are PRJ-1023 and PRJ-1029, Infrastructure & Cloud's PRJ-1012 and
PRJ-1019: none of them may appear in a Digital Channels pack.
"""

from __future__ import annotations

import email
import email.message
import io
import re
import socket
import zipfile
from email import policy

import pytest
from conftest import free_port, run_pmo

from pmo import audit, report, saved_views

aiosmtpd = pytest.importorskip("aiosmtpd", reason="pip install -e '.[dev]' (aiosmtpd is a dev extra)")
from aiosmtpd.controller import Controller  # noqa: E402
from aiosmtpd.smtp import AuthResult, LoginPassword  # noqa: E402

PAGE = "pages/1_Portfolio_Health.py"
OTHER_RED = ("PRJ-1023", "PRJ-1029", "PRJ-1012", "PRJ-1019")


class Inbox:
    """What the SMTP server accepted, and the logins it was offered."""

    def __init__(self):
        self.messages, self.logins = [], []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted for delivery"

    def __call__(self, server, session, envelope, mechanism, auth_data):   # the authenticator
        if isinstance(auth_data, LoginPassword):
            self.logins.append((auth_data.login.decode(), auth_data.password.decode()))
            ok = auth_data.password == b"s3cret-from-env"
            return AuthResult(success=ok, handled=ok)        # handled=False: the server answers 535
        return AuthResult(success=False, handled=False)


@pytest.fixture()
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), authenticator=inbox,
                            auth_require_tls=False)
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


def smtp_config(root, port: int, **extra) -> None:
    lines = ["[smtp]", 'host = "127.0.0.1"', f"port = {port}", 'security = "none"',
             'from = "PMO dashboard <pmo@example.com>"', "timeout = 10",
             *(f"{k} = {v!r}".replace("'", '"') for k, v in extra.items())]
    (root / "config.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def slides_text(pptx: bytes) -> str:
    z = zipfile.ZipFile(io.BytesIO(pptx))
    slides = sorted((n for n in z.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)),
                    key=lambda n: int(re.search(r"\d+", n).group()))
    assert slides, "the attachment has no slides"
    return "\n".join(" | ".join(re.findall(r"<a:t>([^<]*)</a:t>", z.read(n).decode("utf-8"))) for n in slides)


def report_events(root) -> list[dict]:
    return audit.read_events(root, action="report")


# ---- the whole path: saved view -> page -> pack -> SMTP ----------------------------------------------
def test_report_sends_the_views_pack_with_its_filter_and_figures(sample_store_copy, smtp_server):
    controller, inbox = smtp_server
    root = sample_store_copy
    smtp_config(root, controller.port, dashboard_url="https://pmo.example.com")
    saved_views.save_view(root, "ana@example.com", "Digital red list", PAGE,
                          {"portfolio": "Digital Channels", "as_of": "2026-10-30"})   # the pack reports the latest
    env = {"PMO_SMTP_USER": "pmo-mailer", "PMO_SMTP_PASSWORD": "s3cret-from-env"}

    done = run_pmo("report", "--view", "Digital red list", "--format", "pptx", "--to", "cio@example.com",
                   "--to", "pmo-team@example.com", data_dir=root, env=env, timeout=400)

    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert inbox.logins == [("pmo-mailer", "s3cret-from-env")]          # credentials from the environment
    assert len(inbox.messages) == 1
    envelope = inbox.messages[0]
    assert sorted(envelope.rcpt_tos) == ["cio@example.com", "pmo-team@example.com"]
    msg = email.message_from_bytes(envelope.content, policy=policy.default)
    assert msg["Subject"] == "Digital red list: Portfolio health, as of 20 Nov 2026"
    assert msg["From"] == "PMO dashboard <pmo@example.com>"
    body = msg.get_body(("plain",)).get_content()
    assert "Filters: Portfolio: Digital Channels" in body
    assert "https://pmo.example.com/Portfolio_Health?portfolio=Digital+Channels" in body
    assert "as_of" not in body

    [part] = list(msg.iter_attachments())
    assert part.get_content_type() == "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    assert part.get_filename() == "portfolio-health_meeting-pack_2026-11-20.pptx"
    text = slides_text(part.get_content())
    assert "Portfolio: Digital Channels" in text and "20 Nov 2026" in text
    # the KPI slide, against the hand-worked counts in the module doc
    assert "Active projects | 9 |" in text
    assert "Red (computed) | 2 |" in text
    assert "Amber (computed) | 1 |" in text
    assert "Green (computed) | 5 |" in text
    red_slide = text[text.index("Red projects and why"):]
    assert "PRJ-1002" in red_slide and "PRJ-1004" in red_slide
    assert not [p for p in OTHER_RED if p in text]
    assert "https://pmo.example.com/Portfolio_Health?portfolio=Digital+Channels" in text

    [event] = report_events(root)
    assert event["user"] == "ana@example.com"
    d = event["detail"]
    assert d["ok"] is True and d["view"] == "Digital red list" and d["format"] == "pptx"
    assert d["recipients"] == ["cio@example.com", "pmo-team@example.com"]
    assert d["bytes"] == len(part.get_content()) and d["as_of"] == "2026-11-20"


def test_report_renders_as_the_owner_with_their_row_scope(sample_store_copy, smtp_server):
    """Hosted mode: the owner's role from roles.toml limits the rows, though the view has no filter
    and the command runs without PMO_ROLE; the PDF is a PDF."""
    controller, inbox = smtp_server
    root = sample_store_copy
    smtp_config(root, controller.port)
    roles = root / "roles-test.toml"
    roles.write_text('[auth]\nrequired = true\ndefault_role = ""\n'
                     '[roles.digital]\nlevel = "viewer"\nportfolios = ["Digital Channels"]\n'
                     '[users]\n"dan@example.com" = "digital"\n', encoding="utf-8")
    saved_views.save_view(root, "dan@example.com", "Everything", PAGE, {})
    saved_views.save_view(root, "eve@example.com", "Everything", PAGE, {})      # eve has no role

    done = run_pmo("report", "--view", "Everything", "--user", "dan@example.com", "--format", "csv",
                   "--to", "dan@example.com", data_dir=root, env={"PMO_ROLES_FILE": str(roles)}, timeout=400)

    assert done.returncode == 0, done.stderr
    msg = email.message_from_bytes(inbox.messages[0].content, policy=policy.default)
    assert "role digital (portfolios Digital Channels)" in msg.get_body(("plain",)).get_content()
    files = {p.get_filename(): p.get_content() for p in msg.iter_attachments()}
    assert "portfolio-health_all-projects_2026-11-20.csv" in files

    def ids(name: str) -> list[str]:
        text = files[f"portfolio-health_{name}_2026-11-20.csv"]
        return sorted(set(re.findall(r"PRJ-\d{4}", text if isinstance(text, str) else text.decode("utf-8-sig"))))

    assert ids("red-and-amber-projects") == ["PRJ-1001", "PRJ-1002", "PRJ-1004"]   # of every portfolio's 16
    digital = {f"PRJ-{n}" for n in range(1001, 1011)}
    assert ids("all-projects") and set(ids("all-projects")) <= digital
    assert report_events(root)[-1]["role"] == "digital"

    as_pdf = run_pmo("report", "--view", "Everything", "--user", "dan@example.com", "--to", "dan@example.com",
                     data_dir=root, env={"PMO_ROLES_FILE": str(roles)}, timeout=400)     # pdf: the default
    assert as_pdf.returncode == 0, as_pdf.stderr
    [pdf] = list(email.message_from_bytes(inbox.messages[1].content, policy=policy.default).iter_attachments())
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_filename() == "portfolio-health_meeting-pack_2026-11-20.pdf"
    assert pdf.get_content().startswith(b"%PDF-") and pdf.get_content().rstrip().endswith(b"%%EOF")
    assert report_events(root)[-1]["detail"]["bytes"] == len(pdf.get_content())

    refused = run_pmo("report", "--view", "Everything", "--user", "eve@example.com", "--to", "x@example.com",
                      data_dir=root, env={"PMO_ROLES_FILE": str(roles)})
    assert refused.returncode == 2
    assert "eve@example.com has no role in roles.toml" in refused.stderr
    assert len(inbox.messages) == 2


# ---- a send that fails ---------------------------------------------------------------------------------
def test_a_closed_port_exits_2_with_the_reason_and_an_audit_row(sample_store_copy):
    root = sample_store_copy
    with socket.socket() as s:             # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    smtp_config(root, port)
    saved_views.save_view(root, "ana@example.com", "Digital red list", PAGE, {"portfolio": "Digital Channels"})

    done = run_pmo("report", "--view", "Digital red list", "--to", "cio@example.com", data_dir=root, timeout=400)

    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert f"pmo: report not sent: could not reach the mail server 127.0.0.1:{port}" in done.stderr
    assert "check [smtp] host and port" in done.stderr
    [event] = report_events(root)
    d = event["detail"]
    assert d["ok"] is False and d["format"] == "pdf" and d["recipients"] == ["cio@example.com"]
    assert d["bytes"] > 0 and f"127.0.0.1:{port}" in d["error"]
    assert audit.describe(event).startswith("not sent: 'Digital red list' (pdf) to cio@example.com")


# ---- refusals before anything is rendered ----------------------------------------------------------------
def test_bad_input_is_refused_with_one_line_and_audited(tmp_path):
    root = tmp_path / "store"
    root.mkdir()
    (root / "config.toml").write_text("", encoding="utf-8")

    no_smtp = run_pmo("report", "--view", "x", "--to", "a@example.com", data_dir=root)
    assert no_smtp.returncode == 2
    assert no_smtp.stderr.strip() == ("pmo: report not sent: no mail server is set up: set host, port, security "
                                      "and from in [smtp] in <data dir>/config.toml (docs/reports.md).")

    smtp_config(root, 2525)
    no_to = run_pmo("report", "--view", "x", data_dir=root)
    assert no_to.returncode == 2 and "no recipients: give at least one --to" in no_to.stderr

    saved_views.save_view(root, "ana@example.com", "Monday red list", PAGE, {})
    saved_views.save_view(root, "bob@example.com", "Monday red list", PAGE, {})
    saved_views.save_view(root, "bob@example.com", "Budget", "pages/2_Budget_Variance.py", {})
    unknown = run_pmo("report", "--view", "Tuesday", "--to", "a@example.com", data_dir=root)
    assert unknown.returncode == 2
    assert ("no saved view called 'Tuesday'; the saved views are: Budget, Monday red list." in unknown.stderr)
    both = run_pmo("report", "--view", "Monday red list", "--to", "a@example.com", data_dir=root)
    assert both.returncode == 2
    assert ("'Monday red list' is a saved view of 2 people (ana@example.com, bob@example.com); say whose "
            "with --user EMAIL." in both.stderr)
    for done in (no_smtp, no_to, unknown, both):
        assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1

    events = report_events(root)
    assert [e["detail"]["ok"] for e in events] == [False] * 4
    assert "saved view of 2 people" in events[-1]["detail"]["error"]


def test_settings_and_recipients():
    env = {"MAIL_USER": "u", "MAIL_PASS": "p"}
    s = report.SmtpSettings.from_config({"smtp": {"host": "mail.example.com", "security": "ssl",
                                                  "from": "pmo@example.com", "username_env": "MAIL_USER",
                                                  "password_env": "MAIL_PASS"}}, env)
    assert (s.port, s.username, s.password, s.timeout) == (465, "u", "p", 30.0)
    assert "password" not in repr(s)         # never printed with the settings
    with pytest.raises(report.ReportError, match=r"password is not: set \$NOT_SET_HERE"):
        report.SmtpSettings.from_config({"smtp": {"host": "h", "from": "a@b.c", "username_env": "MAIL_USER",
                                                  "password_env": "NOT_SET_HERE"}}, env)
    with pytest.raises(report.ReportError, match="security = 'tls' is not one of starttls, ssl, none"):
        report.SmtpSettings.from_config({"smtp": {"host": "h", "from": "a@b.c", "security": "tls"}}, env)
    assert report.recipients(["a@example.com, b@example.com", "a@example.com"]) == ["a@example.com", "b@example.com"]
    with pytest.raises(report.ReportError, match="not an e-mail address: bob"):
        report.recipients(["bob"])


# ---- the SMTP conversation's refusals, without rendering a page ---------------------------------------
def a_message() -> "email.message.EmailMessage":
    msg = email.message.EmailMessage()
    msg["Subject"], msg["From"], msg["To"] = "t", "pmo@example.com", "cio@example.com"
    msg.set_content("x")
    return msg


def settings(port: int, **kw) -> report.SmtpSettings:
    base = dict(host="127.0.0.1", port=port, security="none", sender="pmo@example.com", username=None,
                password=None, timeout=10)
    return report.SmtpSettings(**{**base, **kw})


def test_send_says_why_the_server_did_not_take_it(smtp_server):
    controller, inbox = smtp_server
    with pytest.raises(report.ReportError, match=rf"127.0.0.1:{controller.port} does not support .*STARTTLS"):
        report.send(a_message(), settings(controller.port, security="starttls"))   # the server offers none
    with pytest.raises(report.ReportError, match=r"refused the login pmo-mailer \(535 .*\); check the credentials"):
        report.send(a_message(), settings(controller.port, username="pmo-mailer", password="wrong"))
    assert set(inbox.logins) == {("pmo-mailer", "wrong")} and inbox.messages == []   # smtplib tries PLAIN, LOGIN
    report.send(a_message(), settings(controller.port, username="pmo-mailer", password="s3cret-from-env"))
    assert [m.rcpt_tos for m in inbox.messages] == [["cio@example.com"]]
