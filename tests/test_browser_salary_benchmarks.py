"""The salary benchmarks page in Debian's Chromium against `pmo serve`: a role's band values as
the sample files publish them (read here straight from the files), and a viewer sees no names."""

from __future__ import annotations

import csv
from datetime import date

import openpyxl
import pytest
from conftest import ROOT

from pmo import metrics as fmt

pytestmark = pytest.mark.browser

SAMPLE = ROOT / "sample_data"
PERCENTILES = ("A_PCT10", "A_PCT25", "A_MEDIAN", "A_PCT75", "A_PCT90")


@pytest.fixture()
def unaged_store(sample_store_copy):
    """Bands not aged (aging_rate 0), so the page must show the published figures as they are."""
    cfg = sample_store_copy / "config.toml"
    text = cfg.read_text() if cfg.exists() else ""
    cfg.write_text(text + "\n[salaries]\naging_rate = 0.0\n")
    return sample_store_copy


def oews_row(occ_code: str, area_type: int) -> dict:
    wb = openpyxl.load_workbook(SAMPLE / "benchmarks" / "oews_M2024_pmo_occupations.xlsx", read_only=True)
    rows = wb["All May 2024 data"].iter_rows(values_only=True)
    header = next(rows)
    for values in rows:
        row = dict(zip(header, values))
        if row["OCC_CODE"] == occ_code and row["AREA_TYPE"] == area_type:
            return row
    raise AssertionError(f"no OEWS row {occ_code} area type {area_type}")


def rate_card_row(title: str, area: str) -> dict:
    with (SAMPLE / "benchmarks" / "pmo_salary_reports_2020.csv").open(newline="") as fh:
        return next(r for r in csv.DictReader(fh) if r["Job Title"] == title and r["Area"] == area)


def latest_rate(currency: str) -> float:
    with (SAMPLE / "finance" / "fx_rates_2026.csv").open(newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["Currency"] == currency
                and date.fromisoformat(r["Valid From"]) <= date.today()]
    return float(max(rows, key=lambda r: r["Valid From"])["Rate to USD"])


def open_role(browser, url: str, role: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1200})
    page.goto(f"{url}/Salary_Benchmarks?benchmark_role={role.replace(' ', '+')}")
    page.get_by_text("Title matching").first.wait_for(timeout=90_000)
    return page


def band_cells(page, *texts: str) -> list[str]:
    """The cells of the band-table row containing all `texts`."""
    row = page.locator('[data-testid="stTable"] tr')
    for t in texts:
        row = row.filter(has_text=t)
    row.first.wait_for(timeout=30_000)
    return [c.strip() for c in row.first.locator("td, th").all_inner_texts()]


def test_project_manager_bands_match_the_sample_files(browser, unaged_store, server):
    page = open_role(browser, server["url"], "Project Manager")

    # OEWS national 13-1082 row: the published annual percentiles, unchanged
    oews = oews_row("13-1082", 1)
    cells = band_cells(page, "SOC 13-1082", "United States")
    assert cells[:3] == ["United States", "SOC 13-1082", "BLS OEWS May 2024"]
    assert [fmt.money(oews[p], compact=False) for p in PERCENTILES] == cells[4:9]
    assert oews["A_MEDIAN"] == 100_750

    # London rate card row: GBP converted with the latest GBP rate of the sample's fx file
    london = rate_card_row("Project Manager", "London")
    rate = latest_rate("GBP")
    cells = band_cells(page, "London", "Project Manager")
    expected = [fmt.money(float(london[p]) * rate, compact=False) for p in ("P10", "P25", "P50", "P75", "P90")]
    assert cells[4:9] == expected
    assert f"from GBP at {rate:.4g}" in cells[-1]

    # hourly contract rate: x 2,080 hours and labelled
    contract = rate_card_row("Project Manager (contract)", "National")
    cells = band_cells(page, "Project Manager (contract)")
    assert cells[6] == fmt.money(float(contract["P50"]) * 2080, compact=False)
    assert "annualised from hourly (x 2,080 h)" in cells[-1]
    page.close()


@pytest.fixture()
def viewer_role(monkeypatch):
    monkeypatch.setenv("PMO_ROLE", "viewer")


def test_viewer_sees_aggregates_but_no_names(browser, viewer_role, server):
    page = open_role(browser, server["url"], "Project Manager")
    page.get_by_text("hidden for the role 'viewer'").first.wait_for(timeout=30_000)
    body = page.locator("body").inner_text()
    for name in ("Margaret Ellison", "Olivia Reed", "Tyler Johnson", "Isabel Costa"):
        assert name not in body
    assert "fewer than 5 people" in body
    assert page.locator('[data-testid="stMetric"]', has_text="On a band").count() == 1
    page.close()
