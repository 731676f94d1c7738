"""Sign-in end to end: `pmo serve` with sign-in required, a real OpenID Connect provider
(oidc-provider-mock) on a free port, st.login's redirect flow in Debian's Chromium.

A viewer signs in: the home page shows, the Data page and the SQL explorer are not in the menu and
refuse to open by URL, and the salary page hides individual salaries. An admin (via the groups
claim) signs in: the Data page opens and individual salaries are shown. Both sign-ins are in the
audit log.
"""

from __future__ import annotations


import pytest

from pmo import audit

from conftest import free_port, serving

pytestmark = [pytest.mark.browser,
              pytest.mark.filterwarnings("ignore::DeprecationWarning")]   # authlib inside the mock provider

VIEWER = "viewer@example.com"
ADMIN = "boss@example.com"


@pytest.fixture()
def oidc_provider():
    from oidc_provider_mock import User, run_server_in_thread

    users = [User(sub=VIEWER, claims={"email": VIEWER, "email_verified": True, "name": "Vera Viewer"}),
             User(sub=ADMIN, claims={"email": ADMIN, "email_verified": True, "name": "Bo Boss",
                                     "groups": ["pmo-admins"]})]
    with run_server_in_thread(port=free_port(), user_claims=users) as srv:
        yield f"http://localhost:{srv.server_port}"


@pytest.fixture()
def signed_server(sample_store_copy, tmp_path, oidc_provider):
    """`pmo serve` with [auth] required: roles.toml from env PMO_ROLES_FILE, the OIDC client in
    $HOME/.streamlit/secrets.toml (Streamlit's global secrets file)."""
    port = free_port()
    home = tmp_path / "home"
    (home / ".streamlit").mkdir(parents=True)
    (home / ".streamlit" / "secrets.toml").write_text(f'''
[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "test-cookie-secret-{port}-not-for-production"
client_id = "pmo-dashboard"
client_secret = "pmo-test-secret"
server_metadata_url = "{oidc_provider}/.well-known/openid-configuration"
''')
    roles = tmp_path / "roles.toml"
    roles.write_text('''
[auth]
required = true
default_role = "viewer"
[groups]
"pmo-admins" = "admin"
''')
    with serving(sample_store_copy, port, env={"PMO_ROLES_FILE": str(roles), "HOME": str(home)},
                 drop=("PMO_ROLE",)) as srv:
        yield srv


def sign_in(browser, url: str, who: str):
    """A fresh browser (no cookies): the sign-in screen, the provider's form, back signed in."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(url)
    button = page.get_by_role("button", name="Sign in with your organisation account")
    button.wait_for(timeout=60_000)
    assert page.get_by_text("Active projects").count() == 0          # nothing before sign-in
    button.click()
    page.wait_for_url("**/oauth2/authorize**", timeout=60_000)       # the provider's page
    page.fill("input[name=sub]", who)
    page.get_by_role("button", name="Authorize").click()
    page.get_by_text("Active projects").first.wait_for(timeout=60_000)
    page.get_by_text(f"Signed in as {who}").first.wait_for(timeout=30_000)
    return context, page


def sidebar_links(page) -> str:
    """The sidebar's text once its page menu is drawn (the menu comes a moment after the
    'Signed in as' line on a busy machine)."""
    page.locator('[data-testid="stSidebar"] [data-testid="stPageLink"]', has_text="Portfolio health").first.wait_for(
        timeout=60_000)
    return page.locator('[data-testid="stSidebar"]').inner_text()


def test_viewer_cannot_open_data_page_or_see_salaries_admin_can(browser, signed_server):
    url = signed_server["url"]

    context, page = sign_in(browser, url, VIEWER)
    menu = sidebar_links(page)
    assert "role viewer" in menu
    assert "Portfolio health" in menu and "Data" not in menu.split("Signed in")[0]
    assert "SQL explorer" not in menu and "Audit log" not in menu
    page.goto(url + "/Data")
    page.get_by_text("The Data page is for analysts and admins").wait_for(timeout=60_000)
    assert page.get_by_text("Upload").count() == 0
    page.goto(url + "/SQL_Explorer")
    page.get_by_text("The SQL explorer is for analysts and admins").wait_for(timeout=60_000)
    page.goto(url + "/Salary_Benchmarks")
    page.get_by_text("Individual salaries are hidden for the role 'viewer'").wait_for(timeout=60_000)
    page.get_by_text("individual salaries hidden").first.wait_for(timeout=30_000)
    context.close()

    context, page = sign_in(browser, url, ADMIN)
    menu = sidebar_links(page)
    assert "role admin" in menu and "SQL explorer" in menu and "Audit log" in menu
    page.goto(url + "/Data")
    page.get_by_role("heading", name="Data").first.wait_for(timeout=60_000)
    assert page.get_by_text("The Data page is for analysts and admins").count() == 0
    page.goto(url + "/Salary_Benchmarks")
    page.get_by_text("individual salaries shown").first.wait_for(timeout=60_000)
    assert page.get_by_text("Individual salaries are hidden").count() == 0
    context.close()

    signins = audit.read_events(signed_server["data_dir"], action="sign_in")
    assert [(e["user"], e["role"]) for e in signins] == [(VIEWER, "viewer"), (ADMIN, "admin")]
    assert signins[1]["detail"]["groups"] == ["pmo-admins"]
    assert signed_server["proc"].poll() is None


def test_without_sign_in_nothing_is_served(browser, signed_server):
    context = browser.new_context()
    page = context.new_page()
    for path in ("", "/Portfolio_Health", "/Data", "/Salary_Benchmarks"):
        page.goto(signed_server["url"] + path)
        page.get_by_role("button", name="Sign in with your organisation account").wait_for(timeout=60_000)
        assert page.get_by_text("Active projects").count() == 0
        assert page.locator('[data-testid="stMetric"]').count() == 0
    context.close()
