#!/usr/bin/env python3
"""Write the sample exports in `sample_data/`: realistic files in each source tool's own format.

    python sample_data/generate.py

Deterministic: everything comes from `random.Random(2026)` (child generators are drawn from it in a
fixed order, `generators/story.py: RANDOM_STREAMS`) and fixed dates, and xlsx document properties are
pinned, so a second run writes byte-identical files. `sample_data/README.md` says which file imitates
which tool, what story the data tells and how to add a tool's export; layouts follow
`shared/reference/export-formats.md` (sections 1, 2.3, 6.3, 7.1, 7.3).

One model drives every file (`generators/story.py`): 40 projects in 4 portfolios, their monthly
spend, six monthly status drops and the PMO staff who manage them. Each tool's export is written by
its own module in `generators/`; this script runs them in the story's order.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from generators import (benchmarks, finance, gates, hr, jira, msproject_desktop, prioritisation, project_server, raid,
                        resources, story)


def main() -> None:
    streams = story.random_streams()
    projects = story.build_projects(streams["model"])
    for p in projects:
        story.build_spend(p, streams["model"])
    # The ledger comes before the status drops: the drops' actual cost and EAC come from its lines.
    counts = {"fpna_ledger_FY2025-FY2026.csv": finance.write_fpna(projects, streams["fpna"]),
              "fx_rates_2026.csv": finance.write_fx()}
    for p in projects:
        story.build_drops(p, streams["drop"])
    desktop: dict = {}   # the projects planned in desktop MS Project: their tasks go to plan files
    counts.update(project_server.write_project_server(projects, streams["ps"], desktop))
    counts.update({f"jira {k}": v for k, v in jira.write_jira(projects, streams["jira"]).items()})
    counts["workday_pmo_compensation_2026-11-01.csv"] = hr.write_workday(projects, streams["hr"])
    counts["oews_M2024_pmo_occupations.xlsx"] = benchmarks.write_oews(streams["oews"])
    counts["pmo_salary_reports_2020.csv"] = benchmarks.write_salary_reports()
    # governance and RAID inputs (issue 17), each on a stream of its own after the others
    counts.update(msproject_desktop.write_desktop_plans(desktop, project_server.DESKTOP_PLANS, streams["plans"]))
    counts.update(raid.write_raid_logs(streams["raid"]))
    counts.update(gates.write_gate_log(projects, streams["gates"]))
    counts.update(resources.write_resources(projects, streams["resources"]))   # after hr: reads its ids
    # prioritisation and maturity inputs (issue 19)
    counts.update(prioritisation.write_driver_scores(projects, streams["priority"]))
    bank = tomllib.loads((Path(__file__).resolve().parent.parent / "config" / "maturity_questions.toml").read_text())
    counts.update(prioritisation.write_maturity({q["id"]: q["text"] for q in bank["questions"]}))
    for name, n in counts.items():
        print(f"{name}: {n}")


if __name__ == "__main__":
    main()
