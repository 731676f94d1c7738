"""Salary benchmarks: the BLS OEWS May 2024 all-data workbook (export-formats.md §7.3, two occupations,
11 areas) and a hand-kept table of company salary reports and a market rate card.
The README's "Sources of the benchmark figures" says which values are published and which illustrative.
"""

from __future__ import annotations

import random

from .helpers import OUT, csv_writer, new_workbook

# OEWS May 2024 national anchors (see README for sources). Medians are the published BLS values;
# other percentiles and means are derived (illustrative).
OEWS_TOP = (115.00, 239_200)  # '#' top-code: wage >= $115.00/hour or $239,200/year
OEWS_OCCUPATIONS = {
    "13-1082": ("Project Management Specialists", 100_750, 968_700,
                {"p10": 0.583, "p25": 0.752, "p75": 1.302, "p90": 1.655, "mean": 1.088}),
    "11-3021": ("Computer and Information Systems Managers", 171_200, 624_300,
                {"p10": 0.610, "p25": 0.785, "p75": 1.270, "p90": 1.500, "mean": 1.070}),
}
# area code, title, type, state, median multiplier for 13-1082, 11-3021 median (annual)
OEWS_AREAS = [
    ("99", "U.S.", 1, "US", 1.000, 171_200),
    ("36", "New York", 2, "NY", 1.172, 216_100),
    ("17", "Illinois", 2, "IL", 1.015, 165_600),
    ("48", "Texas", 2, "TX", 0.992, 171_600),
    ("06", "California", 2, "CA", 1.214, 219_200),
    ("53", "Washington", 2, "WA", 1.196, 209_500),
    ("35620", "New York-Newark-Jersey City, NY-NJ", 4, "NY", 1.221, 225_400),
    ("16980", "Chicago-Naperville-Elgin, IL-IN", 4, "IL", 1.043, 170_900),
    ("12420", "Austin-Round Rock-San Marcos, TX", 4, "TX", 1.061, 176_300),
    ("41860", "San Francisco-Oakland-Fremont, CA", 4, "CA", 1.384, 236_500),
    ("42660", "Seattle-Tacoma-Bellevue, WA", 4, "WA", 1.252, 218_800),
]
OEWS_NO_EMPLOYMENT = {("12420", "11-3021")}  # '**': employment estimate not released


# =============================================================================================
# File: BLS OEWS May 2024 (all-data layout, two occupations, 11 areas)
# =============================================================================================

OEWS_HEADER = ["AREA", "AREA_TITLE", "AREA_TYPE", "PRIM_STATE", "NAICS", "NAICS_TITLE", "I_GROUP", "OWN_CODE",
               "OCC_CODE", "OCC_TITLE", "O_GROUP", "TOT_EMP", "EMP_PRSE", "JOBS_1000", "LOC_QUOTIENT",
               "PCT_TOTAL", "PCT_RPT", "H_MEAN", "A_MEAN", "MEAN_PRSE", "H_PCT10", "H_PCT25", "H_MEDIAN",
               "H_PCT75", "H_PCT90", "A_PCT10", "A_PCT25", "A_MEDIAN", "A_PCT75", "A_PCT90", "ANNUAL", "HOURLY"]
OEWS_EMP_SHARE = {"99": 1.0, "36": 0.066, "17": 0.041, "48": 0.097, "06": 0.121, "53": 0.034,
                  "35620": 0.078, "16980": 0.038, "12420": 0.017, "41860": 0.033, "42660": 0.027}
OEWS_JOBS_1000 = {"13-1082": 6.37, "11-3021": 4.11}
OEWS_FIELDS = [
    ("area", "U.S. (99), state FIPS code, Metropolitan Statistical Area (MSA) code, "
             "or OEWS-specific nonmetropolitan area code"),
    ("area_title", "Area name"),
    ("area_type", "Area type: 1= U.S.; 2= State; 3= U.S. Territory; 4= Metropolitan Statistical Area (MSA); "
                  "6= Nonmetropolitan Area"),
    ("prim_state", "The primary state for the given area. \"US\" is used for the national estimates."),
    ("naics", "North American Industry Classification System (NAICS) code for the given industry"),
    ("naics_title", "NAICS title for the given industry"),
    ("i_group", "Industry level: cross-industry, NAICS sector, 3-digit, 4-digit, 5-digit or 6-digit industry"),
    ("own_code", "Ownership type, e.g. 1235 = federal, state and local government plus private sector"),
    ("occ_code", "The 6-digit Standard Occupational Classification (SOC) code or OEWS-specific code"),
    ("occ_title", "SOC title or OEWS-specific title for the occupation"),
    ("o_group", "SOC occupation level: total, major, minor, broad or detailed"),
    ("tot_emp", "Estimated total employment rounded to the nearest 10 (excludes self-employed)"),
    ("emp_prse", "Percent relative standard error (PRSE) for the employment estimate"),
    ("jobs_1000", "The number of jobs in the occupation per 1,000 jobs in the given area"),
    ("loc_quotient", "The location quotient: the occupation's share of area employment relative to the U.S."),
    ("pct_total", "Percent of industry employment in the given occupation"),
    ("pct_rpt", "Percent of establishments reporting the given occupation for the cell"),
    ("h_mean", "Mean hourly wage"), ("a_mean", "Mean annual wage"),
    ("mean_prse", "Percent relative standard error (PRSE) for the mean wage estimate"),
    ("h_pct10", "Hourly 10th percentile wage"), ("h_pct25", "Hourly 25th percentile wage"),
    ("h_median", "Hourly median wage (or the 50th percentile)"), ("h_pct75", "Hourly 75th percentile wage"),
    ("h_pct90", "Hourly 90th percentile wage"), ("a_pct10", "Annual 10th percentile wage"),
    ("a_pct25", "Annual 25th percentile wage"), ("a_median", "Annual median wage (or the 50th percentile)"),
    ("a_pct75", "Annual 75th percentile wage"), ("a_pct90", "Annual 90th percentile wage"),
    ("annual", "Contains \"TRUE\" if only annual wages are released"),
    ("hourly", "Contains \"TRUE\" if only hourly wages are released"),
]
OEWS_NOTES = [
    "*  = indicates that a wage estimate is not available",
    "**  = indicates that an employment estimate is not available",
    "# = indicates a wage equal to or greater than $115.00 per hour or $239,200 per year",
    "~ = indicates that the percent of establishments reporting the occupation is less than 0.5%",
]


def round_to(x: float, step: float) -> float:
    return round(x / step) * step


def oews_rows(rng: random.Random) -> list[list]:
    rows = []
    for occ, (title, nat_median, nat_emp, shape) in OEWS_OCCUPATIONS.items():
        for area, area_title, area_type, state, mult_1082, median_3021 in OEWS_AREAS:
            median = round_to(nat_median * mult_1082, 10) if occ == "13-1082" else median_3021
            annual = {"A_PCT10": round_to(median * shape["p10"], 10), "A_PCT25": round_to(median * shape["p25"], 10),
                      "A_MEDIAN": median, "A_PCT75": round_to(median * shape["p75"], 10),
                      "A_PCT90": round_to(median * shape["p90"], 10)}
            a_mean = round_to(median * shape["mean"], 10)
            national = area_type == 1
            emp = round_to(nat_emp * OEWS_EMP_SHARE[area], 10)
            lq = round(rng.uniform(0.85, 1.65), 2)
            cells = {
                "AREA": area, "AREA_TITLE": area_title, "AREA_TYPE": area_type, "PRIM_STATE": state,
                "NAICS": "000000", "NAICS_TITLE": "Cross-industry", "I_GROUP": "cross-industry", "OWN_CODE": 1235,
                "OCC_CODE": occ, "OCC_TITLE": title, "O_GROUP": "detailed",
                "TOT_EMP": int(emp), "EMP_PRSE": 0.7 if national else round(rng.uniform(1.8, 6.5), 1),
                "JOBS_1000": None if national else round(OEWS_JOBS_1000[occ] * lq, 3),
                "LOC_QUOTIENT": None if national else lq, "PCT_TOTAL": None, "PCT_RPT": None,
                "H_MEAN": round(a_mean / 2080, 2), "A_MEAN": int(a_mean),
                "MEAN_PRSE": 0.3 if national else round(rng.uniform(0.7, 2.6), 1),
                "ANNUAL": None, "HOURLY": None,
            }
            for col, value in annual.items():
                hcol = "H_" + col[2:]
                top = value >= OEWS_TOP[1]
                cells[col] = "#" if top else int(value)
                cells[hcol] = "#" if top else round(value / 2080, 2)
            if (area, occ) in OEWS_NO_EMPLOYMENT:
                for col in ("TOT_EMP", "EMP_PRSE", "JOBS_1000", "LOC_QUOTIENT"):
                    cells[col] = "**"
            rows.append([cells[h] for h in OEWS_HEADER])
    return rows


def write_oews(rng: random.Random) -> int:
    path = OUT / "benchmarks" / "oews_M2024_pmo_occupations.xlsx"
    wb = new_workbook(path)
    bold = wb.add_format({"bold": True})
    ws = wb.add_worksheet("All May 2024 data")
    for c, h in enumerate(OEWS_HEADER):
        ws.write_string(0, c, h, bold)
    rows = oews_rows(rng)
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            if v is None:
                continue
            if isinstance(v, str):
                ws.write_string(r, c, v)
            else:
                ws.write_number(r, c, v)
    ws.set_column(1, 1, 36)
    ws.set_column(9, 9, 40)
    ws.freeze_panes(1, 0)
    fd = wb.add_worksheet("Field Descriptions")
    fd.write_string(0, 0, "May 2024 Occupational Employment and Wage Statistics (OEWS) Estimates", bold)
    fd.write_string(2, 0, "Field", bold)
    fd.write_string(2, 1, "Field Description", bold)
    for r, (name, desc) in enumerate(OEWS_FIELDS, start=3):
        fd.write_string(r, 0, name)
        fd.write_string(r, 1, desc)
    r = 3 + len(OEWS_FIELDS) + 1
    fd.write_string(r, 0, "Notes:", bold)
    for k, note in enumerate(OEWS_NOTES, start=1):
        fd.write_string(r + k, 0, note)
    fd.write_string(r + len(OEWS_NOTES) + 2, 0,
                    "Sample file: national medians are published BLS values; other figures are illustrative "
                    "(see sample_data/README.md).")
    fd.set_column(0, 0, 18)
    fd.set_column(1, 1, 110)
    wb.close()
    return len(rows)



# =============================================================================================
# File: company salary reports and a market rate card
# =============================================================================================

SALARY_REPORT_HEADER = ["Source", "Reference Date", "Job Title", "Company", "Country", "Area", "Currency",
                        "Basis", "P10", "P25", "P50", "P75", "P90", "Mean", "Sample Size"]
SELF_REPORTED = "Self-reported salaries (2 reports each)"
RATE_CARD = "PMO market rate card 2025 (illustrative)"
SALARY_REPORTS = [
    # source, date, title, company, country, area, currency, basis, p10, p25, p50, p75, p90, mean, n
    (SELF_REPORTED, "2020-11-10", "PMO", "Amazon", "United States", "", "USD", "annual",
     None, None, 77411, None, None, 77411, 2),
    (SELF_REPORTED, "2020-11-10", "PMO", "AT&T", "United States", "", "USD", "annual",
     None, None, 105673, None, None, 105673, 2),
    (SELF_REPORTED, "2020-11-10", "PMO", "NIKE", "United States", "", "USD", "annual",
     None, None, 66155, None, None, 66155, 2),
    (SELF_REPORTED, "2020-11-10", "PMO", "Credit Suisse", "United States", "", "USD", "annual",
     None, None, 95119, None, None, 95119, 2),
    (RATE_CARD, "2025-06-30", "PMO Analyst (contract)", "", "United States", "National", "USD", "hourly",
     38.00, 45.00, 55.00, 68.00, 80.00, 57.50, 64),
    (RATE_CARD, "2025-06-30", "Project Manager (contract)", "", "United States", "National", "USD", "hourly",
     58.00, 70.00, 85.00, 100.00, 120.00, 87.00, 51),
    (RATE_CARD, "2025-06-30", "Program Manager (contract)", "", "United States", "New York", "USD", "hourly",
     80.00, 95.00, 112.00, 130.00, 150.00, 114.00, 23),
    (RATE_CARD, "2025-06-30", "Project Manager", "", "United Kingdom", "London", "GBP", "annual",
     48000, 55000, 65000, 78000, 90000, 66500, 38),
    (RATE_CARD, "2025-06-30", "PMO Analyst", "", "United Kingdom", "London", "GBP", "annual",
     34000, 38000, 45000, 52000, 58000, 45500, 27),
    (RATE_CARD, "2025-06-30", "Project Manager", "", "Germany", "Frankfurt", "EUR", "annual",
     60000, 68000, 78000, 90000, 102000, 79500, 31),
]


def write_salary_reports() -> int:
    f, w = csv_writer(OUT / "benchmarks" / "pmo_salary_reports_2020.csv")

    def num(v):
        if v is None:
            return ""
        return f"{v:.2f}" if isinstance(v, float) else str(v)

    with f:
        w.writerow(SALARY_REPORT_HEADER)
        for row in SALARY_REPORTS:
            w.writerow([*row[:8], *(num(v) for v in row[8:])])
    return len(SALARY_REPORTS)
